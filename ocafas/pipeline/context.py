"""The state one run shares between its steps: clients built lazily, lookups made once.

An idle run (no new orders, nothing to reconcile) must cost exactly one OpenCart request and no
AFAS request, so the AFAS client, the shop's facts (default currency, status names) and the
ledger accounts are all fetched the first time something needs them, and then kept for the run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ocafas.afas.client import AfasClient
from ocafas.config import Settings
from ocafas.errors import ConfigError
from ocafas.ledger import Ledger
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.models import StatusList
from ocafas.pipeline.preflight import Preflight, run_preflight
from ocafas.pipeline.result import PassResult
from ocafas.vies import ViesClient

AfasFactory = Callable[[], AfasClient]

#: Transient AFAS failures in a row after which the run stops (AFAS is down, not one order).
MAX_TRANSIENT_IN_A_ROW = 3


@dataclass
class RunContext:
    settings: Settings
    opencart: OpenCartClient
    afas_factory: AfasFactory
    ledger: Ledger
    result: PassResult
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    dry_run: bool = False
    #: ``sync --since``: orders placed from this date are booked even before the start date,
    #: each after asking AFAS SB whether it already has the invoice.
    since: date | None = None
    _afas: AfasClient | None = None
    _preflight: Preflight | None = None
    _processable: frozenset[int] | None = None
    _reversing: frozenset[int] | None = None
    _statuses: StatusList | None = None
    _currency: str | None = None
    _unknown_relation: str | None = None
    _vies: ViesClient | None = None
    _vies_waiting: dict[str, int] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _transient_in_a_row: int = 0
    _opencart_start: int = 0

    def __post_init__(self) -> None:
        self._opencart_start = self.opencart.request_count

    # -- lazily built ------------------------------------------------------------------------

    @property
    def afas(self) -> AfasClient:
        with self._lock:
            if self._afas is None:
                self._afas = self.afas_factory()
            return self._afas

    def start_date(self) -> date:
        """Orders placed before this date are skipped: the configured one, or ``--since``."""
        start = self.settings.sync.start_date
        return min(start, self.since) if self.since is not None else start

    @property
    def administration_id(self) -> str:
        return self.settings.afas.administration_id

    def preflight(self) -> Preflight:
        """The run's checks of the config against AFAS (once, when something is to post).

        Raises ConfigError (the whole run stops before its first new POST) when the mapping or
        the cost centre is something AFAS SB cannot honour.
        """
        with self._lock:
            if self._preflight is None:
                self._preflight = run_preflight(self.settings, self.afas)
            return self._preflight

    def accounts(self) -> dict[str, str]:
        """Ledger account number -> AFAS id, fetched once per run when something is to post."""
        return self.preflight().accounts

    def vies(self) -> ViesClient:
        """The VIES client of this run (built on first use; it asks each number once)."""
        with self._lock:
            if self._vies is None:
                self._vies = ViesClient.for_settings(self.settings.vat)
            return self._vies

    def vies_waiting(self, code: str) -> None:
        """Count an ICP order left waiting because VIES gave no answer (``code`` says why)."""
        with self._lock:
            self._vies_waiting[code] = self._vies_waiting.get(code, 0) + 1

    def unknown_relation(self) -> str:
        with self._lock:
            if self._unknown_relation is None:
                self._unknown_relation = self.afas.unknown_relation().id
            return self._unknown_relation

    def default_currency(self) -> str:
        with self._lock:
            if self._currency is None:
                self._currency = self.opencart.ping().default_currency or "EUR"
            return self._currency

    def processable(self) -> frozenset[int]:
        """The processable status ids: ids as configured, names resolved once via the shop."""
        with self._lock:
            if self._processable is None:
                wanted = self.settings.opencart.processable_statuses
                ids = {s for s in wanted if isinstance(s, int)}
                names = [s for s in wanted if isinstance(s, str)]
                if names:
                    statuses = self.status_list()
                    unknown = []
                    for name in names:
                        status_id = _status_id(statuses, name)
                        if status_id is None:
                            unknown.append(name)
                        else:
                            ids.add(status_id)
                    if unknown:
                        known = ", ".join(s.name for s in statuses.statuses)
                        raise ConfigError(
                            "opencart.processable_statuses: the shop has no (unique) status "
                            + ", ".join(repr(n) for n in unknown),
                            hint=f"use one of: {known}, or numeric ids",
                        )
                self._processable = frozenset(ids)
            return self._processable

    def status_list(self) -> StatusList:
        """The shop's order statuses, asked once per run and only when a name must be resolved."""
        with self._lock:
            if self._statuses is None:
                self._statuses = self.opencart.statuses()
            return self._statuses

    def reversing(self) -> frozenset[int]:
        """The status ids of ``booking.reversals.statuses`` (only asked for a changed booked order).

        A default name the shop lacks (not every shop has "Chargeback") is left out; a name the
        user configured that the shop lacks is a config error, like a processable status.
        """
        with self._lock:
            if self._reversing is None:
                settings = self.settings.booking.reversals
                ids = {s for s in settings.statuses if isinstance(s, int)}
                names = [s for s in settings.statuses if isinstance(s, str)]
                unknown = []
                if names:
                    statuses = self.status_list()
                    for name in names:
                        status_id = _status_id(statuses, name)
                        if status_id is None:
                            unknown.append(name)
                        else:
                            ids.add(status_id)
                if unknown and settings.statuses_given:
                    raise ConfigError(
                        "booking.reversals.statuses: the shop has no (unique) status "
                        + ", ".join(repr(n) for n in unknown),
                        hint="use the shop's status names or numeric ids",
                    )
                self._reversing = frozenset(ids)
            return self._reversing

    # -- AFAS health -------------------------------------------------------------------------

    def afas_ok(self) -> None:
        with self._lock:
            self._transient_in_a_row = 0

    def afas_transient(self, reason: str) -> None:
        """Count one transient failure; stop the run when AFAS looks down."""
        with self._lock:
            self._transient_in_a_row += 1
            if self._transient_in_a_row >= MAX_TRANSIENT_IN_A_ROW and self.result.stopped is None:
                self.result.stopped = (
                    f"AFAS SB failed {self._transient_in_a_row} orders in a row ({reason}); "
                    "stopped this run, the next run carries on"
                )

    def stopping(self) -> bool:
        return self.result.stopped is not None

    def finish(self) -> PassResult:
        self.result.opencart_requests = self.opencart.request_count - self._opencart_start
        if self._afas is not None:
            self.result.afas_requests = sum(self._afas.transport.calls.values())
        self.result.errors_in_ledger = self.ledger.error_count()
        if self._vies is not None:
            self.result.vies_requests = self._vies.request_count
            self._vies.close()
        if self._vies_waiting:
            waiting = sum(self._vies_waiting.values())
            why = ", ".join(sorted(self._vies_waiting))
            self.result.note(
                f"VIES did not answer ({why}): {waiting} ICP order(s) wait as open; "
                "the next sync or recheck asks again"
            )
        return self.result


def _status_id(statuses: StatusList, name: str) -> int | None:
    text = name.strip()
    if text.isdigit():
        return int(text)
    return statuses.id_of(text)
