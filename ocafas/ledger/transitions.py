"""The order's state machine: each move is a method that refuses what the diagram forbids.

Every method runs in one transaction that also appends the move to the event log, and re-reads
the row inside that transaction, so two workers racing on one order cannot both win: the second
gets :class:`TransitionError` and nothing is written. The same rules are repeated as triggers
and partial unique indexes in the schema, so raw SQL cannot break them either.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ocafas.ledger.codec import datetime_text, json_text, load_json, now_utc
from ocafas.ledger.codec import fingerprint as body_fingerprint
from ocafas.ledger.queries import LedgerQueries
from ocafas.ledger.records import (
    EntryKind,
    EntryRecord,
    OrderRecord,
    OrderState,
    SkipReason,
    TransitionError,
)
from ocafas.ledger.rows import order_record

S = OrderState
BOOKABLE = frozenset({S.SEEN, S.OPEN, S.ERROR})
CLEAR_ERROR = "error_code = NULL, error_message = NULL, error_hint = NULL"
CLEAR_SKIP = "skip_reason = NULL, skip_detail = NULL"


def _state(row: sqlite3.Row) -> OrderState:
    return OrderState(row["state"])


class LedgerTransitions(LedgerQueries):
    def _require(self, conn: sqlite3.Connection, order_id: int) -> sqlite3.Row:
        row = self._order_row(conn, order_id)
        if row is None:
            raise TransitionError(f"order {order_id} is not in the ledger of shop {self.shop!r}")
        return row

    @staticmethod
    def _guard(row: sqlite3.Row, allowed: frozenset[OrderState], action: str) -> OrderState:
        state = _state(row)
        if state not in allowed:
            names = ", ".join(sorted(s.value for s in allowed))
            raise TransitionError(
                f"order {row['order_id']} is {state.value}: cannot {action} (only from {names})"
            )
        return state

    def _set_order(
        self, conn: sqlite3.Connection, order_id: int, assignments: str, params: tuple[Any, ...]
    ) -> None:
        conn.execute(
            # assignments are constants of this module, never user text
            f"UPDATE orders SET {assignments}, updated_at = ? WHERE shop = ? AND order_id = ?",  # noqa: S608
            (*params, now_utc(), self.shop, order_id),
        )

    def _order(self, conn: sqlite3.Connection, order_id: int) -> OrderRecord:
        return order_record(self._require(conn, order_id))

    def _entry(self, conn: sqlite3.Connection, entry_id: int) -> EntryRecord:
        rows = self._entry_rows(conn, "entry_id = ?", (entry_id,))
        return self._entries(conn, rows)[0]

    # -- seen, open, skipped --

    def record_seen(
        self,
        order_id: int,
        *,
        order: Mapping[str, Any] | str,
        date_added: Any,
        date_modified: Any,
        status_id: int | None = None,
        country: str | None = None,
        customer_name: str | None = None,
        customer_email: str | None = None,
    ) -> OrderRecord:
        """Insert a new order as ``seen``, or refresh what we know of a known one (state kept)."""
        self.store_seen(
            order_id,
            order=order,
            date_added=date_added,
            date_modified=date_modified,
            status_id=status_id,
            country=country,
            customer_name=customer_name,
            customer_email=customer_email,
        )
        record = self.get(order_id)
        assert record is not None
        return record

    def store_seen(
        self,
        order_id: int,
        *,
        order: Mapping[str, Any] | str,
        date_added: Any,
        date_modified: Any,
        status_id: int | None = None,
        country: str | None = None,
        customer_name: str | None = None,
        customer_email: str | None = None,
    ) -> None:
        """:meth:`record_seen` without reading the record back (the gate of every order)."""
        document = json_text(order)
        if not document.lstrip().startswith("{"):
            raise ValueError(f"order {order_id}: the order JSON must be an object")
        data = (
            document,
            datetime_text(date_added),
            datetime_text(date_modified),
            status_id,
            country,
            customer_name,
            customer_email,
        )
        with self.transaction() as conn:
            row = self._order_row(conn, order_id)
            now = now_utc()
            if row is None:
                conn.execute(
                    "INSERT INTO orders (shop, order_id, state, order_json, date_added,"
                    " date_modified, status_id, country, customer_name, customer_email,"
                    " first_seen_at, updated_at) VALUES (?, ?, 'seen', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (self.shop, order_id, *data, now, now),
                )
                self._log(
                    conn, order_id, "seen", {"date_modified": data[2], "status_id": status_id}
                )
            else:
                self._set_order(
                    conn,
                    order_id,
                    "order_json = ?, date_added = ?, date_modified = ?, status_id = ?,"
                    " country = ?, customer_name = ?, customer_email = ?",
                    data,
                )
                if row["date_modified"] != data[2] or row["status_id"] != status_id:
                    self._log(
                        conn,
                        order_id,
                        "changed",
                        {
                            "date_modified": [row["date_modified"], data[2]],
                            "status_id": [row["status_id"], status_id],
                        },
                    )

    def mark_open(self, order_id: int, reason: str | None = None) -> OrderRecord:
        """Not processable (yet): e.g. its status is not one that books. A no-op when open."""
        with self.transaction() as conn:
            row = self._require(conn, order_id)
            state = self._guard(row, frozenset({S.SEEN, S.OPEN, S.ERROR, S.SKIPPED}), "open it")
            if state is not S.OPEN:
                self._set_order(conn, order_id, f"state = 'open', {CLEAR_ERROR}, {CLEAR_SKIP}", ())
                self._log(conn, order_id, "open", {"from": state.value, "reason": reason})
            return self._order(conn, order_id)

    def mark_skipped(
        self, order_id: int, reason: SkipReason | str, detail: str | None = None
    ) -> OrderRecord:
        """Never to be booked: before the start date, excluded by the user, or a zero total."""
        why = SkipReason(reason)
        with self.transaction() as conn:
            row = self._require(conn, order_id)
            allowed = frozenset({S.SEEN, S.OPEN, S.ERROR, S.SKIPPED})
            state = self._guard(row, allowed, "skip it")
            self._set_order(
                conn,
                order_id,
                f"state = 'skipped', skip_reason = ?, skip_detail = ?, {CLEAR_ERROR}",
                (why.value, detail),
            )
            self._log(
                conn,
                order_id,
                "skipped",
                {"from": state.value, "reason": why.value, "detail": detail},
            )
            return self._order(conn, order_id)

    # -- posting: the intent, recorded before the POST --

    def begin_posting(
        self,
        order_id: int,
        kind: EntryKind | str,
        tracking_id: str,
        body: Mapping[str, Any] | str,
        fingerprint: str | None = None,
        *,
        invoice_number: str | None = None,
        events: Sequence[tuple[str, Mapping[str, Any]]] = (),
    ) -> EntryRecord:
        """Record the exact request and its Tracking-Identifier; send ``entry.request_body`` after.

        A booking starts from seen/open, or from error (a retry: a fresh tracking id, because
        AFAS would replay the refusal of the old one). A credit needs a processed booking.
        It commits before it returns, so it refuses to run inside ``transaction()``.
        ``events`` (name, details) are logged before the ``posting`` event in the same commit:
        each commit is a disk sync, and the sync before the POST is the one that matters.
        """
        kind = EntryKind(kind)
        try:
            tracking = str(uuid.UUID(tracking_id))
        except (ValueError, AttributeError, TypeError):
            raise ValueError(f"tracking id must be a UUID, got {tracking_id!r}") from None
        # one parse: the text is checked and fingerprinted from the same document
        document = load_json(body) if isinstance(body, str) else body
        text = body if isinstance(body, str) else json_text(body)
        digest = body_fingerprint(document)
        if fingerprint is not None and fingerprint != digest:
            raise ValueError(f"fingerprint {fingerprint} does not match the body ({digest})")
        # Inside the caller's own transaction the intent would not be on disk when the POST
        # goes out, and a crash after the POST would forget its Tracking-Identifier: refuse.
        if self._depth and self._owner == threading.get_ident():
            raise TransitionError(
                "begin_posting must commit on its own, before the POST: do not call it inside"
                " ledger.transaction()"
            )
        return self._intents.run(
            lambda: self._write_intent(
                order_id, kind, tracking, text, digest, invoice_number, events
            )
        )

    def _write_intent(
        self,
        order_id: int,
        kind: EntryKind,
        tracking: str,
        text: str,
        digest: str,
        invoice_number: str | None,
        events: Sequence[tuple[str, Mapping[str, Any]]],
    ) -> EntryRecord:
        with self.transaction() as conn:
            row = self._require(conn, order_id)
            if kind is EntryKind.BOOKING:
                state = self._guard(row, BOOKABLE, "begin posting its booking")
            else:
                state = self._guard(row, frozenset({S.PROCESSED}), "begin posting a credit")
            live = self._live_entry_row(conn, order_id, kind)
            if live is not None:
                raise TransitionError(
                    f"order {order_id} already has a {live['state']} {kind.value} entry"
                    f" (tracking id {live['tracking_id']})"
                )
            if self._entry_rows(conn, "tracking_id = ?", (tracking,)):
                raise TransitionError(f"tracking id {tracking} was used before; use a new one")
            if invoice_number is not None:
                self._check_invoice_number(conn, order_id, invoice_number)
            cursor = conn.execute(
                "INSERT INTO entries (shop, order_id, kind, state, tracking_id, fingerprint,"
                " request_body, created_at, invoice_number)"
                " VALUES (?, ?, ?, 'posting', ?, ?, ?, ?, ?)",
                (
                    self.shop,
                    order_id,
                    kind.value,
                    tracking,
                    digest,
                    text,
                    now_utc(),
                    invoice_number,
                ),
            )
            entry_id = int(cursor.lastrowid or 0)
            for name, details in events:
                self._log(conn, order_id, name, details)
            if kind is EntryKind.BOOKING:
                self._set_order(
                    conn,
                    order_id,
                    "state = 'posting', attempts = attempts + 1, last_attempt_at = ?,"
                    f" {CLEAR_ERROR}",
                    (now_utc(),),
                )
            self._log(
                conn,
                order_id,
                "posting",
                {
                    "kind": kind.value,
                    "tracking_id": tracking,
                    "fingerprint": digest,
                    "retry": state is S.ERROR,
                },
            )
            return self._entry(conn, entry_id)

    def _check_invoice_number(self, conn: sqlite3.Connection, order_id: int, number: str) -> None:
        rows = self._entry_rows(
            conn,
            "shop = ? AND invoice_number = ? AND state IN ('posting', 'processed')",
            (self.shop, number),
        )
        if rows:
            raise TransitionError(
                f"invoice number {number} of order {order_id} is already used by order"
                f" {rows[0]['order_id']} ({rows[0]['kind']})"
            )


__all__ = ["LedgerTransitions"]
