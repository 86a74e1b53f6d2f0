"""Tracking-Identifier replay and fault injection: latency, 5xx, 429, dropped connections."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests

from ocafas.sandbox.afas import AfasSandbox


def test_repeat_with_same_tracking_identifier_replays_without_booking_again(afas, entry) -> None:
    tracking = str(uuid.uuid4())
    first = afas.post_entry(entry(), tracking=tracking)
    again = afas.post_entry(entry(), tracking=tracking)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert len(afas.sandbox.entries()) == 1
    assert afas.sandbox.entries()[0].tracking_identifier == tracking
    log = [r for r in afas.sandbox.request_log() if r.endpoint == "salesjournalentry"]
    assert [r.replayed for r in log] == [False, True]
    other = afas.post_entry(entry(), tracking=str(uuid.uuid4()))
    assert other.json()["errors"] == ["SalesJournalEntry with invoicenumber OC-1001 already exists"]


def test_a_failed_first_answer_is_replayed_too(afas, entry) -> None:
    tracking = str(uuid.uuid4())
    first = afas.post_entry(entry(InvoiceDate="2022-01-01"), tracking=tracking)
    assert first.status_code == 400
    again = afas.post_entry(entry(), tracking=tracking)  # even with a corrected body
    assert (again.status_code, again.json()) == (400, first.json())
    assert len(afas.sandbox.entries()) == 1


def test_tracking_identifier_must_be_a_uuid(afas, entry) -> None:
    response = afas.post_entry(entry(), tracking="order-1001")
    assert response.status_code == 400
    assert "Tracking-Identifier" in response.json()["Message"]
    assert afas.sandbox.entries() == []


def test_concurrent_repeats_book_once(afas, entry) -> None:
    tracking = str(uuid.uuid4())
    afas.token  # noqa: B018 - fetch it before the threads start
    afas.sandbox.faults.set_latency(0.05, "POST salesjournalentry")
    answers: list[dict] = []

    def post() -> None:
        answers.append(afas.post_entry(entry(), tracking=tracking).json())

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(afas.sandbox.entries()) == 1
    assert all(a == answers[0] for a in answers) and answers[0]["result"] == "Succeeded"


def test_latency_per_endpoint(afas) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.set_latency(0.3, "countries")
    started = time.monotonic()
    assert afas.get("vattype").status_code == 200
    assert time.monotonic() - started < 0.25
    started = time.monotonic()
    assert afas.get("countries").status_code == 200
    assert time.monotonic() - started >= 0.3
    afas.sandbox.faults.set_latency(0, "countries")
    started = time.monotonic()
    afas.get("countries")
    assert time.monotonic() - started < 0.25


def test_fail_next_exactly_n_then_recover(afas, entry) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.fail_next(2, status=503, endpoint="salesjournalentry")
    statuses = [afas.post_entry(entry()).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert len(afas.sandbox.entries()) == 1  # the failed attempts were not processed
    afas.sandbox.faults.fail_next(1, status=500)
    failed = afas.get("countries")
    assert failed.status_code == 500 and failed.json()["StatusCode"] == 500
    assert afas.get("countries").status_code == 200


def test_gateway_errors_are_html_not_json(afas) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.fail_next(1, status=502)
    response = afas.get("countries")
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_throttling_with_retry_after(afas) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.throttle_next(1, retry_after=7, endpoint="GET persons")
    assert afas.get("countries").status_code == 200  # other endpoints are not throttled
    throttled = afas.get("persons")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "7"
    assert afas.get("persons").status_code == 200


def _statuses(seed: int) -> list[int]:
    with AfasSandbox(fault_seed=seed) as sandbox:
        sandbox.faults.set_failure_rate(0.5, status=500, endpoint="countries")
        url = sandbox.base_url
        return [requests.get(f"{url}/api/countries", timeout=5).status_code for _ in range(20)]


def test_failure_share_is_deterministic_per_seed() -> None:
    first, second, other = _statuses(7), _statuses(7), _statuses(8)
    assert first == second
    assert first != other
    assert 3 <= first.count(500) <= 17
    assert set(first) == {500, 401}  # the rest reaches the API (and lacks a token)


def test_dropped_after_processing_books_and_replay_recovers(afas, entry) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.drop_next(1, endpoint="POST salesjournalentry")
    tracking = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        afas.post_entry(entry(), tracking=tracking)
    [booked] = afas.sandbox.entries()  # the nasty case: AFAS did book it
    assert booked.status == "booked"
    assert afas.sandbox.request_log()[-1].status is None
    assert afas.sandbox.request_log()[-1].fault == "drop-after"
    retry = afas.post_entry(entry(), tracking=tracking)
    assert retry.status_code == 200
    assert retry.json()["data"]["SalesJournalEntryId"] == booked.id
    without_tracking = afas.post_entry(entry())
    assert without_tracking.json()["errors"][0].endswith("already exists")
    assert len(afas.sandbox.entries()) == 1


def test_dropped_before_processing_books_nothing(afas, entry) -> None:
    afas.token  # noqa: B018
    afas.sandbox.faults.drop_next(1, endpoint="salesjournalentry", after_processing=False)
    with pytest.raises(requests.ConnectionError):
        afas.post_entry(entry(), tracking=str(uuid.uuid4()))
    assert afas.sandbox.entries() == []
    assert afas.post_entry(entry()).status_code == 200


def test_faults_can_be_cleared_and_reset_restores_the_seed(afas, entry) -> None:
    afas.token  # noqa: B018
    afas.post_entry(entry())
    afas.send("POST", "person", {"LastName": "Extra"}, "4.0")
    afas.sandbox.faults.fail_next(5)
    afas.sandbox.faults.clear()
    assert afas.get("countries").status_code == 200
    seeded = len(afas.sandbox.persons()) - 1
    afas.sandbox.reset()
    assert afas.sandbox.entries() == []
    assert len(afas.sandbox.persons()) == seeded
    assert afas.sandbox.request_log() == [] and afas.sandbox.counts() == {}
    assert afas.post_entry(entry()).status_code == 200  # the token survived the reset
    assert afas.sandbox.counts() == {"POST salesjournalentry": 1}
