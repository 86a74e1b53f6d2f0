"""The entry's texts from the ``booking`` templates of the config, and its payment method."""

from __future__ import annotations

from ocafas.config import BookingSettings
from ocafas.opencart.models import Order

#: Separators left dangling at the end when a placeholder is empty ("1234 - ").
_DANGLING = " -:|/,"


def template_fields(order: Order, shop_prefix: str = "") -> dict[str, str]:
    """The placeholder values; ``{invoice}`` is OpenCart's prefix + number, or empty.

    ``{shop_prefix}`` is ours (``booking.shop_prefix``), not OpenCart's ``{invoice_prefix}``.
    """
    customer = order.customer.full_name or order.payment_address.full_name
    return {
        "order_id": str(order.order_id),
        "invoice": order.invoice_number or "",
        "invoice_no": str(order.invoice_no) if order.invoice_no else "",
        "invoice_prefix": order.invoice_prefix,
        "store_name": order.store_name,
        "customer": customer or (order.company or ""),
        "email": order.customer.email,
        "shop_prefix": shop_prefix,
    }


def render(template: str, order: Order, shop_prefix: str = "") -> str:
    fields = template_fields(order, shop_prefix)
    return template.format(**fields).strip().rstrip(_DANGLING).strip()


def render_invoice_number(order: Order, booking: BookingSettings) -> str:
    return render(booking.invoice_number, order, booking.shop_prefix)


def render_description(order: Order, booking: BookingSettings) -> str:
    return render(booking.description, order, booking.shop_prefix)[:255]


def render_payment_reference(order: Order, booking: BookingSettings) -> str:
    if not booking.payment_reference:
        return ""
    return render(booking.payment_reference, order, booking.shop_prefix)


def payment_method(order: Order, booking: BookingSettings) -> str | None:
    """AFAS's PaymentMethod for the OpenCart payment code; None (field omitted) when unmapped.

    OpenCart 4 codes look like ``bank_transfer.bank_transfer``: the part before the dot is tried
    when the whole code is not mapped.
    """
    code = order.payment_method.code
    return booking.payment_methods.get(code) or booking.payment_methods.get(code.split(".")[0])
