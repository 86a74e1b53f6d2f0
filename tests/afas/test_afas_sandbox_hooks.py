"""Request hooks: a callback at an exact moment of a request (before processing, after storing)."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests

from ocafas.sandbox.afas_hooks import HookedRequest


def test_before_hook_runs_before_processing_and_can_discard(afas, entry) -> None:
    seen: list[tuple[HookedRequest, int]] = []
    afas.token  # noqa: B018 - the token request must not meet the hook

    def hook(request: HookedRequest) -> bool:
        seen.append((request, len(afas.sandbox.entries())))
        return True

    afas.sandbox.on_request(hook, when="before")
    tracking = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        afas.post_entry(entry(), tracking=tracking)
    assert len(seen) == 1
    request, entries_then = seen[0]
    assert (request.method, request.endpoint, request.tracking_identifier) == (
        "POST",
        "salesjournalentry",
        tracking,
    )
    assert b'"InvoiceNumber"' in request.body and entries_then == 0
    assert afas.sandbox.entries() == [], "a discarded request is not processed"
    assert afas.sandbox.request_log()[-1].fault == "discarded by hook"

    again = afas.post_entry(entry(), tracking=tracking)  # count=1: the hook is used up
    assert again.status_code == 200 and len(afas.sandbox.entries()) == 1
    assert len(seen) == 1


def test_after_hook_runs_once_stored_and_before_the_answer(afas, entry) -> None:
    stored: list[int] = []
    inside, release = threading.Event(), threading.Event()
    answers: list[int] = []
    afas.token  # noqa: B018

    def hook(request: HookedRequest) -> None:
        stored.append(len(afas.sandbox.entries()))
        inside.set()
        release.wait(5)

    afas.sandbox.on_request(hook, when="after", count=None)
    client = threading.Thread(target=lambda: answers.append(afas.post_entry(entry()).status_code))
    client.start()
    assert inside.wait(5)
    assert stored == [1] and answers == [], "booked, and the client has no answer yet"
    release.set()
    client.join(5)
    assert answers == [200]
    afas.post_entry(entry(InvoiceNumber="OC-1002"))
    assert stored == [1, 2], "count=None hooks every matching request"
    afas.sandbox.reset()
    afas.post_entry(entry())
    assert stored == [1, 2], "reset removes the hooks"


def test_hooks_match_their_selector_only(afas, entry) -> None:
    calls: list[str] = []
    afas.sandbox.on_request(lambda r: calls.append(r.endpoint), endpoint="person", when="before")
    assert afas.post_entry(entry()).status_code == 200
    assert calls == []
    with pytest.raises(ValueError, match="when must be"):
        afas.sandbox.on_request(lambda r: None, when="during")
