"""Reading the ledger: orders, entries and their lines, counts and the month queries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from ocafas.ledger.codec import date_text
from ocafas.ledger.db import Database
from ocafas.ledger.records import (
    BookedLine,
    EntryKind,
    EntryRecord,
    EntryState,
    OrderRecord,
    OrderState,
)
from ocafas.ledger.rows import ENTRY_COLUMNS, LINE_COLUMNS, entry_record, line_record, order_record

#: Booked entries by invoice date; served by index ``entries_by_invoice_date``.
PROCESSED_IN_PERIOD_SQL = (
    f"SELECT {ENTRY_COLUMNS} FROM entries"  # noqa: S608 (ENTRY_COLUMNS is a constant)
    " WHERE shop = ? AND state = 'processed' AND kind = ?"
    " AND invoice_date >= ? AND invoice_date < ? ORDER BY invoice_date, entry_id"
)
#: Orders in one state added in a period; served by index ``orders_by_state_date``.
ORDERS_IN_STATE_SQL = (
    "SELECT * FROM orders WHERE shop = ? AND state = ?"
    " AND date_added >= ? AND date_added < ? ORDER BY date_added, order_id"
)
ERRORS_SQL = "SELECT * FROM orders WHERE shop = ? AND state = 'error'"
#: "+order_id": sorted after the search, so SQLite finds the rows by the state index instead of
#: walking every order of the shop in id order (0.34 s at 1,000,000 orders).
ERRORS_ORDER = " ORDER BY +order_id"
_MAX_VARIABLES = 500


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _MAX_VARIABLES):
        yield values[start : start + _MAX_VARIABLES]


class LedgerQueries(Database):
    """Read-only calls. Every result is a frozen record; money comes back as Decimal."""

    # -- helpers shared with the transitions (called with the transaction's connection) --

    def _order_row(self, conn: sqlite3.Connection, order_id: int) -> sqlite3.Row | None:
        cursor = conn.execute(
            "SELECT * FROM orders WHERE shop = ? AND order_id = ?", (self.shop, order_id)
        )
        cursor.row_factory = sqlite3.Row
        row: sqlite3.Row | None = cursor.fetchone()
        return row

    def _entry_rows(
        self, conn: sqlite3.Connection, where: str, params: tuple[object, ...]
    ) -> list[sqlite3.Row]:
        # ``where`` is always a constant of the ledger modules; values go in ``params``
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries WHERE {where}"  # noqa: S608
        cursor = conn.execute(sql, params)
        cursor.row_factory = sqlite3.Row
        return list(cursor.fetchall())

    def _live_entry_row(
        self, conn: sqlite3.Connection, order_id: int, kind: EntryKind
    ) -> sqlite3.Row | None:
        rows = self._entry_rows(
            conn,
            "shop = ? AND order_id = ? AND kind = ? AND state IN ('posting', 'processed')",
            (self.shop, order_id, kind.value),
        )
        return rows[0] if rows else None

    def _lines_by_entry(
        self, conn: sqlite3.Connection, entry_ids: Sequence[int]
    ) -> dict[int, list[BookedLine]]:
        found: dict[int, list[BookedLine]] = {}
        for chunk in _chunks(list(entry_ids)):
            marks = ",".join("?" * len(chunk))
            cursor = conn.execute(
                f"SELECT {LINE_COLUMNS} FROM entry_lines WHERE entry_id IN ({marks})"  # noqa: S608
                " ORDER BY entry_id, line_no",
                tuple(chunk),
            )
            cursor.row_factory = sqlite3.Row
            for row in cursor:
                found.setdefault(int(row["entry_id"]), []).append(line_record(row))
        return found

    def _entries(self, conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[EntryRecord]:
        lines = self._lines_by_entry(conn, [int(row["entry_id"]) for row in rows])
        return [entry_record(row, lines.get(int(row["entry_id"]), ())) for row in rows]

    # -- public reads --

    def get(self, order_id: int) -> OrderRecord | None:
        with self._lock:
            row = self._order_row(self._db(), order_id)
        return order_record(row) if row is not None else None

    def entries(self, order_id: int) -> list[EntryRecord]:
        """Every attempt for one order, oldest first, failed ones included."""
        with self._lock:
            conn = self._db()
            rows = self._entry_rows(
                conn, "shop = ? AND order_id = ? ORDER BY entry_id", (self.shop, order_id)
            )
            return self._entries(conn, rows)

    def entry(self, order_id: int, kind: EntryKind = EntryKind.BOOKING) -> EntryRecord | None:
        """The live (posting or processed) entry of this kind, if any."""
        with self._lock:
            conn = self._db()
            row = self._live_entry_row(conn, order_id, EntryKind(kind))
            return self._entries(conn, [row])[0] if row is not None else None

    def pending_postings(self) -> list[EntryRecord]:
        """Entries whose POST may or may not have reached AFAS: reconcile these first."""
        with self._lock:
            conn = self._db()
            rows = self._entry_rows(
                conn, "shop = ? AND state = 'posting' ORDER BY entry_id", (self.shop,)
            )
            return self._entries(conn, rows)

    def orders_in_state(
        self,
        state: OrderState | str,
        *,
        added_from: str | None = None,
        added_before: str | None = None,
        limit: int | None = None,
    ) -> list[OrderRecord]:
        """Orders in one state, optionally added in ``[added_from, added_before)`` (shop time)."""
        params: list[object] = [
            self.shop,
            OrderState(state).value,
            added_from or "",
            added_before or "\uffff",
        ]
        sql = ORDERS_IN_STATE_SQL
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [order_record(row) for row in self._read(sql, params)]

    def errors(
        self, code: str | Sequence[str] | None = None, order_ids: Iterable[int] | None = None
    ) -> list[OrderRecord]:
        """Orders in error, optionally only with these codes and/or these order ids."""
        sql = ERRORS_SQL
        params: list[object] = [self.shop]
        if code is not None:
            codes = [code] if isinstance(code, str) else list(code)
            sql += f" AND error_code IN ({','.join('?' * len(codes))})"
            params.extend(codes)
        wanted = None if order_ids is None else {int(order_id) for order_id in order_ids}
        rows = self._read(sql + ERRORS_ORDER, params)
        return [
            order_record(row) for row in rows if wanted is None or int(row["order_id"]) in wanted
        ]

    def open_order_ids(self) -> list[int]:
        """Orders to recheck: ``open`` ones, and ``seen`` ones a crashed run did not gate."""
        rows = self._read(
            "SELECT order_id FROM orders WHERE shop = ? AND state IN ('seen', 'open')"
            " ORDER BY order_id",
            (self.shop,),
        )
        return [int(row["order_id"]) for row in rows]

    def error_count(self) -> int:
        """Orders in error (by the state index: cheap on a large ledger)."""
        rows = self._read(
            "SELECT COUNT(*) FROM orders WHERE shop = ? AND state = 'error'", (self.shop,)
        )
        return int(rows[0][0])

    def counts(self) -> dict[OrderState, int]:
        """Orders per state, every state present (zero when none)."""
        found = {state: 0 for state in OrderState}
        for row in self._read(
            "SELECT state, COUNT(*) AS n FROM orders WHERE shop = ? GROUP BY state", (self.shop,)
        ):
            found[OrderState(row["state"])] = int(row["n"])
        return found

    def entry_counts(self) -> dict[tuple[EntryKind, EntryState], int]:
        found = {(kind, state): 0 for kind in EntryKind for state in EntryState}
        for row in self._read(
            "SELECT kind, state, COUNT(*) AS n FROM entries WHERE shop = ? GROUP BY kind, state",
            (self.shop,),
        ):
            found[(EntryKind(row["kind"]), EntryState(row["state"]))] = int(row["n"])
        return found

    def processed_entries(
        self,
        invoiced_from: date | str,
        invoiced_before: date | str,
        kind: EntryKind = EntryKind.BOOKING,
    ) -> list[EntryRecord]:
        """Booked entries with invoice date in ``[invoiced_from, invoiced_before)``, with lines."""
        params = (
            self.shop,
            EntryKind(kind).value,
            date_text(invoiced_from),
            date_text(invoiced_before),
        )
        with self._lock:
            conn = self._db()
            cursor = conn.execute(PROCESSED_IN_PERIOD_SQL, params)
            cursor.row_factory = sqlite3.Row
            return self._entries(conn, list(cursor.fetchall()))
