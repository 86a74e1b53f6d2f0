"""A seedable generator of realistic OpenCart orders, as the extension's contract JSON.

A Dutch shop selling mostly to the Netherlands, also to Belgium, Germany, France and Austria
(with ``oss=True`` it charges those countries their own VAT, else Dutch VAT), to EU companies
with a VAT number (ICP, no VAT) and outside the EU (US, CH, GB: no VAT). Orders carry coupons
(percent, fixed, free shipping), taxed shipping, handling and low-order fees, gift vouchers sold
and redeemed, reward points and store credit, guests, several payment methods in the style of
OpenCart 3.0 or 4.x, unicode names. The arithmetic is OpenCart's (see
:mod:`ocafas.sandbox.order_builder`). The same seed always gives the same orders.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ocafas.sandbox.order_builder import OrderBuilder, TaxRateDef, dec

TIMEZONE = ZoneInfo("Europe/Amsterdam")
EU_OSS = ("BE", "DE", "FR", "AT")
OUTSIDE_EU = ("US", "CH", "GB")

STATUSES = {
    1: "Pending", 2: "Processing", 3: "Shipped", 5: "Complete", 7: "Canceled", 8: "Denied",
    9: "Canceled Reversal", 10: "Failed", 11: "Refunded", 12: "Reversed", 13: "Chargeback",
    14: "Expired", 15: "Processed", 16: "Voided",
}  # fmt: skip
PROCESSING_STATUSES = (2, 3, 1, 12, 5)
COMPLETE_STATUSES = (5, 3)
# The way an order usually moves on in OpenCart's admin.
NEXT_STATUS = {1: 2, 2: 3, 3: 5, 15: 3, 5: 11}
TAXABLE_GOODS, REDUCED, ZERO_RATED = 9, 10, 11

_EU_ZONE = "EU VAT Zone"
TAX_RATES: dict[str, tuple[TaxRateDef, TaxRateDef]] = {
    "NL": (TaxRateDef(3, "BTW 21%", dec("21.0000"), "P", "Nederland", ("NL",)),
           TaxRateDef(4, "BTW 9%", dec("9.0000"), "P", "Nederland", ("NL",))),
    "BE": (TaxRateDef(5, "TVA/BTW 21% BE", dec("21.0000"), "P", "België", ("BE",)),
           TaxRateDef(6, "TVA/BTW 6% BE", dec("6.0000"), "P", "België", ("BE",))),
    "DE": (TaxRateDef(7, "MwSt. 19%", dec("19.0000"), "P", "Deutschland", ("DE",)),
           TaxRateDef(8, "MwSt. 7%", dec("7.0000"), "P", "Deutschland", ("DE",))),
    "FR": (TaxRateDef(9, "TVA 20%", dec("20.0000"), "P", "France", ("FR",)),
           TaxRateDef(10, "TVA 5,5%", dec("5.5000"), "P", "France", ("FR",))),
    "AT": (TaxRateDef(11, "USt. 20%", dec("20.0000"), "P", "Österreich", ("AT",)),
           TaxRateDef(12, "USt. 10%", dec("10.0000"), "P", "Österreich", ("AT",))),
}  # fmt: skip
#: Without OSS the Dutch rates apply to every EU consumer: one zone for NL and the other states.
NL_EU_RATES = (
    TaxRateDef(1, "BTW 21% EU", dec("21.0000"), "P", _EU_ZONE, ("NL", *EU_OSS)),
    TaxRateDef(2, "BTW 9% EU", dec("9.0000"), "P", _EU_ZONE, ("NL", *EU_OSS)),
)
ZERO_RATE = TaxRateDef(13, "BTW 0%", dec("0.0000"), "P", "Nederland", ("NL",))

COUNTRIES: dict[str, dict[str, Any]] = {
    "NL": {"country": "Netherlands", "streets": ["Stationstraat {n}", "Keizersgracht {n}",
           "Dorpsstraat {n}a", "Van Goghlaan {n}"], "cities": [("Amsterdam", "1012 AB",
           "Noord-Holland"), ("Utrecht", "3511 CE", "Utrecht"), ("Groningen", "9711 LM",
           "Groningen"), ("Eindhoven", "5611 AZ", "Noord-Brabant")], "phone": "06-{n:08d}"},
    "BE": {"country": "Belgium", "streets": ["Rue de la Loi {n}", "Meir {n}"],
           "cities": [("Bruxelles", "1000", "Bruxelles"), ("Antwerpen", "2000", "Antwerpen")],
           "phone": "+32 4{n:08d}"},
    "DE": {"country": "Germany", "streets": ["Hauptstraße {n}", "Königsallee {n}"],
           "cities": [("Berlin", "10115", "Berlin"), ("Düsseldorf", "40212",
           "Nordrhein-Westfalen")], "phone": "+49 171 {n:07d}"},
    "FR": {"country": "France", "streets": ["{n} rue de Rivoli", "{n} avenue Jean Jaurès"],
           "cities": [("Paris", "75001", "Paris"), ("Lyon", "69002", "Rhône")],
           "phone": "+33 6 {n:08d}"},
    "AT": {"country": "Austria", "streets": ["Mariahilfer Straße {n}"],
           "cities": [("Wien", "1060", "Wien")], "phone": "+43 660 {n:07d}"},
    "US": {"country": "United States", "streets": ["{n} Fifth Avenue"],
           "cities": [("New York", "10118", "New York")], "phone": "+1 212 {n:07d}"},
    "CH": {"country": "Switzerland", "streets": ["Bahnhofstrasse {n}"],
           "cities": [("Zürich", "8001", "Zürich")], "phone": "+41 79 {n:07d}"},
    "GB": {"country": "United Kingdom", "streets": ["{n} Baker Street"],
           "cities": [("London", "NW1 6XE", "Greater London")], "phone": "+44 7700 {n:06d}"},
}  # fmt: skip
#: Valid EU VAT numbers (checksums verified with python-stdnum) of companies buying from NL.
ICP_COMPANIES = (
    ("BE", "Brouwerij De Koninck NV", "BE0403170701"),
    ("BE", "Atelier Lumière SPRL", "BE0417497106"),
    ("DE", "Müller & Söhne GmbH", "DE136695976"),
    ("DE", "Nordlicht Handels-AG", "DE811907980"),
    ("FR", "Société Générale d'Équipement SARL", "FR40303265045"),
    ("AT", "Wiener Werkstätte GmbH", "ATU13585627"),
)
FIRST_NAMES = (
    "Sarah",
    "Daan",
    "Zoë",
    "Anaïs",
    "Jürgen",
    "François",
    "Søren",
    "Łukasz",
    "Inès",
    "Sven",
    "Fatima",
    "Emre",
    "Noor",
    "Thijs",
    "Chloé",
    "İlkay",
    "Joost",
    "Aoife",
)
LAST_NAMES = (
    "de Wit",
    "Jansen",
    "van den Berg",
    "Groß",
    "Dubois",
    "Østergaard",
    "Wójcik",
    "Çelik",
    "El Amrani",
    "Bakker",
    "O'Brien",
    "Visser",
    "Smit",
    "Lefèvre",
    "Nguyễn",
)
PRODUCTS = (  # name, model, price incl. 21% or 9% (shops enter gross prices), reduced?
    ("Suitcase Voyager 55 cm", "SC-55", "129.95", False),
    ("Canvas tote bag", "TB-01", "24.95", False),
    ("Koffiebonen Espresso 1 kg", "KB-1000", "18.50", True),
    ("Stroopwafels (12 stuks)", "SW-12", "4.99", True),
    ("Leather wallet «Classic»", "LW-3", "39.00", False),
    ("Cookbook: Indonesian rijsttafel", "BK-77", "27.50", True),
    ("Wireless earbuds", "WE-200", "79.99", False),
    ("Tea sampler 🍵", "TS-9", "12.49", True),
    ("Umbrella XL", "UM-XL", "19.95", False),
)  # fmt: skip
OPTIONS = (("Colour", ("Red", "Black", "Navy", "Olive")), ("Size", ("S", "M", "L", "XL")))


def _payment_methods(major: int) -> list[dict[str, str]]:
    suffix = (lambda c: f"{c}.{c}") if major >= 4 else (lambda c: c)
    paypal = {"code": "paypal.paypal", "name": "PayPal"} if major >= 4 else {
        "code": "pp_express", "name": "PayPal Express Checkout"}  # fmt: skip
    return [
        {"code": suffix("bank_transfer"), "name": "Bank Transfer"},
        {"code": "mollie_ideal", "name": "iDEAL"},
        {"code": "mollie_bancontact", "name": "Bancontact"},
        {"code": suffix("cod"), "name": "Cash On Delivery"},
        paypal,
        {"code": suffix("free_checkout"), "name": "Free Checkout"},
    ]


@dataclass
class Shop:
    """What the generated orders come from; the sandbox reads its statuses and rates too."""

    name: str = "Demo shop"
    opencart_major: int = 4
    oss: bool = False

    @property
    def opencart_version(self) -> str:
        return "4.1.0.4" if self.opencart_major >= 4 else "3.0.4.1"

    def payment_methods(self) -> list[dict[str, str]]:
        return _payment_methods(self.opencart_major)

    def tax_rates(self) -> list[TaxRateDef]:
        if self.oss:
            return [*(rate for pair in TAX_RATES.values() for rate in pair), ZERO_RATE]
        return [*NL_EU_RATES, ZERO_RATE]

    def rates_for(self, country: str, reduced: bool) -> tuple[TaxRateDef, ...]:
        if country not in ("NL", *EU_OSS):
            return ()
        if country == "NL" or not self.oss:
            pair = TAX_RATES["NL"] if self.oss else NL_EU_RATES
        else:
            pair = TAX_RATES[country]
        return (pair[1] if reduced else pair[0],)


class OrderGenerator:
    """Deterministic orders: ``OrderGenerator(seed=7).orders(100)``.

    ``broken`` is the share of orders given one deliberate fault (total mismatch, a tax row
    without a known rate, a non-EUR currency); :attr:`faults` records which order got which.
    """

    def __init__(
        self, seed: int = 1, *, shop: Shop | None = None, start: datetime | None = None,
        first_order_id: int = 1, broken: float = 0.0, same_second_share: float = 0.15,
    ) -> None:  # fmt: skip
        self.random = random.Random(seed)  # noqa: S311 - deterministic test data, not secrets
        self.shop = shop or Shop()
        self.clock = start or datetime(2025, 3, 28, 9, 0, 0, tzinfo=TIMEZONE)
        self.next_order_id = first_order_id
        self.next_invoice = 1
        self.broken = broken
        self.same_second_share = same_second_share
        self.faults: dict[int, str] = {}

    def orders(self, count: int) -> list[dict[str, Any]]:
        return list(self.iter_orders(count))

    def iter_orders(self, count: int) -> Iterator[dict[str, Any]]:
        for _ in range(count):
            yield self.order()

    def order(self) -> dict[str, Any]:
        rnd = self.random
        if rnd.random() >= self.same_second_share:  # else: a burst, same second as the last one
            self.clock += timedelta(seconds=rnd.randint(1, 3600))
        order_id = self.next_order_id
        self.next_order_id += 1
        status_id = rnd.choices([5, 3, 2, 1, 15, 7, 11], [40, 15, 15, 10, 8, 7, 5])[0]
        builder = OrderBuilder(
            order_id=order_id, date_added=self.clock, store_name=self.shop.name,
            date_modified=self.clock + timedelta(seconds=rnd.choice([0, 0, 45, 600])),
            order_status_id=status_id, order_status=STATUSES[status_id],
        )  # fmt: skip
        if status_id in COMPLETE_STATUSES or status_id == 11:
            builder.invoice_no = self.next_invoice
            self.next_invoice += 1
        country, company = self._who(builder)
        self._basket(builder, country, company is not None)
        self._discounts(builder, country, company is not None)
        self._payment(builder, country)
        if self.broken and rnd.random() < self.broken:
            self._break(builder, order_id, country)
        return builder.build()

    def evolve(self, order: dict[str, Any], *, seconds: int = 3600) -> dict[str, Any] | None:
        """The same order one admin step later (e.g. Processing -> Shipped), None at the end."""
        next_id = NEXT_STATUS.get(order["order_status_id"])
        if next_id is None:
            return None
        moved = dict(order, order_status_id=next_id, order_status=STATUSES[next_id])
        modified = datetime.fromisoformat(order["date_modified"]) + timedelta(seconds=seconds)
        moved["date_modified"] = modified.astimezone(TIMEZONE).isoformat(timespec="seconds")
        if next_id in COMPLETE_STATUSES and not order["invoice_no"]:
            moved["invoice_no"] = self.next_invoice
            self.next_invoice += 1
        return moved

    # -- pieces -----------------------------------------------------------------------------

    def _who(self, builder: OrderBuilder) -> tuple[str, str | None]:
        rnd = self.random
        company: str | None = None
        vat: str | None = None
        roll = rnd.random()
        if roll < 0.08:
            country, company, vat = rnd.choice(ICP_COMPANIES)
        elif roll < 0.62:
            country = "NL"
        else:
            country = rnd.choice(["BE", "BE", "DE", "DE", "FR", "AT", "US", "CH", "GB"])
        if company is None and country == "NL" and rnd.random() < 0.1:
            company = rnd.choice(["Bakkerij Visser", "Studio Noord B.V.", "Café 't Hoekje"])
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        guest = rnd.random() < 0.3
        local = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore")
        local_part = local.decode().replace(" ", "").replace("'", "")
        builder.set_customer(
            first, last, f"{local_part}@example.{country.lower()}",
            customer_id=0 if guest else rnd.randint(1, 5000),
            customer_group_id=2 if vat else 1,
            telephone=COUNTRIES[country]["phone"].format(n=rnd.randint(1, 9999999)),
        )  # fmt: skip
        place = COUNTRIES[country]
        city, postcode, zone = rnd.choice(place["cities"])
        builder.set_address(
            country=place["country"], iso_code_2=country, city=city, postcode=postcode,
            zone=zone, company=company or "",
            address_1=rnd.choice(place["streets"]).format(n=rnd.randint(1, 250)),
        )  # fmt: skip
        builder.vat_number = vat
        return country, vat

    def _net(self, gross: str, reduced: bool) -> Decimal:
        """Shops enter gross prices; OpenCart stores them excluding tax with 4 decimals."""
        divisor = Decimal("1.09") if reduced else Decimal("1.21")
        return (Decimal(gross) / divisor).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    def _basket(self, builder: OrderBuilder, country: str, icp: bool) -> None:
        rnd = self.random
        for name, model, gross, reduced in rnd.sample(PRODUCTS, rnd.choice([1, 1, 1, 2, 2, 3, 4])):
            zero = not reduced and rnd.random() < 0.03
            rates = () if icp else self.shop.rates_for(country, reduced)
            if zero and rates:
                rates = (ZERO_RATE,) if country == "NL" else ()
            options: list[tuple[str, str]] = []
            if not reduced and rnd.random() < 0.4:
                option, values = rnd.choice(OPTIONS)
                options.append((option, rnd.choice(values)))
            builder.add_product(
                name, self._net(gross, reduced), rnd.choice([1, 1, 1, 2, 3, 6]), rates=rates,
                tax_class_id=ZERO_RATED if zero else REDUCED if reduced else TAXABLE_GOODS,
                deleted=rnd.random() < 0.02,
                product_id=40 + PRODUCTS.index((name, model, gross, reduced)), model=model,
                options=options, points=rnd.choice([0, 0, 100, 250]),
            )  # fmt: skip
        if rnd.random() < 0.05:
            amount = rnd.choice(["25.0000", "50.0000"])
            builder.sell_voucher(
                f"€{amount[:2]} Gift Certificate for {rnd.choice(FIRST_NAMES)}", amount
            )
        shipping_rates = () if icp else self.shop.rates_for(country, reduced=False)
        pickup = country == "NL" and rnd.random() < 0.08
        if pickup:
            builder.add_shipping("Pickup From Store", "0.0000", code="pickup.pickup")
        elif rnd.random() < 0.05:
            builder.shipping_address = None  # a voucher-only or download order ships nothing
        else:
            cost = "4.1322" if country == "NL" else rnd.choice(["8.2645", "12.3967", "20.6612"])
            builder.add_shipping("Flat Shipping Rate", cost, rates=shipping_rates)
            if rnd.random() < 0.1:
                builder.add_fee("handling", "1.6529", rates=shipping_rates)
        if builder.products_total < 10 and rnd.random() < 0.7:
            builder.add_fee("low_order_fee", "2.0661", rates=shipping_rates)

    def _discounts(self, builder: OrderBuilder, country: str, icp: bool) -> None:
        rnd = self.random
        roll = rnd.random()
        if roll < 0.08:
            builder.apply_coupon("SPRING10", "P", "10")
        elif roll < 0.13:
            builder.apply_coupon("WELCOME5", "F", "4.1322")
        elif roll < 0.17 and builder.shipping_method:
            builder.apply_coupon("FREESHIP", "F", "0", free_shipping=True)
        elif roll < 0.19:
            builder.apply_coupon("VIP25", "P", "25", free_shipping=True)
        registered = builder.customer["customer_id"] != 0
        points = rnd.choice([50, 100])
        if registered and rnd.random() < 0.05 and builder.points_total >= points:
            builder.redeem_reward(points)
        if registered and rnd.random() < 0.04:
            builder.use_credit(rnd.choice(["5.0000", "12.5000", "500.0000"]))
        if rnd.random() < 0.04:
            builder.redeem_voucher(
                f"GIFT{rnd.randint(1000, 9999)}", rnd.choice(["10.0000", "25.0000"])
            )

    def _payment(self, builder: OrderBuilder, country: str) -> None:
        methods = self.shop.payment_methods()
        weights = [20, 45 if country == "NL" else 2, 25 if country == "BE" else 1, 4, 20, 0]
        builder.payment_method = self.random.choices(methods, weights)[0]

    def _break(self, builder: OrderBuilder, order_id: int, country: str) -> None:
        fault = self.random.choice(["total_mismatch", "unknown_rate", "non_eur_currency"])
        if fault == "unknown_rate":
            rates = builder.tax_rate_ids
            if not rates:
                fault = "total_mismatch"
            else:
                builder.hide_rate(min(rates))
        if fault == "total_mismatch":
            builder.break_total(self.random.choice(["0.0100", "-1.0000", "5.0000"]))
        elif fault == "non_eur_currency":
            builder.currency_code, builder.currency_value = self.random.choice(
                [("USD", "1.08350000"), ("GBP", "0.84210000")]
            )
        self.faults[order_id] = fault
