"""ocafas.vies against the local VIES stand-in: verdicts, evidence, faults, retries, the cache."""

from __future__ import annotations

import threading
import time

import pytest
from vies_support import SHOP

from ocafas.sandbox.vies import ViesSandbox
from ocafas.vies import ViesClient, ViesInvalid, ViesUnavailable, ViesValid, split_number


def client(vies: ViesSandbox, **options: object) -> ViesClient:
    defaults: dict[str, object] = {"backoff": 0.01, "max_backoff": 0.02, "timeout": 2.0}
    return ViesClient(vies.base_url, SHOP, **{**defaults, **options})  # type: ignore[arg-type]


def test_valid_number_with_consultation_number(vies: ViesSandbox) -> None:
    result = client(vies).check("DE136695976")
    assert isinstance(result, ViesValid)
    assert result.valid is True
    assert result.vat_number == "DE136695976"
    assert result.consultation_number is not None
    assert result.consultation_number.startswith("WAPIAAAAZ")
    assert result.name == "Acme Handel GmbH"
    assert result.address == "Hauptstrasse 1 10115 Berlin"
    assert result.checked_at.endswith("+00:00") and result.request_date.endswith("Z")
    assert '"requestIdentifier"' in result.raw
    # the request VIES got: number split, requester = the shop's own number
    assert vies.requests[-1].body == {
        "countryCode": "DE",
        "vatNumber": "136695976",
        "requesterMemberStateCode": "NL",
        "requesterNumber": "004495445B01",
    }


def test_without_requester_no_consultation_number(vies: ViesSandbox) -> None:
    result = ViesClient(vies.base_url).check("BE0403170701")
    assert isinstance(result, ViesValid)
    assert result.consultation_number is None
    assert vies.requests[-1].body == {"countryCode": "BE", "vatNumber": "0403170701"}


def test_unknown_number_is_invalid(vies: ViesSandbox) -> None:
    result = client(vies).check("DE123456788")
    assert isinstance(result, ViesInvalid)
    assert result.valid is False and result.reason == "INVALID"
    assert result.consultation_number is not None  # VIES gives one for a negative answer too


def test_greek_number_is_sent_as_el(vies: ViesSandbox) -> None:
    assert split_number("GR094259216") == ("EL", "094259216")
    assert isinstance(client(vies).check("EL094259216"), ViesValid)
    assert vies.requests[-1].body is not None
    assert vies.requests[-1].body["countryCode"] == "EL"


def test_member_state_unavailable_is_never_invalid(vies: ViesSandbox) -> None:
    vies.set_unavailable("DE")
    viesclient = client(vies)
    result = viesclient.check("DE136695976")
    assert isinstance(result, ViesUnavailable)
    assert result.code == "MS_UNAVAILABLE"
    # not retried within the run, and other German numbers are not asked either
    assert vies.request_count == 1
    assert isinstance(viesclient.check("DE123456788"), ViesUnavailable)
    assert vies.request_count == 1
    # another member state still answers
    assert isinstance(viesclient.check("BE0403170701"), ViesValid)


def test_member_state_unavailable_with_http_500(vies: ViesSandbox) -> None:
    vies.set_unavailable("BE", status=500)
    result = client(vies, attempts=1).check("BE0403170701")
    assert isinstance(result, ViesUnavailable) and result.code == "MS_UNAVAILABLE"


@pytest.mark.parametrize("code", ["MS_MAX_CONCURRENT_REQ", "GLOBAL_MAX_CONCURRENT_REQ"])
def test_rate_limiting_is_retried(vies: ViesSandbox, code: str) -> None:
    vies.error_next(2, code)
    result = client(vies, attempts=3).check("DE136695976")
    assert isinstance(result, ViesValid)
    assert vies.request_count == 3


def test_rate_limiting_that_lasts_is_unavailable(vies: ViesSandbox) -> None:
    vies.error_next(5, "MS_MAX_CONCURRENT_REQ")
    result = client(vies, attempts=3).check("DE136695976")
    assert isinstance(result, ViesUnavailable) and result.code == "MS_MAX_CONCURRENT_REQ"
    assert vies.request_count == 3


def test_5xx_is_retried_then_unavailable(vies: ViesSandbox) -> None:
    vies.fail_next(1, 503)
    assert isinstance(client(vies).check("DE136695976"), ViesValid)
    assert vies.request_count == 2
    vies.fail_next(3, 502)
    result = client(vies, attempts=3).check("DE136695976")
    assert isinstance(result, ViesUnavailable) and result.code == "HTTP_502"


def test_slow_vies_times_out_as_unavailable(vies: ViesSandbox) -> None:
    vies.set_latency(0.6)
    started = time.monotonic()
    result = client(vies, timeout=0.2, attempts=2).check("DE136695976")
    assert isinstance(result, ViesUnavailable) and result.code == "TIMEOUT"
    assert time.monotonic() - started < 2.0


def test_nothing_listening_is_unavailable() -> None:
    with ViesSandbox() as gone:
        url = gone.base_url
    result = ViesClient(url, SHOP, attempts=2, backoff=0.01).check("DE136695976")
    assert isinstance(result, ViesUnavailable) and result.code == "CONNECTION"


def test_each_number_is_asked_once_per_client(vies: ViesSandbox) -> None:
    viesclient = client(vies)
    first = viesclient.check("DE136695976")
    assert viesclient.check("de 136695976") is first
    assert isinstance(viesclient.check("DE123456788"), ViesInvalid)
    assert viesclient.check("DE123456788") is viesclient.check("DE123456788")
    assert vies.asked() == ["DE136695976", "DE123456788"]
    # a new client (the next run) asks again
    client(vies).check("DE136695976")
    assert vies.request_count == 3


def test_threads_asking_the_same_number_make_one_request(vies: ViesSandbox) -> None:
    vies.set_latency(0.1)
    viesclient = client(vies)
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(viesclient.check("DE136695976")))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and all(isinstance(r, ViesValid) for r in results)
    assert vies.request_count == 1


def test_plain_http_only_to_loopback() -> None:
    with pytest.raises(ValueError, match="plain http is refused"):
        ViesClient("http://vies.example/rest-api", SHOP)
