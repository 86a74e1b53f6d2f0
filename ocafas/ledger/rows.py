"""Turning SQLite rows into ledger records (text back into Decimal, enums and dicts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ocafas.ledger.codec import load_json, money_value, optional_money
from ocafas.ledger.records import (
    BookedLine,
    EntryKind,
    EntryRecord,
    EntrySource,
    EntryState,
    OrderError,
    OrderRecord,
    OrderState,
    SkipReason,
)

ENTRY_COLUMNS = (
    "entry_id, shop, order_id, kind, state, tracking_id, fingerprint, request_body, created_at,"
    " invoice_number, source, afas_entry_id, relation_id, relation_type, invoice_date,"
    " amount_excl, amount_vat, amount_incl, processed_at, response_body, error_code,"
    " error_message, error_hint, failed_at"
)
LINE_COLUMNS = (
    "entry_id, line_no, ledger_account, vat_type, vat_calculation, vat_rate, country,"
    " amount_excl, amount_vat, regime, line_kind, intra_community_type"
)


def order_record(row: sqlite3.Row) -> OrderRecord:
    error = None
    if row["error_code"] is not None:
        error = OrderError(row["error_code"], row["error_message"], row["error_hint"])
    document: dict[str, Any] = load_json(row["order_json"])
    return OrderRecord(
        shop=row["shop"],
        order_id=int(row["order_id"]),
        state=OrderState(row["state"]),
        date_added=row["date_added"],
        date_modified=row["date_modified"],
        status_id=row["status_id"],
        country=row["country"],
        customer_name=row["customer_name"],
        customer_email=row["customer_email"],
        order=document,
        first_seen_at=row["first_seen_at"],
        updated_at=row["updated_at"],
        skip_reason=SkipReason(row["skip_reason"]) if row["skip_reason"] else None,
        skip_detail=row["skip_detail"],
        error=error,
        attempts=int(row["attempts"]),
        last_attempt_at=row["last_attempt_at"],
    )


def line_record(row: sqlite3.Row) -> BookedLine:
    return BookedLine(
        ledger_account=row["ledger_account"],
        vat_type=row["vat_type"],
        vat_rate=money_value(row["vat_rate"]),
        amount_excl=money_value(row["amount_excl"]),
        amount_vat=money_value(row["amount_vat"]),
        country=row["country"],
        vat_calculation=row["vat_calculation"],
        regime=row["regime"],
        kind=row["line_kind"],
        intra_community_type=row["intra_community_type"],
    )


def entry_record(row: sqlite3.Row, lines: Iterable[BookedLine] = ()) -> EntryRecord:
    error = None
    if row["error_code"] is not None:
        error = OrderError(row["error_code"], row["error_message"] or "", row["error_hint"])
    return EntryRecord(
        entry_id=int(row["entry_id"]),
        shop=row["shop"],
        order_id=int(row["order_id"]),
        kind=EntryKind(row["kind"]),
        state=EntryState(row["state"]),
        tracking_id=row["tracking_id"],
        fingerprint=row["fingerprint"],
        request_body=row["request_body"],
        created_at=row["created_at"],
        invoice_number=row["invoice_number"],
        source=EntrySource(row["source"]) if row["source"] else None,
        afas_entry_id=row["afas_entry_id"],
        relation_id=row["relation_id"],
        relation_type=row["relation_type"],
        invoice_date=row["invoice_date"],
        amount_excl=optional_money(row["amount_excl"]),
        amount_vat=optional_money(row["amount_vat"]),
        amount_incl=optional_money(row["amount_incl"]),
        processed_at=row["processed_at"],
        response_body=row["response_body"],
        error=error,
        failed_at=row["failed_at"],
        lines=tuple(lines),
    )
