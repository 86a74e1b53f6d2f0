"""The ledger's schema as a numbered list of migrations.

``PRAGMA user_version`` holds the number of the last migration applied. Each migration runs in
its own ``BEGIN IMMEDIATE`` transaction together with the version bump, so a crash leaves the
ledger at the previous version, never half-way. Never edit a released migration: append one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ocafas.errors import LedgerError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_APPEND_ONLY = """
CREATE TRIGGER {table}_append_only_{op} BEFORE {op} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
"""

# The order transitions the ledger allows, also enforced by a trigger so that raw SQL elsewhere
# (a report, a repair by hand) cannot move an order backwards either.
ALLOWED_ORDER_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        ("seen", "open"),
        ("seen", "skipped"),
        ("seen", "posting"),
        ("seen", "error"),
        ("seen", "processed"),  # found in AFAS without posting
        ("open", "skipped"),
        ("open", "posting"),
        ("open", "error"),
        ("open", "processed"),
        ("error", "open"),
        ("error", "skipped"),
        ("error", "posting"),
        ("error", "processed"),
        ("skipped", "open"),
        ("posting", "processed"),
        ("posting", "error"),
    }
)
_MOVES_SQL = ", ".join(f"'{a}>{b}'" for a, b in sorted(ALLOWED_ORDER_MOVES))

_V1 = (
    """
    CREATE TABLE orders (
        shop            TEXT NOT NULL,
        order_id        INTEGER NOT NULL,
        state           TEXT NOT NULL CHECK (state IN
                            ('seen', 'open', 'posting', 'processed', 'error', 'skipped')),
        date_added      TEXT NOT NULL,
        date_modified   TEXT NOT NULL,
        status_id       INTEGER,
        country         TEXT,
        customer_name   TEXT,
        customer_email  TEXT,
        order_json      TEXT NOT NULL,
        first_seen_at   TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        skip_reason     TEXT CHECK (skip_reason IN ('before_start_date', 'excluded', 'zero_total')),
        skip_detail     TEXT,
        error_code      TEXT,
        error_message   TEXT,
        error_hint      TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        PRIMARY KEY (shop, order_id),
        CHECK ((state = 'skipped') = (skip_reason IS NOT NULL)),
        CHECK ((state = 'error') = (error_code IS NOT NULL AND error_message IS NOT NULL))
    )
    """,
    "CREATE INDEX orders_by_state_date ON orders (shop, state, date_added)",
    "CREATE INDEX orders_by_date ON orders (shop, date_added)",
    """
    CREATE TABLE entries (
        entry_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        shop            TEXT NOT NULL,
        order_id        INTEGER NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('booking', 'credit')),
        state           TEXT NOT NULL CHECK (state IN ('posting', 'processed', 'failed')),
        tracking_id     TEXT,
        fingerprint     TEXT,
        request_body    TEXT,
        created_at      TEXT NOT NULL,
        invoice_number  TEXT,
        source          TEXT CHECK (source IN ('booked', 'found')),
        afas_entry_id   TEXT,
        relation_id     TEXT,
        relation_type   TEXT,
        invoice_date    TEXT,
        amount_excl     TEXT,
        amount_vat      TEXT,
        amount_incl     TEXT,
        processed_at    TEXT,
        response_body   TEXT,
        error_code      TEXT,
        error_message   TEXT,
        error_hint      TEXT,
        failed_at       TEXT,
        FOREIGN KEY (shop, order_id) REFERENCES orders (shop, order_id),
        CHECK (source = 'found'
               OR (tracking_id IS NOT NULL AND fingerprint IS NOT NULL
                   AND request_body IS NOT NULL)),
        CHECK ((state = 'processed') = (source IS NOT NULL)),
        CHECK (state <> 'processed'
               OR (relation_id IS NOT NULL AND relation_type IS NOT NULL
                   AND invoice_number IS NOT NULL AND invoice_date IS NOT NULL
                   AND amount_excl IS NOT NULL AND amount_vat IS NOT NULL
                   AND amount_incl IS NOT NULL AND processed_at IS NOT NULL)),
        CHECK ((state = 'failed') = (error_code IS NOT NULL AND failed_at IS NOT NULL))
    )
    """,
    # The guard against double-booking: one live (posting or processed) entry per order and kind.
    """
    CREATE UNIQUE INDEX entries_one_live ON entries (shop, order_id, kind)
        WHERE state IN ('posting', 'processed')
    """,
    "CREATE UNIQUE INDEX entries_tracking ON entries (tracking_id) WHERE tracking_id IS NOT NULL",
    # Two orders with one invoice number would let "already exists" in AFAS hide one of them.
    """
    CREATE UNIQUE INDEX entries_invoice_number ON entries (shop, invoice_number)
        WHERE invoice_number IS NOT NULL AND state IN ('posting', 'processed')
    """,
    "CREATE INDEX entries_by_order ON entries (shop, order_id, kind, entry_id)",
    "CREATE INDEX entries_by_invoice_date ON entries (shop, state, kind, invoice_date)",
    "CREATE INDEX entries_by_processed_at ON entries (shop, state, processed_at)",
    """
    CREATE TABLE entry_lines (
        entry_id        INTEGER NOT NULL REFERENCES entries (entry_id),
        line_no         INTEGER NOT NULL,
        ledger_account  TEXT NOT NULL,
        vat_type        TEXT NOT NULL,
        vat_calculation TEXT,
        vat_rate        TEXT NOT NULL,
        country         TEXT,
        amount_excl     TEXT NOT NULL,
        amount_vat      TEXT NOT NULL,
        PRIMARY KEY (entry_id, line_no)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TRIGGER orders_legal_moves BEFORE UPDATE OF state ON orders
    WHEN OLD.state <> NEW.state AND (OLD.state || '>' || NEW.state) NOT IN ({_MOVES_SQL})
    BEGIN SELECT RAISE(ABORT, 'illegal order state change'); END
    """,
    """
    CREATE TRIGGER orders_processed_needs_entry BEFORE UPDATE OF state ON orders
    WHEN NEW.state = 'processed' AND NOT EXISTS (
        SELECT 1 FROM entries e WHERE e.shop = NEW.shop AND e.order_id = NEW.order_id
        AND e.kind = 'booking' AND e.state = 'processed')
    BEGIN SELECT RAISE(ABORT, 'order processed without a processed booking entry'); END
    """,
    """
    CREATE TRIGGER orders_posting_needs_entry BEFORE UPDATE OF state ON orders
    WHEN NEW.state = 'posting' AND NOT EXISTS (
        SELECT 1 FROM entries e WHERE e.shop = NEW.shop AND e.order_id = NEW.order_id
        AND e.kind = 'booking' AND e.state = 'posting')
    BEGIN SELECT RAISE(ABORT, 'order posting without a posting booking entry'); END
    """,
    # An entry's outcome is final: a processed or failed attempt is history, never rewritten.
    """
    CREATE TRIGGER entries_final BEFORE UPDATE ON entries
    WHEN OLD.state IN ('processed', 'failed')
    BEGIN SELECT RAISE(ABORT, 'a finished entry is never changed'); END
    """,
    """
    CREATE TRIGGER entries_keep_intent BEFORE UPDATE ON entries
    WHEN NEW.tracking_id IS NOT OLD.tracking_id OR NEW.request_body IS NOT OLD.request_body
        OR NEW.fingerprint IS NOT OLD.fingerprint
    BEGIN SELECT RAISE(ABORT, 'the recorded request of an entry is never changed'); END
    """,
    _APPEND_ONLY.format(table="entries", op="DELETE"),
    """
    CREATE TABLE events (
        event_id  INTEGER PRIMARY KEY AUTOINCREMENT,
        shop      TEXT NOT NULL,
        order_id  INTEGER,
        at        TEXT NOT NULL,
        event     TEXT NOT NULL,
        details   TEXT NOT NULL
    )
    """,
    "CREATE INDEX events_by_order ON events (shop, order_id, event_id)",
    _APPEND_ONLY.format(table="events", op="UPDATE"),
    _APPEND_ONLY.format(table="events", op="DELETE"),
    """
    CREATE TABLE cursors (
        shop       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
)

_V2 = (
    """
    CREATE TABLE debtors (
        shop          TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('email', 'vat')),
        value         TEXT NOT NULL,
        relation_id   TEXT NOT NULL,
        relation_type TEXT NOT NULL,
        created_by_us INTEGER NOT NULL CHECK (created_by_us IN (0, 1)),
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (shop, kind, value)
    ) WITHOUT ROWID
    """,
)

_V3 = (
    """
    CREATE TABLE icp_evidence (
        evidence_id         INTEGER PRIMARY KEY AUTOINCREMENT,
        shop                TEXT NOT NULL,
        order_id            INTEGER NOT NULL,
        country_code        TEXT NOT NULL,
        vat_number          TEXT NOT NULL,
        valid               INTEGER NOT NULL CHECK (valid IN (0, 1)),
        consultation_number TEXT,
        checked_at          TEXT NOT NULL,
        trader_name         TEXT,
        trader_address      TEXT,
        raw                 TEXT,
        FOREIGN KEY (shop, order_id) REFERENCES orders (shop, order_id)
    )
    """,
    "CREATE INDEX icp_evidence_by_order ON icp_evidence (shop, order_id, evidence_id)",
    _APPEND_ONLY.format(table="icp_evidence", op="UPDATE"),
    _APPEND_ONLY.format(table="icp_evidence", op="DELETE"),
)

# What the VAT report needs to know of each booked line and cannot read back from the others: the
# regime the booking decided (ICP and international go to their own boxes of the VAT return), the
# kind of line (gift vouchers and store credit are payments, not revenue) and AFAS's
# IntraCommunityType. NULL on lines booked before this version: reports derive what they can.
_V4 = (
    "ALTER TABLE entry_lines ADD COLUMN regime TEXT",
    "ALTER TABLE entry_lines ADD COLUMN line_kind TEXT",
    "ALTER TABLE entry_lines ADD COLUMN intra_community_type TEXT",
)

#: The entry an order's state change needs. ``+e.kind`` and ``+e.state`` keep SQLite from using
#: ``entries_by_invoice_date`` (shop, state, kind, ...) for it, which scans every processed entry
#: of the shop: with that plan the triggers of version 1 made each booking cost O(ledger size)
#: (3 ms at 8,000 orders, 1.2 s at 1,000,000). This one uses ``entries_by_order``.
ORDER_ENTRY_SQL = (
    "SELECT 1 FROM entries e WHERE e.shop = {shop} AND e.order_id = {order_id}"
    " AND +e.kind = 'booking' AND +e.state = {state}"
)
_V5 = (
    "DROP TRIGGER orders_processed_needs_entry",
    f"""
    CREATE TRIGGER orders_processed_needs_entry BEFORE UPDATE OF state ON orders
    WHEN NEW.state = 'processed' AND NOT EXISTS (
        {ORDER_ENTRY_SQL.format(shop="NEW.shop", order_id="NEW.order_id", state="'processed'")})
    BEGIN SELECT RAISE(ABORT, 'order processed without a processed booking entry'); END
    """,
    "DROP TRIGGER orders_posting_needs_entry",
    f"""
    CREATE TRIGGER orders_posting_needs_entry BEFORE UPDATE OF state ON orders
    WHEN NEW.state = 'posting' AND NOT EXISTS (
        {ORDER_ENTRY_SQL.format(shop="NEW.shop", order_id="NEW.order_id", state="'posting'")})
    BEGIN SELECT RAISE(ABORT, 'order posting without a posting booking entry'); END
    """,
)

# Flags and reminders look events up by name (the ``after_booking`` flags of the reports): without
# this index that query read the whole event log, 1.2 s on a 1,000,000-order ledger.
_V6 = ("CREATE INDEX events_by_event ON events (shop, event, order_id)",)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "orders, AFAS entries and their lines, event log, sync cursor", _V1),
    Migration(2, "cache of debtors matched or created in AFAS", _V2),
    Migration(3, "ICP evidence (VIES answers) per order", _V3),
    Migration(4, "regime, kind and ICP type of each booked line (VAT report)", _V4),
    Migration(5, "order state triggers look up the order's entry by index", _V5),
    Migration(6, "events found by name (flags of booked orders)", _V6),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return int(version)


def check_not_newer(version: int, known: int = SCHEMA_VERSION) -> None:
    if version > known:
        raise LedgerError(
            f"ledger was written by a newer ocafas (schema {version}); upgrade ocafas",
            hint=f"this ocafas knows schema {known}",
        )


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration] = MIGRATIONS,
    target: int | None = None,
) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all); return the versions applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that this function owns
    the transactions.
    """
    numbers = [m.version for m in migrations]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3, ... without gaps: {numbers}")
    goal = numbers[-1] if target is None else target
    applied: list[int] = []
    for migration in migrations:
        if migration.version > goal:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            current = schema_version(conn)
            check_not_newer(current, numbers[-1])
            if migration.version <= current:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
