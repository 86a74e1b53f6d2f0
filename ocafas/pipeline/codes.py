"""Error codes the pipeline itself gives orders (the checks' codes are in ocafas.booking.problems).

Like those, these codes are part of the interface (the ledger stores them, ``retry --code``
selects by them): never renamed, only added to.
"""

from __future__ import annotations

MALFORMED_ORDER = "MALFORMED_ORDER"
AFAS_REJECTED = "AFAS_REJECTED"
AFAS_FAILED = "AFAS_FAILED"
AFAS_BROKEN_ENTRY = "AFAS_BROKEN_ENTRY"
DUPLICATE_INVOICE = "DUPLICATE_INVOICE"
INVOICE_NUMBER_IN_USE = "INVOICE_NUMBER_IN_USE"
DEBTOR_REJECTED = "DEBTOR_REJECTED"
NOT_IN_SHOP = "NOT_IN_SHOP"
ICP_VAT_NUMBER_NOT_IN_VIES = "ICP_VAT_NUMBER_NOT_IN_VIES"

HINTS: dict[str, str] = {
    MALFORMED_ORDER: "the shop sent this order in a shape ocafas cannot read: check it in "
    "OpenCart (and the extension's version), then run 'ocafas retry ORDER_ID'",
    AFAS_REJECTED: "AFAS SB refused the request as invalid: fix the cause named in the message "
    "(config or order), then run 'ocafas retry ORDER_ID'",
    AFAS_FAILED: "AFAS SB refused the entry for the reason given: fix it in AFAS SB or the "
    "config, then run 'ocafas retry ORDER_ID'",
    AFAS_BROKEN_ENTRY: "AFAS SB found errors in the entry (removed again): fix the reason "
    "given (ledger account, relation, date), then run 'ocafas retry ORDER_ID'",
    DUPLICATE_INVOICE: "another entry in AFAS SB has this invoice number: check it in AFAS SB "
    "(or change booking.invoice_number), then run 'ocafas retry ORDER_ID'",
    INVOICE_NUMBER_IN_USE: "two orders give the same invoice number: booking.invoice_number "
    "must contain {order_id}",
    DEBTOR_REJECTED: "AFAS SB refused to create the debtor: correct the customer's details in "
    "OpenCart, then run 'ocafas retry ORDER_ID'",
    NOT_IN_SHOP: "the shop no longer has this order",
    ICP_VAT_NUMBER_NOT_IN_VIES: "VIES does not confirm the customer's VAT number, so the order "
    "cannot be booked at 0 % (ICP): ask the customer for a valid VAT number and correct it in "
    "OpenCart, or charge VAT (edit the order), then run 'ocafas retry ORDER_ID'",
}


def hint_for(code: str) -> str:
    return HINTS.get(code, "fix the cause, then run 'ocafas retry ORDER_ID'")
