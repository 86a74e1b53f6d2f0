"""Companies VIES knows and ICP orders from them, for the VIES pipeline and report tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from ocafas.sandbox.order_builder import OrderBuilder

SHOP_VAT = "NL004495445B01"
REGISTERED = {
    "DE136695976": ("Müller & Söhne GmbH", "Hauptstraße 5, 10115 Berlin"),
    "BE0403170701": ("Brouwerij De Koninck NV", "Mechelsesteenweg 291, 2018 Antwerpen"),
}
PLACES = {
    "DE": ("Germany", "Berlin", "10115", "Hauptstraße 5"),
    "BE": ("Belgium", "Antwerpen", "2018", "Mechelsesteenweg 291"),
    "NL": ("Netherlands", "Amsterdam", "1012 AB", "Damrak 7"),
}


def company_order(
    order_id: int, country: str, vat_number: str | None, company: str, when: datetime
) -> OrderBuilder:
    """An order of ``company`` in ``country`` placed near ``when``; the caller adds products."""
    name, city, postcode, street = PLACES[country]
    builder = OrderBuilder(order_id, when + timedelta(minutes=order_id % 100))
    builder.set_customer("Jonas", "Becker", f"buyer{order_id}@example.com", customer_id=order_id)
    builder.set_address(
        country=name, iso_code_2=country, city=city, postcode=postcode, address_1=street,
        company=company,
    )  # fmt: skip
    builder.vat_number = vat_number
    return builder
