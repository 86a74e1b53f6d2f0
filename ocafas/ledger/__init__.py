"""The local SQLite ledger: the only state ocafas keeps, written before and after each side effect.

It never imports Click, rich or requests. See ``docs/ledger.md`` for the states and the schema.
"""

from ocafas.ledger.codec import canonical_json, fingerprint
from ocafas.ledger.extras import normalise_debtor_value
from ocafas.ledger.ledger import DEFAULT_SHOP, Ledger
from ocafas.ledger.lock import RunLock, lock_path
from ocafas.ledger.queries import ORDERS_IN_STATE_SQL, PROCESSED_IN_PERIOD_SQL
from ocafas.ledger.records import (
    BookedEntry,
    BookedLine,
    DebtorKey,
    DebtorRecord,
    EntryKind,
    EntryRecord,
    EntrySource,
    EntryState,
    Event,
    IcpEvidence,
    ImportedOrder,
    OrderError,
    OrderRecord,
    OrderState,
    SkipReason,
    TransitionError,
)
from ocafas.ledger.schema import MIGRATIONS, SCHEMA_VERSION, Migration, migrate

__all__ = [
    "DEFAULT_SHOP",
    "MIGRATIONS",
    "ORDERS_IN_STATE_SQL",
    "PROCESSED_IN_PERIOD_SQL",
    "SCHEMA_VERSION",
    "BookedEntry",
    "BookedLine",
    "DebtorKey",
    "DebtorRecord",
    "EntryKind",
    "EntryRecord",
    "EntrySource",
    "EntryState",
    "Event",
    "IcpEvidence",
    "ImportedOrder",
    "Ledger",
    "Migration",
    "OrderError",
    "OrderRecord",
    "OrderState",
    "RunLock",
    "SkipReason",
    "TransitionError",
    "canonical_json",
    "fingerprint",
    "lock_path",
    "migrate",
    "normalise_debtor_value",
]
