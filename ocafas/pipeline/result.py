"""What one pass did: per-order outcomes, counts and requests made, for the CLI to render.

The pipeline never prints; it returns a :class:`PassResult` and the CLI decides what to show and
which exit code to use.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Outcomes of one order in a pass. ``unchanged``: seen before and nothing to do.
BOOKED = "booked"
OPEN = "open"
SKIPPED = "skipped"
ERROR = "error"
UNCHANGED = "unchanged"
PENDING = "pending"  # left in ``posting``: AFAS did not answer; the next run reconciles it
WOULD_BOOK = "would_book"  # a dry run: the entry that would be posted
FOUND = "found"  # sync --since: AFAS SB already had the invoice; filed as processed (found)
OUTCOMES = (BOOKED, OPEN, SKIPPED, ERROR, UNCHANGED, PENDING, WOULD_BOOK, FOUND)


@dataclass(frozen=True)
class OrderOutcome:
    order_id: int | None
    outcome: str
    code: str | None = None
    message: str | None = None
    hint: str | None = None
    #: A dry run: the exact request that would be sent, and the debtor decision.
    body: dict[str, Any] | None = None
    debtor: str | None = None
    reconciled: bool = False


#: Outcomes a person has to read: always kept. Others are kept for the first
#: :data:`KEEP_ALL_UP_TO` orders of a pass and only counted after that, so a backfill of 100,000
#: orders does not keep 100,000 records in memory (a dry run keeps all: it lists them all).
KEPT = frozenset({ERROR, PENDING, WOULD_BOOK})
KEEP_ALL_UP_TO = 1000


@dataclass
class PassResult:
    """The result of ``run_pass``, ``recheck`` or ``retry``.

    ``outcomes`` holds every order in error or pending, and the others up to
    :data:`KEEP_ALL_UP_TO` orders (all in a dry run); ``counts`` and ``reconciled`` count every
    order.
    """

    command: str
    outcomes: list[OrderOutcome] = field(default_factory=list)
    opencart_requests: int = 0
    afas_requests: int = 0
    #: Requests made to VIES (ICP numbers checked when vat.vies_check is on).
    vies_requests: int = 0
    #: Why the run stopped early (AFAS down for several orders in a row), None when it did not.
    stopped: str | None = None
    #: Orders in error in the whole ledger after the run (not only those of this run).
    errors_in_ledger: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _counts: Counter[str] = field(default_factory=Counter, repr=False, compare=False)
    _reconciled: int = field(default=0, repr=False, compare=False)

    def add(self, outcome: OrderOutcome) -> None:
        with self._lock:
            self._counts[outcome.outcome] += 1
            self._reconciled += outcome.reconciled
            seen = sum(self._counts.values())
            if self.dry_run or outcome.outcome in KEPT or seen <= KEEP_ALL_UP_TO:
                self.outcomes.append(outcome)

    def note(self, text: str) -> None:
        with self._lock:
            self.notes.append(text)

    @property
    def counts(self) -> dict[str, int]:
        return {name: self._counts.get(name, 0) for name in OUTCOMES}

    @property
    def booked(self) -> int:
        return self.counts[BOOKED]

    @property
    def errors(self) -> list[OrderOutcome]:
        return [o for o in self.outcomes if o.outcome == ERROR]

    @property
    def reconciled(self) -> int:
        return self._reconciled

    @property
    def clean(self) -> bool:
        """Nothing for a person to look at: no order in error, nothing pending, not stopped."""
        return not self.errors_in_ledger and not self.counts[PENDING] and self.stopped is None
