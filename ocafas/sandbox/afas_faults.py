"""Fault injection for the AFAS sandbox: slow answers, 5xx, 429 and connections that drop.

Tests change faults while the server runs, from another thread, so everything sits behind one
lock. A random share of failures uses its own seeded generator: the same seed and the same request
order give the same failures. An endpoint selector is an endpoint name ("salesjournalentry"),
optionally prefixed by a method ("POST salesjournalentry"); None matches every request.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass
class Decision:
    """What the sandbox does to one request."""

    latency: float = 0.0
    status: int | None = None  # a 5xx or 429 answered instead of processing
    retry_after: int | None = None
    drop_before: bool = False  # close the socket without processing
    drop_after: bool = False  # process (book!), then close the socket without answering

    @property
    def label(self) -> str | None:
        if self.status is not None:
            return str(self.status)
        if self.drop_before:
            return "drop-before"
        if self.drop_after:
            return "drop-after"
        return None


@dataclass
class _Counted:
    selector: str | None
    remaining: int
    status: int = 0
    retry_after: int | None = None
    after_processing: bool = True


@dataclass
class _Rate:
    selector: str | None
    share: float
    status: int


@dataclass
class _State:
    latency: dict[str | None, float] = field(default_factory=dict)
    errors: list[_Counted] = field(default_factory=list)
    throttles: list[_Counted] = field(default_factory=list)
    drops: list[_Counted] = field(default_factory=list)
    rates: list[_Rate] = field(default_factory=list)


def matches(selector: str | None, method: str, endpoint: str) -> bool:
    """Whether a request is one an endpoint selector names (see the module's docstring)."""
    if selector is None:
        return True
    parts = selector.split()
    if len(parts) == 2:
        return parts[0].upper() == method.upper() and parts[1] == endpoint
    return selector == endpoint


class Faults:
    """The faults a running sandbox applies; every method is safe to call from any thread."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 - repeatable faults, not secrets
        self._state = _State()

    def set_latency(self, seconds: float, endpoint: str | None = None) -> None:
        """Delay every matching request by ``seconds`` (0 removes the delay for that selector)."""
        with self._lock:
            if seconds <= 0:
                self._state.latency.pop(endpoint, None)
            else:
                self._state.latency[endpoint] = seconds

    def fail_next(self, count: int = 1, status: int = 503, endpoint: str | None = None) -> None:
        """Answer the next ``count`` matching requests with ``status`` (5xx), unprocessed."""
        if not 500 <= status <= 599:
            raise ValueError("fail_next takes a 5xx status")
        with self._lock:
            self._state.errors.append(_Counted(endpoint, count, status))

    def set_failure_rate(
        self, share: float, status: int = 503, endpoint: str | None = None
    ) -> None:
        """Answer a random ``share`` (0..1) of matching requests with ``status``; 0 turns it off."""
        if not 0 <= share <= 1 or not 500 <= status <= 599:
            raise ValueError("share must be within 0..1 and status a 5xx")
        with self._lock:
            self._state.rates = [r for r in self._state.rates if r.selector != endpoint]
            if share > 0:
                self._state.rates.append(_Rate(endpoint, share, status))

    def throttle_next(
        self, count: int = 1, retry_after: int = 1, endpoint: str | None = None
    ) -> None:
        """Answer the next ``count`` matching requests with 429 and ``Retry-After: retry_after``."""
        with self._lock:
            self._state.throttles.append(_Counted(endpoint, count, 429, retry_after))

    def drop_next(
        self, count: int = 1, endpoint: str | None = None, after_processing: bool = True
    ) -> None:
        """Close the connection of the next ``count`` matching requests without an answer.

        With ``after_processing`` (the default, and the nasty case) the request is fully
        processed first: a sales journal entry IS booked, the client just never hears so.
        """
        with self._lock:
            self._state.drops.append(_Counted(endpoint, count, after_processing=after_processing))

    def clear(self) -> None:
        """Remove every fault and restart the random generator from the seed."""
        with self._lock:
            self._state = _State()
            self._random = random.Random(self._seed)  # noqa: S311

    def decide(self, method: str, endpoint: str) -> Decision:
        """Consume the faults that apply to this request (called once per request)."""
        with self._lock:
            decision = Decision()
            for selector, seconds in self._state.latency.items():
                if matches(selector, method, endpoint):
                    decision.latency = max(decision.latency, seconds)
            throttle = self._take(self._state.throttles, method, endpoint)
            if throttle is not None:
                decision.status, decision.retry_after = 429, throttle.retry_after
                return decision
            error = self._take(self._state.errors, method, endpoint)
            if error is not None:
                decision.status = error.status
                return decision
            for rate in self._state.rates:
                if matches(rate.selector, method, endpoint) and self._random.random() < rate.share:
                    decision.status = rate.status
                    return decision
            drop = self._take(self._state.drops, method, endpoint)
            if drop is not None:
                decision.drop_after = drop.after_processing
                decision.drop_before = not drop.after_processing
            return decision

    @staticmethod
    def _take(queue: list[_Counted], method: str, endpoint: str) -> _Counted | None:
        for item in queue:
            if item.remaining > 0 and matches(item.selector, method, endpoint):
                item.remaining -= 1
                if item.remaining == 0:
                    queue.remove(item)
                return item
        return None
