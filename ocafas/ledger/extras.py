"""What the ledger keeps beside the orders: sync cursor, debtor cache, event log, ICP evidence."""

from __future__ import annotations

import re
from typing import Any

from ocafas.ledger.codec import load_json, now_utc
from ocafas.ledger.outcomes import LedgerOutcomes
from ocafas.ledger.records import DebtorKey, DebtorRecord, Event, IcpEvidence, TransitionError

_VAT_NOISE = re.compile(r"[\s.\-]")


def normalise_debtor_value(kind: DebtorKey | str, value: str) -> str:
    """Cache keys compare as AFAS would: ``" Jan@X.NL "`` → ``"jan@x.nl"``.

    VAT numbers also lose spaces, dots and dashes: ``"NL 8538.34.582 B01"`` → ``"nl853834582b01"``.
    """
    text = value.strip().lower()
    if DebtorKey(kind) is DebtorKey.VAT:
        text = _VAT_NOISE.sub("", text)
    if not text:
        raise ValueError(f"empty {DebtorKey(kind).value} key for the debtor cache")
    return text


class LedgerExtras(LedgerOutcomes):
    # -- sync cursor (opaque to the ledger) --

    def get_cursor(self) -> str | None:
        rows = self._read("SELECT value FROM cursors WHERE shop = ?", (self.shop,))
        return str(rows[0]["value"]) if rows else None

    def set_cursor(self, value: str) -> None:
        """Store the cursor; call it in the transaction that records the page it follows."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO cursors (shop, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (shop) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (self.shop, value, now_utc()),
            )

    # -- debtor cache --

    def get_debtor(self, kind: DebtorKey | str, value: str) -> DebtorRecord | None:
        key = DebtorKey(kind)
        rows = self._read(
            "SELECT * FROM debtors WHERE shop = ? AND kind = ? AND value = ?",
            (self.shop, key.value, normalise_debtor_value(key, value)),
        )
        if not rows:
            return None
        row = rows[0]
        return DebtorRecord(
            shop=row["shop"],
            kind=DebtorKey(row["kind"]),
            value=row["value"],
            relation_id=row["relation_id"],
            relation_type=row["relation_type"],
            created_by_us=bool(row["created_by_us"]),
            updated_at=row["updated_at"],
        )

    def put_debtor(
        self,
        kind: DebtorKey | str,
        value: str,
        relation_id: str,
        relation_type: str,
        *,
        created_by_us: bool = False,
    ) -> DebtorRecord:
        """Remember the AFAS relation for this e-mail or VAT number (replacing an older one)."""
        key = DebtorKey(kind)
        normalised = normalise_debtor_value(key, value)
        if not relation_id or not relation_type:
            raise ValueError("a cached debtor needs a relation id and a relation type")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO debtors (shop, kind, value, relation_id, relation_type,"
                " created_by_us, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (shop, kind, value) DO UPDATE SET"
                " relation_id = excluded.relation_id, relation_type = excluded.relation_type,"
                " created_by_us = excluded.created_by_us, updated_at = excluded.updated_at",
                (
                    self.shop,
                    key.value,
                    normalised,
                    relation_id,
                    relation_type,
                    int(created_by_us),
                    now_utc(),
                ),
            )
        record = self.get_debtor(key, normalised)
        assert record is not None
        return record

    def drop_debtor(self, kind: DebtorKey | str, value: str) -> bool:
        """Forget a cached relation, e.g. one AFAS no longer knows; True when one was cached."""
        key = DebtorKey(kind)
        with self.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM debtors WHERE shop = ? AND kind = ? AND value = ?",
                (self.shop, key.value, normalise_debtor_value(key, value)),
            )
            return cursor.rowcount > 0

    # -- event log (append-only, enforced by triggers) --

    def add_event(self, order_id: int | None, event: str, **details: Any) -> None:
        """Append one event; ``order_id`` None is for run-level events (a pass started...)."""
        if not event:
            raise ValueError("an event needs a name")
        with self.transaction() as conn:
            self._log(conn, order_id, event, details)

    def events(self, order_id: int | None = None, *, limit: int | None = None) -> list[Event]:
        """Events of one order (or run-level ones for None), oldest first."""
        sql = "SELECT * FROM events WHERE shop = ? AND order_id IS ? ORDER BY event_id"
        params: list[object] = [self.shop, order_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [
            Event(
                event_id=int(row["event_id"]),
                shop=row["shop"],
                order_id=row["order_id"],
                at=row["at"],
                event=row["event"],
                details=load_json(row["details"]),
            )
            for row in self._read(sql, params)
        ]

    # -- ICP evidence (append-only) --

    def add_icp_evidence(self, order_id: int, evidence: IcpEvidence) -> None:
        with self.transaction() as conn:
            if self._order_row(conn, order_id) is None:
                raise TransitionError(f"order {order_id} is not in the ledger of {self.shop!r}")
            conn.execute(
                "INSERT INTO icp_evidence (shop, order_id, country_code, vat_number, valid,"
                " consultation_number, checked_at, trader_name, trader_address, raw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.shop,
                    order_id,
                    evidence.country_code.upper(),
                    evidence.vat_number,
                    int(evidence.valid),
                    evidence.consultation_number,
                    evidence.checked_at,
                    evidence.trader_name,
                    evidence.trader_address,
                    evidence.raw,
                ),
            )
            self._log(
                conn,
                order_id,
                "icp_checked",
                {
                    "valid": evidence.valid,
                    "vat_number": evidence.vat_number,
                    "consultation_number": evidence.consultation_number,
                },
            )

    def icp_evidence(self, order_id: int) -> list[IcpEvidence]:
        """Every VIES answer kept for this order, oldest first (the last one counts)."""
        rows = self._read(
            "SELECT * FROM icp_evidence WHERE shop = ? AND order_id = ? ORDER BY evidence_id",
            (self.shop, order_id),
        )
        return [
            IcpEvidence(
                country_code=row["country_code"],
                vat_number=row["vat_number"],
                valid=bool(row["valid"]),
                checked_at=row["checked_at"],
                consultation_number=row["consultation_number"],
                trader_name=row["trader_name"],
                trader_address=row["trader_address"],
                raw=row["raw"],
            )
            for row in rows
        ]


__all__ = ["LedgerExtras", "normalise_debtor_value"]
