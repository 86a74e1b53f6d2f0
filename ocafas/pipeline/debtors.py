"""Which AFAS relation an order is booked on: fixed, cached, found by e-mail/VAT, or created.

Order of preference: the payment method's fixed debtor (never for ICP, decided by
:func:`ocafas.booking.debtor_plan.plan_debtor`); the ledger's debtor cache; an AFAS lookup
(organisation by VAT number or e-mail, person by e-mail); else a new relation. An existing
relation is never modified.

Two orders of one new customer must not create it twice, also with several worker threads, so
everything for one debtor key (VAT number or e-mail) runs under that key's lock. A crash after
AFAS created the relation but before the cache was written cannot create a second one either:
the Tracking-Identifier of the create is derived from the key and the body (and logged before
the POST), so the next run's POST is a replay of the first, and the lookup by e-mail finds it
anyway.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from dataclasses import dataclass

from ocafas.afas.client import Relation
from ocafas.booking.debtor_plan import DebtorPlan
from ocafas.ledger import DebtorKey, fingerprint
from ocafas.pipeline.context import RunContext

_NAMESPACE = uuid.UUID("0cafa5de-b700-4d2e-9c1a-5e1f00000001")


@dataclass(frozen=True)
class Debtor:
    relation_type: str  # person | organisation | unknown
    relation_id: str
    how: str  # fixed | cache | found | created | would_create (dry run)


def _vat_key(plan: DebtorPlan) -> str | None:
    if plan.organisation is not None and plan.organisation.vat_number:
        return plan.organisation.vat_number
    return None


#: Locks that serialise the orders of one debtor (key hashed onto one of them): a fixed number,
#: so a backfill of 100,000 first-time customers does not keep 100,000 locks.
LOCK_STRIPES = 256


class DebtorResolver:
    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self._locks = tuple(threading.Lock() for _ in range(LOCK_STRIPES))

    def _lock_for(self, key: str) -> threading.Lock:
        # Two debtors may share a stripe: they then wait for each other, never the reverse
        # (one debtor always maps to the same lock, so it is never created twice).
        return self._locks[zlib.crc32(key.encode("utf-8")) % LOCK_STRIPES]

    def resolve(self, order_id: int, plan: DebtorPlan) -> Debtor:
        if plan.kind == "fixed":
            assert plan.fixed is not None
            if plan.fixed.relation_id is None:
                return Debtor("unknown", self.ctx.unknown_relation(), "fixed")
            return Debtor(plan.fixed.relation_type, plan.fixed.relation_id, "fixed")
        vat = _vat_key(plan)
        key = f"vat:{vat.lower()}" if vat else f"email:{plan.email}" if plan.email else None
        if key is None:
            return self._resolve(order_id, plan, None)
        with self._lock_for(key):
            return self._resolve(order_id, plan, vat)

    def _resolve(self, order_id: int, plan: DebtorPlan, vat: str | None) -> Debtor:
        ledger = self.ctx.ledger
        wanted = plan.kind  # organisation | person
        for kind, value in ((DebtorKey.VAT, vat), (DebtorKey.EMAIL, plan.email)):
            if not value:
                continue
            cached = ledger.get_debtor(kind, value)
            if cached is not None and cached.relation_type == wanted:
                return Debtor(cached.relation_type, cached.relation_id, "cache")
        found = self._lookup(plan, vat)
        if found is not None:
            if not self.ctx.dry_run:
                self._remember(plan, vat, found.id, wanted, created=False)
                ledger.add_event(
                    order_id, "debtor_found", relation_id=found.id, relation_type=wanted
                )
            return Debtor(wanted, found.id, "found")
        if self.ctx.dry_run:
            return Debtor(wanted, "(new)", "would_create")
        return self._create(order_id, plan, vat)

    def _lookup(self, plan: DebtorPlan, vat: str | None) -> Relation | None:
        afas = self.ctx.afas
        if plan.kind == "organisation":
            candidates = afas.find_organisations(email=plan.email or None, vat_number=vat)
        elif plan.email:
            candidates = afas.find_persons(plan.email)
        else:
            return None
        live = [c for c in candidates if not c.archived and c.id]
        if not live:
            return None

        def rank(relation: Relation) -> tuple[int, int, str]:
            same_vat = bool(vat) and (relation.vat_number or "").upper() == (vat or "").upper()
            ours = bool(plan.external_id) and relation.external_id == plan.external_id
            return (0 if same_vat else 1, 0 if ours else 1, relation.id)

        return sorted(live, key=rank)[0]

    def _create(self, order_id: int, plan: DebtorPlan, vat: str | None) -> Debtor:
        body = plan.body or {}
        key = vat or plan.email or f"order:{order_id}"
        seed = f"{self.ctx.ledger.shop}|{plan.kind}|{key.lower()}|{fingerprint(body)}"
        tracking = str(uuid.uuid5(_NAMESPACE, seed))
        ledger = self.ctx.ledger
        ledger.add_event(order_id, "debtor_creating", kind=plan.kind, tracking_id=tracking)
        afas = self.ctx.afas
        if plan.organisation is not None:
            relation_id = afas.create_organisation(plan.organisation, tracking)
        else:
            assert plan.person is not None
            relation_id = afas.create_person(plan.person, tracking)
        self._remember(plan, vat, relation_id, plan.kind, created=True)
        ledger.add_event(
            order_id, "debtor_created", relation_id=relation_id, relation_type=plan.kind
        )
        return Debtor(plan.kind, relation_id, "created")

    def _remember(
        self, plan: DebtorPlan, vat: str | None, relation_id: str, kind: str, *, created: bool
    ) -> None:
        ledger = self.ctx.ledger
        if vat:
            ledger.put_debtor(DebtorKey.VAT, vat, relation_id, kind, created_by_us=created)
        if plan.email:
            ledger.put_debtor(DebtorKey.EMAIL, plan.email, relation_id, kind, created_by_us=created)
