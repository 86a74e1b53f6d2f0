"""Config rules of ``debtors``, ``booking`` (numbers, texts, payment methods) and ``sync``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ocafas.config_api8 import reversal_settings
from ocafas.config_checks import Checks, show

if TYPE_CHECKING:
    from ocafas.config import BookingSettings, FixedDebtor, SyncSettings

#: AFAS SB's PaymentMethod values (salesjournalentry 3.0).
AFAS_PAYMENT_METHODS = (
    "creditcard",
    "directdebit",
    "debetcard",
    "unknown",
    "cash",
    "ideal",
    "banktransfer",
)
RELATION_TYPES = ("person", "organisation", "unknown")
#: OpenCart payment codes (3.0 ``code``, 4.x ``code.option``: the part before the dot is tried
#: too) of the core methods and of common payment extensions -> AFAS PaymentMethod.
DEFAULT_PAYMENT_METHODS = {
    "bank_transfer": "banktransfer",
    "cheque": "banktransfer",
    "cod": "cash",
    "free_checkout": "unknown",
    "ideal": "ideal",
    "mollie_ideal": "ideal",
    "mollie_creditcard": "creditcard",
    "mollie_bancontact": "debetcard",
    "mollie_banktransfer": "banktransfer",
    "mollie_directdebit": "directdebit",
    "buckaroo_ideal": "ideal",
    "multisafepay_ideal": "ideal",
    "pp_express": "unknown",
    "pp_standard": "unknown",
    "paypal": "unknown",
    "stripe": "creditcard",
    "authorizenet_aim": "creditcard",
    "sagepay_direct": "creditcard",
}
ZERO_TOTAL_CHOICES = ("skip", "book")


class BookingRules(Checks):
    """The ``debtors``, ``booking`` and ``sync`` sections."""

    def debtors(self, data: dict[str, Any]) -> dict[str, FixedDebtor]:
        from ocafas.config import FixedDebtor

        self.known_keys(data, "debtors", ("fixed",))
        fixed = data.get("fixed") or {}
        if not isinstance(fixed, dict):
            self.problem("debtors.fixed", "must map OpenCart payment codes to AFAS relations")
            return {}
        result: dict[str, FixedDebtor] = {}
        for code, value in fixed.items():
            where = f"debtors.fixed.{code}"
            if value == "unknown":
                result[str(code)] = FixedDebtor(None, "unknown")
                continue
            if not isinstance(value, dict):
                self.problem(
                    where, "must be 'unknown' or a mapping with relation_id and relation_type"
                )
                continue
            self.known_keys(value, where, ("relation_id", "relation_type"))
            relation_id = self.uuid(value, "relation_id", where, required=True)
            relation_type = self.choice(
                value, "relation_type", where, RELATION_TYPES, "organisation"
            )
            if relation_id and relation_type:
                result[str(code)] = FixedDebtor(relation_id, relation_type)
        return result

    def booking(self, data: dict[str, Any]) -> BookingSettings:
        from ocafas.config import BookingSettings

        p = "booking"
        self.known_keys(
            data,
            p,
            (
                *("invoice_number", "description", "payment_reference", "payment_methods"),
                *("zero_total", "shop_prefix", "reversals"),
            ),
        )
        invoice = (
            self.template(data, "invoice_number", p, "{shop_prefix}ORD{order_id}")
            or "{shop_prefix}ORD{order_id}"
        )
        if "{order_id}" not in invoice:
            self.problem(
                f"{p}.invoice_number", "must contain {order_id}, so every order gets its own number"
            )
        description = (
            self.template(data, "description", p, "{order_id} - {invoice}") or "{order_id}"
        )
        # The default lets AFAS SB's bank import match a payment quoting the shop's order number.
        reference = self.template(data, "payment_reference", p, "{shop_prefix}{order_id}")
        methods = dict(DEFAULT_PAYMENT_METHODS)
        raw_methods = data.get("payment_methods") or {}
        if not isinstance(raw_methods, dict):
            self.problem(f"{p}.payment_methods", "must map OpenCart payment codes to AFAS methods")
        else:
            for code, method in raw_methods.items():
                if method not in AFAS_PAYMENT_METHODS:
                    self.problem(
                        f"{p}.payment_methods.{code}",
                        f"must be one of {', '.join(AFAS_PAYMENT_METHODS)}, got {show(method)}",
                    )
                else:
                    methods[str(code)] = method
        # book by default: what ocafas always did, and no order disappears unseen from the books
        zero_total = self.choice(data, "zero_total", p, ZERO_TOTAL_CHOICES, "book")
        from ocafas.config_shop import shop_prefix

        prefix = shop_prefix(self, data, invoice)
        reversals = reversal_settings(self, data.get("reversals"), f"{p}.reversals", invoice)
        return BookingSettings(
            invoice, description, reference, methods, zero_total or "book", prefix, reversals
        )

    def sync(self, data: dict[str, Any]) -> SyncSettings:
        from ocafas.config import SyncSettings

        p = "sync"
        self.known_keys(data, p, ("start_date", "batch_size", "concurrency"))
        start = data.get("start_date")
        start_date = date(1970, 1, 1)
        if start is None:
            self.problem(
                f"{p}.start_date",
                "missing: orders placed before this date are never booked (e.g. 2025-01-01)",
            )
        elif isinstance(start, date):
            start_date = start
        elif isinstance(start, str):
            try:
                start_date = date.fromisoformat(start.strip())
            except ValueError:
                self.problem(f"{p}.start_date", f"not a date (YYYY-MM-DD): {show(start)}")
        else:
            self.problem(f"{p}.start_date", f"not a date (YYYY-MM-DD): {show(start)}")
        batch = self.number(data, "batch_size", p, 100, 1, 500, integer=True)
        concurrency = self.number(data, "concurrency", p, 8, 1, 32, integer=True)
        return SyncSettings(start_date, int(batch), int(concurrency))


__all__ = [
    "AFAS_PAYMENT_METHODS",
    "DEFAULT_PAYMENT_METHODS",
    "RELATION_TYPES",
    "ZERO_TOTAL_CHOICES",
    "BookingRules",
]
