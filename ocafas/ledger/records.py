"""The ledger's vocabulary: states, kinds, and the frozen records its queries return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ocafas.errors import LedgerError


class OrderState(str, Enum):
    """Where an order is in its booking's life (see the ledger states diagram in the docs).

    ``seen`` is the row's first state: the order was read but not yet gated. A run that crashed
    between reading and gating leaves it there, and the next run gates it like an ``open`` one.
    """

    SEEN = "seen"
    OPEN = "open"
    POSTING = "posting"
    PROCESSED = "processed"
    ERROR = "error"
    SKIPPED = "skipped"


class EntryKind(str, Enum):
    """An order gets at most one live booking and, once reversed, at most one live credit."""

    BOOKING = "booking"
    CREDIT = "credit"


class EntryState(str, Enum):
    """One row per attempt to book: ``failed`` attempts stay as history and are never reused."""

    POSTING = "posting"
    PROCESSED = "processed"
    FAILED = "failed"


class EntrySource(str, Enum):
    """Whether AFAS booked our request, or already held the entry and we found it there."""

    BOOKED = "booked"
    FOUND = "found"


class SkipReason(str, Enum):
    BEFORE_START_DATE = "before_start_date"
    EXCLUDED = "excluded"
    ZERO_TOTAL = "zero_total"


class DebtorKey(str, Enum):
    EMAIL = "email"
    VAT = "vat"


class TransitionError(LedgerError):
    """Raised when a ledger call would make an illegal move (e.g. re-post a processed order).

    Nothing was written. It is a bug in the caller or a race between two workers on one order.
    """


@dataclass(frozen=True)
class OrderError:
    code: str
    message: str
    hint: str | None


@dataclass(frozen=True)
class OrderRecord:
    """One order as the ledger knows it; ``order`` is the JSON as read from OpenCart."""

    shop: str
    order_id: int
    state: OrderState
    date_added: str
    date_modified: str
    status_id: int | None
    country: str | None
    customer_name: str | None
    customer_email: str | None
    order: dict[str, Any]
    first_seen_at: str
    updated_at: str
    skip_reason: SkipReason | None
    skip_detail: str | None
    error: OrderError | None
    attempts: int
    last_attempt_at: str | None


@dataclass(frozen=True)
class BookedLine:
    """One booked line of an entry: what reports sum per VAT rate, type, country and account."""

    ledger_account: str
    vat_type: str
    vat_rate: Decimal
    amount_excl: Decimal
    amount_vat: Decimal
    country: str | None = None
    vat_calculation: str | None = None
    #: The booking's VAT regime (domestic, eu_consumer, icp, international); None on old rows.
    regime: str | None = None
    #: The planner's line kind (products, shipping, voucher_sold, ...); None on old rows.
    kind: str | None = None
    intra_community_type: str | None = None


@dataclass(frozen=True)
class BookedEntry:
    """What AFAS holds once an entry is booked; handed to :meth:`Ledger.mark_processed`."""

    relation_id: str
    relation_type: str
    invoice_number: str
    invoice_date: date | str
    amount_excl: Decimal
    amount_vat: Decimal
    amount_incl: Decimal
    lines: tuple[BookedLine, ...] = ()
    afas_entry_id: str | None = None

    def check(self) -> None:
        """Refuse totals that do not add up to the cent: a wrong ledger is worse than none."""
        if self.amount_excl + self.amount_vat != self.amount_incl:
            raise ValueError(
                f"invoice {self.invoice_number}: excl {self.amount_excl} + VAT {self.amount_vat}"
                f" != incl {self.amount_incl}"
            )
        if self.lines:
            excl = sum((line.amount_excl for line in self.lines), Decimal(0))
            vat = sum((line.amount_vat for line in self.lines), Decimal(0))
            if excl != self.amount_excl or vat != self.amount_vat:
                raise ValueError(
                    f"invoice {self.invoice_number}: lines sum to {excl} + {vat},"
                    f" entry says {self.amount_excl} + {self.amount_vat}"
                )


@dataclass(frozen=True)
class EntryRecord:
    """One attempt to book an entry in AFAS, from intent (``posting``) to its outcome."""

    entry_id: int
    shop: str
    order_id: int
    kind: EntryKind
    state: EntryState
    tracking_id: str | None
    fingerprint: str | None
    request_body: str | None
    created_at: str
    invoice_number: str | None
    source: EntrySource | None
    afas_entry_id: str | None
    relation_id: str | None
    relation_type: str | None
    invoice_date: str | None
    amount_excl: Decimal | None
    amount_vat: Decimal | None
    amount_incl: Decimal | None
    processed_at: str | None
    response_body: str | None
    error: OrderError | None
    failed_at: str | None
    lines: tuple[BookedLine, ...] = field(default=())


@dataclass(frozen=True)
class DebtorRecord:
    shop: str
    kind: DebtorKey
    value: str
    relation_id: str
    relation_type: str
    created_by_us: bool
    updated_at: str


@dataclass(frozen=True)
class Event:
    event_id: int
    shop: str
    order_id: int | None
    at: str
    event: str
    details: dict[str, Any]


@dataclass(frozen=True)
class IcpEvidence:
    """A VIES answer kept as evidence for an intra-community (ICP) supply."""

    country_code: str
    vat_number: str
    valid: bool
    checked_at: str
    consultation_number: str | None = None
    trader_name: str | None = None
    trader_address: str | None = None
    raw: str | None = None


@dataclass(frozen=True)
class ImportedOrder:
    """An order already booked in AFAS, for :meth:`Ledger.import_processed` (history, tests)."""

    order_id: int
    date_added: datetime | str
    date_modified: datetime | str
    booked: BookedEntry
    order: dict[str, Any] = field(default_factory=dict)
    status_id: int | None = None
    country: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
