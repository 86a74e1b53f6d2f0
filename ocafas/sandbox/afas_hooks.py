"""Request hooks of the AFAS sandbox: run a test's callback at an exact moment of a request.

Crash tests need to stop an ``ocafas`` process at one precise step of booking, without any test
hook in ocafas itself: the sandbox sees every step from the outside. A hook runs in the server
thread that handles the request, so while it runs the client is still waiting for its answer:

- ``when="before"``: the whole request has been read, nothing is processed yet (before the
  faults' latency). A callback that returns True makes the sandbox discard the request unprocessed
  and close the connection, as if the client had died before its request left.
- ``when="after"``: the request is processed and stored (an entry IS booked, its answer kept for
  replay), and the answer is not written yet.

A typical callback is ``lambda request: os.kill(pid, signal.SIGKILL)``. Selectors are those of
:mod:`ocafas.sandbox.afas_faults` ("POST salesjournalentry", "person", None for every request).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ocafas.sandbox.afas_faults import matches

WHEN = ("before", "after")


@dataclass(frozen=True)
class HookedRequest:
    """What a hook's callback is told about the request it runs for."""

    method: str
    endpoint: str
    tracking_identifier: str | None
    body: bytes
    #: The Accept-Version header and the raw query string as sent (schema tests read them).
    version: str | None = None
    query: str = ""


HookCallback = Callable[[HookedRequest], "bool | None"]


@dataclass
class _Hook:
    selector: str | None
    when: str
    callback: HookCallback
    remaining: int | None


class RequestHooks:
    """The hooks a running sandbox runs; safe to change from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hooks: list[_Hook] = []

    def add(
        self,
        callback: HookCallback,
        endpoint: str | None = "POST salesjournalentry",
        when: str = "before",
        count: int | None = 1,
    ) -> None:
        if when not in WHEN:
            raise ValueError(f"when must be one of {WHEN}, not {when!r}")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1 (or None: every matching request)")
        with self._lock:
            self._hooks.append(_Hook(endpoint, when, callback, count))

    def clear(self) -> None:
        with self._lock:
            self._hooks.clear()

    def run(self, when: str, request: HookedRequest) -> bool:
        """Run the matching hooks (outside the lock); True when one says: discard the request."""
        due: list[HookCallback] = []
        with self._lock:
            for hook in list(self._hooks):
                if hook.when != when or not matches(
                    hook.selector, request.method, request.endpoint
                ):
                    continue
                due.append(hook.callback)
                if hook.remaining is not None:
                    hook.remaining -= 1
                    if hook.remaining == 0:
                        self._hooks.remove(hook)
        discard = False
        for callback in due:
            discard = bool(callback(request)) or discard
        return discard
