"""The outcomes of a posting: AFAS booked it, AFAS already had it, or the order is in error."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any, Literal, overload

from ocafas.ledger.codec import (
    ENTRY_LINE_SQL,
    date_text,
    entry_line_rows,
    json_text,
    money_text,
    now_utc,
)
from ocafas.ledger.records import (
    BookedEntry,
    EntryKind,
    EntryRecord,
    EntrySource,
    EntryState,
    OrderRecord,
    TransitionError,
)
from ocafas.ledger.transitions import BOOKABLE, CLEAR_ERROR, LedgerTransitions, S


class LedgerOutcomes(LedgerTransitions):
    def _write_outcome(
        self,
        conn: sqlite3.Connection,
        entry_id: int,
        booked: BookedEntry,
        source: EntrySource,
        response: Mapping[str, Any] | str | None,
    ) -> None:
        conn.execute(
            "UPDATE entries SET state = 'processed', source = ?, afas_entry_id = ?,"
            " relation_id = ?, relation_type = ?, invoice_number = ?, invoice_date = ?,"
            " amount_excl = ?, amount_vat = ?, amount_incl = ?, processed_at = ?,"
            " response_body = ? WHERE entry_id = ?",
            (
                source.value,
                booked.afas_entry_id,
                booked.relation_id,
                booked.relation_type,
                booked.invoice_number,
                date_text(booked.invoice_date),
                money_text(booked.amount_excl),
                money_text(booked.amount_vat),
                money_text(booked.amount_incl),
                now_utc(),
                None if response is None else json_text(response),
                entry_id,
            ),
        )
        conn.executemany(ENTRY_LINE_SQL, entry_line_rows(entry_id, booked.lines))

    def _finish(
        self,
        conn: sqlite3.Connection,
        *,
        order_id: int,
        kind: EntryKind,
        entry_id: int,
        booked: BookedEntry,
        source: EntrySource,
        event: str,
        returning: bool = True,
    ) -> EntryRecord | None:
        if kind is EntryKind.BOOKING:
            self._set_order(conn, order_id, f"state = 'processed', {CLEAR_ERROR}", ())
        self._log(
            conn,
            order_id,
            event,
            {
                "kind": kind.value,
                "source": source.value,
                "invoice_number": booked.invoice_number,
                "afas_entry_id": booked.afas_entry_id,
                "amount_incl": booked.amount_incl,
            },
        )
        return self._entry(conn, entry_id) if returning else None

    @overload
    def mark_processed(
        self,
        order_id: int,
        booked: BookedEntry,
        *,
        kind: EntryKind | str = ...,
        source: EntrySource | str = ...,
        tracking_id: str | None = ...,
        response: Mapping[str, Any] | str | None = ...,
        returning: Literal[True] = ...,
    ) -> EntryRecord: ...

    @overload
    def mark_processed(
        self,
        order_id: int,
        booked: BookedEntry,
        *,
        kind: EntryKind | str = ...,
        source: EntrySource | str = ...,
        tracking_id: str | None = ...,
        response: Mapping[str, Any] | str | None = ...,
        returning: Literal[False],
    ) -> None: ...

    def mark_processed(
        self,
        order_id: int,
        booked: BookedEntry,
        *,
        kind: EntryKind | str = EntryKind.BOOKING,
        source: EntrySource | str = EntrySource.BOOKED,
        tracking_id: str | None = None,
        response: Mapping[str, Any] | str | None = None,
        returning: bool = True,
    ) -> EntryRecord | None:
        """AFAS holds the entry now: booked by our POST, or ``found`` (e.g. "already exists").

        ``returning=False``: the entry is not read back (the pipeline does not need it).
        """
        kind, source = EntryKind(kind), EntrySource(source)
        booked.check()
        with self.transaction() as conn:
            self._require(conn, order_id)
            live = self._live_entry_row(conn, order_id, kind)
            if live is None or live["state"] != EntryState.POSTING.value:
                what = "no" if live is None else f"a {live['state']}"
                raise TransitionError(
                    f"order {order_id} has {what} {kind.value} entry, not a posting one:"
                    " cannot mark it processed"
                )
            if tracking_id is not None and str(uuid.UUID(tracking_id)) != live["tracking_id"]:
                raise TransitionError(
                    f"order {order_id}: tracking id {tracking_id} is not the posting one"
                    f" ({live['tracking_id']})"
                )
            planned = live["invoice_number"]
            if planned is not None and planned != booked.invoice_number:
                raise TransitionError(
                    f"order {order_id}: AFAS booked invoice {booked.invoice_number},"
                    f" the request said {planned}"
                )
            if planned is None:
                self._check_invoice_number(conn, order_id, booked.invoice_number)
            entry_id = int(live["entry_id"])
            self._write_outcome(conn, entry_id, booked, source, response)
            return self._finish(
                conn,
                order_id=order_id,
                kind=kind,
                entry_id=entry_id,
                booked=booked,
                source=source,
                event="processed",
                returning=returning,
            )

    def record_found(
        self,
        order_id: int,
        booked: BookedEntry,
        *,
        kind: EntryKind | str = EntryKind.BOOKING,
        response: Mapping[str, Any] | str | None = None,
    ) -> EntryRecord:
        """AFAS already holds this order's entry though we never posted it (history, lookup)."""
        kind = EntryKind(kind)
        booked.check()
        with self.transaction() as conn:
            row = self._require(conn, order_id)
            if kind is EntryKind.BOOKING:
                self._guard(row, BOOKABLE, "record its booking as found")
            else:
                self._guard(row, frozenset({S.PROCESSED}), "record a credit as found")
            if self._live_entry_row(conn, order_id, kind) is not None:
                raise TransitionError(f"order {order_id} already has a live {kind.value} entry")
            self._check_invoice_number(conn, order_id, booked.invoice_number)
            cursor = conn.execute(
                "INSERT INTO entries (shop, order_id, kind, state, created_at)"
                " VALUES (?, ?, ?, 'posting', ?)",
                (self.shop, order_id, kind.value, now_utc()),
            )
            entry_id = int(cursor.lastrowid or 0)
            self._write_outcome(conn, entry_id, booked, EntrySource.FOUND, response)
            record = self._finish(
                conn,
                order_id=order_id,
                kind=kind,
                entry_id=entry_id,
                booked=booked,
                source=EntrySource.FOUND,
                event="found",
            )
            assert record is not None
            return record

    def mark_error(
        self,
        order_id: int,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        kind: EntryKind | str = EntryKind.BOOKING,
        response: Mapping[str, Any] | str | None = None,
    ) -> OrderRecord:
        """Checks failed, or AFAS definitely refused the posting entry (it did NOT book it).

        A timeout or a crash is not an error: leave the entry ``posting`` for reconcile.
        """
        kind = EntryKind(kind)
        if not code or not message:
            raise ValueError("an error needs a code and a message")
        with self.transaction() as conn:
            row = self._require(conn, order_id)
            if kind is EntryKind.BOOKING:
                state = self._guard(row, BOOKABLE | {S.POSTING}, "mark it in error")
            else:
                state = self._guard(row, frozenset({S.PROCESSED}), "fail its credit")
            live = self._live_entry_row(conn, order_id, kind)
            posting = live is not None and live["state"] == EntryState.POSTING.value
            if kind is EntryKind.CREDIT and not posting:
                raise TransitionError(f"order {order_id} has no posting credit entry to fail")
            now = now_utc()
            if posting and live is not None:
                conn.execute(
                    "UPDATE entries SET state = 'failed', error_code = ?, error_message = ?,"
                    " error_hint = ?, failed_at = ?, response_body = ? WHERE entry_id = ?",
                    (
                        code,
                        message,
                        hint,
                        now,
                        None if response is None else json_text(response),
                        live["entry_id"],
                    ),
                )
            if kind is EntryKind.BOOKING:
                counted = 0 if state is S.POSTING else 1
                self._set_order(
                    conn,
                    order_id,
                    "state = 'error', error_code = ?, error_message = ?, error_hint = ?,"
                    " attempts = attempts + ?, last_attempt_at = ?",
                    (code, message, hint, counted, now),
                )
            self._log(
                conn,
                order_id,
                "error",
                {
                    "kind": kind.value,
                    "from": state.value,
                    "code": code,
                    "message": message,
                    "hint": hint,
                    "entry_failed": posting,
                },
            )
            return self._order(conn, order_id)
