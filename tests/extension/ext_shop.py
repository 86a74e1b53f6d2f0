"""The test shop's data: reference rows and orders, the same orders for both OpenCart lines.

Only the order table's payment/shipping method columns differ between the lines (3.0: name plus
*_code; 4.x: JSON), which is exactly what the extension must bridge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

API_KEY = "TestKey2025abcDEF123(=)!@"
PREFIX = "oc_"
BULK_SECOND = "2025-05-01 12:00:00"
BULK_IDS = range(100, 140)
# Every 7th bulk order is an abandoned checkout (status 0).
BULK_ABANDONED = {i for i in BULK_IDS if i % 7 == 0}


def q(value: Any) -> str:
    """An SQL literal (test data only; the extension itself never builds SQL like this)."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def insert(table: str, row: dict[str, Any]) -> str:
    cols = ", ".join(f"`{k}`" for k in row)
    vals = ", ".join(q(v) for v in row.values())
    return f"INSERT INTO `{PREFIX}{table}` ({cols}) VALUES ({vals});\n"


def reference_sql(variant: str) -> str:
    out: list[str] = []
    for lang in [
        {"language_id": 1, "name": "English", "code": "en-gb", "locale": "en", "status": 1},
        {"language_id": 2, "name": "Nederlands", "code": "nl-nl", "locale": "nl", "status": 1},
    ]:
        out.append(insert("language", lang))
    statuses = {
        1: ("Pending", "In afwachting"),
        2: ("Processing", "In behandeling"),
        3: ("Shipped", "Verzonden"),
        5: ("Complete", "Voltooid"),
        7: ("Canceled", "Geannuleerd"),
    }
    for sid, (en, nl) in statuses.items():
        out.append(insert("order_status", {"order_status_id": sid, "language_id": 1, "name": en}))
        out.append(insert("order_status", {"order_status_id": sid, "language_id": 2, "name": nl}))
    for cid, name, iso2, iso3 in [
        (150, "Netherlands", "NL", "NLD"),
        (21, "Belgium", "BE", "BEL"),
        (81, "Germany", "DE", "DEU"),
    ]:
        out.append(
            insert(
                "country",
                {
                    "country_id": cid,
                    "name": name,
                    "iso_code_2": iso2,
                    "iso_code_3": iso3,
                    "address_format": "",
                    "postcode_required": 1,
                },
            )
        )
    now = "2024-01-01 00:00:00"
    for gid, name in [(3, "EU VAT Zone"), (4, "Germany & Co")]:
        out.append(
            insert(
                "geo_zone",
                {
                    "geo_zone_id": gid,
                    "name": name,
                    "description": name,
                    "date_added": now,
                    "date_modified": now,
                },
            )
        )
    for cid, gid in [(150, 3), (21, 3), (150, 3), (81, 4)]:
        out.append(
            insert(
                "zone_to_geo_zone",
                {
                    "country_id": cid,
                    "zone_id": 0,
                    "geo_zone_id": gid,
                    "date_added": now,
                    "date_modified": now,
                },
            )
        )
    for tid, gid, name, rate, kind in [
        (1, 3, "BTW 21%", "21.0000", "P"),
        (2, 3, "BTW 9%", "9.0000", "P"),
        (3, 4, "MwSt 19%", "19.0000", "P"),
        (4, 3, "Eco fee", "2.5000", "F"),
        (5, 3, "Duplicate name", "21.0000", "P"),
        (6, 4, "Duplicate name", "19.0000", "P"),
    ]:
        out.append(
            insert(
                "tax_rate",
                {
                    "tax_rate_id": tid,
                    "geo_zone_id": gid,
                    "name": name,
                    "rate": rate,
                    "type": kind,
                    "date_added": now,
                    "date_modified": now,
                },
            )
        )
    for pid, model, tax_class in [(30, "SC-1", 9), (31, "BK-1", 10), (32, "TJ-1", 9)]:
        out.append(
            insert(
                "product",
                {
                    "product_id": pid,
                    "model": model,
                    "tax_class_id": tax_class,
                    "status": 1,
                    "date_added": now,
                    "date_modified": now,
                },
            )
        )
    for cfid, kind, location, en in [
        (1, "text", "account", "VAT number"),
        (2, "text", "address", "BTW-nummer"),
        (3, "select", "account", "Gender"),
    ]:
        out.append(
            insert(
                "custom_field",
                {
                    "custom_field_id": cfid,
                    "type": kind,
                    "value": "",
                    "validation": "",
                    "location": location,
                    "status": 1,
                    "sort_order": cfid,
                },
            )
        )
        out.append(
            insert(
                "custom_field_description", {"custom_field_id": cfid, "language_id": 1, "name": en}
            )
        )
    for ext_type, code in [
        ("payment", "bank_transfer"),
        ("payment", "cod"),
        ("payment", "gone_payment"),
        ("module", "ocafas"),
        ("shipping", "flat"),
    ]:
        row = {"type": ext_type, "code": code}
        if variant == "oc4":
            row = {"extension": "ocafas" if code == "ocafas" else "opencart", **row}
        out.append(insert("extension", row))
    return "".join(out)


def settings_rows(variant: str) -> list[tuple[str, str, Any, int]]:
    """(code, key, value, serialized) of store 0."""
    languages = (
        [("config", "config_language", "en-gb", 0), ("config", "config_admin_language", "en-gb", 0)]
        if variant == "oc3"
        else [
            ("config", "config_language_catalog", "en-gb", 0),
            ("config", "config_language_admin", "en-gb", 0),
        ]
    )
    return [
        ("config", "config_name", "Demo shop &amp; more", 0),
        ("config", "config_currency", "EUR", 0),
        ("config", "config_timezone", "Europe/Amsterdam", 0),
        ("config", "config_processing_status", json.dumps(["2", "3", "1", "12", "5"]), 1),
        ("config", "config_complete_status", json.dumps(["5", "3"]), 1),
        *languages,
        ("module_ocafas", "module_ocafas_status", "1", 0),
        ("module_ocafas", "module_ocafas_key", API_KEY, 0),
        ("module_ocafas", "module_ocafas_vat_field", "custom_field:1", 0),
        ("module_ocafas", "module_ocafas_allow_http", "1", 0),
    ]


def settings_sql(variant: str) -> str:
    return "".join(
        insert("setting", {"store_id": 0, "code": c, "key": k, "value": v, "serialized": s})
        for c, k, v, s in settings_rows(variant)
    )


def set_setting_sql(key: str, value: str) -> str:
    where = f"`store_id` = 0 AND `key` = {q(key)}"
    return f"UPDATE `{PREFIX}setting` SET `value` = {q(value)} WHERE {where};\n"


@dataclass
class Order:
    """One order as the test writes it; to_sql() gives the rows for one OpenCart line."""

    order_id: int
    date_modified: str
    order_status_id: int = 5
    date_added: str = ""
    firstname: str = "Sarah"
    lastname: str = "de Wit"
    payment: tuple[str, str] = ("bank_transfer.bank_transfer", "Bank Transfer")
    shipping: tuple[str, str] | None = ("flat.flat", "Flat Shipping Rate")
    country: tuple[int, str] = (150, "Netherlands")
    custom_field: dict[str, str] = field(default_factory=dict)
    payment_custom_field: dict[str, str] = field(default_factory=dict)
    products: list[dict[str, Any]] = field(default_factory=list)
    totals: list[tuple[str, str, str, int]] = field(default_factory=list)
    vouchers: list[tuple[str, str]] = field(default_factory=list)
    total: str = "0.0000"
    company: str = ""
    city: str = "Amsterdam"

    def to_sql(self, variant: str) -> str:
        row: dict[str, Any] = {
            "order_id": self.order_id,
            "invoice_no": 0,
            "invoice_prefix": "INV-2025-00",
            "store_id": 0,
            "store_name": "Demo shop",
            "store_url": "http://shop.test/",
            "customer_id": 42,
            "customer_group_id": 1,
            "firstname": self.firstname,
            "lastname": self.lastname,
            "email": "sarah@test.nl",
            "telephone": "06-23138800",
            "custom_field": json.dumps(self.custom_field) if self.custom_field else "",
        }
        for prefix in ("payment_", "shipping_"):
            with_address = prefix == "payment_" or self.shipping is not None
            row.update(
                {
                    prefix + "firstname": self.firstname if with_address else "",
                    prefix + "lastname": self.lastname if with_address else "",
                    prefix + "company": self.company if with_address else "",
                    prefix + "address_1": "Stationstraat 12" if with_address else "",
                    prefix + "address_2": "",
                    prefix + "city": self.city if with_address else "",
                    prefix + "postcode": "1000 AA" if with_address else "",
                    prefix + "country": self.country[1] if with_address else "",
                    prefix + "country_id": self.country[0] if with_address else 0,
                    prefix + "zone": "Noord-Holland" if with_address else "",
                    prefix + "zone_id": 2336 if with_address else 0,
                    prefix + "address_format": "",
                    prefix + "custom_field": json.dumps(self.payment_custom_field)
                    if prefix == "payment_" and self.payment_custom_field
                    else "",
                }
            )
        shipping = self.shipping or ("", "")
        if variant == "oc3":
            row.update(
                {
                    "payment_method": self.payment[1],
                    "payment_code": self.payment[0].split(".")[0],
                    "shipping_method": shipping[1],
                    "shipping_code": shipping[0],
                }
            )
        else:
            row["payment_method"] = json.dumps({"name": self.payment[1], "code": self.payment[0]})
            row["shipping_method"] = (
                json.dumps(
                    {
                        "name": shipping[1],
                        "code": shipping[0],
                        "cost": 5.0,
                        "tax_class_id": 9,
                        "text": "€5.00",
                    }
                )
                if self.shipping
                else ""
            )
        row.update(
            {
                "comment": "",
                "total": self.total,
                "order_status_id": self.order_status_id,
                "currency_code": "EUR",
                "currency_value": "1.00000000",
                "date_added": self.date_added or self.date_modified,
                "date_modified": self.date_modified,
            }
        )
        out = [insert("order", row)]
        for product in self.products:
            options = product.get("options", [])
            out.append(
                insert(
                    "order_product",
                    {k: v for k, v in product.items() if k != "options"}
                    | {"order_id": self.order_id},
                )
            )
            for name, value in options:
                out.append(
                    insert(
                        "order_option",
                        {
                            "order_id": self.order_id,
                            "order_product_id": product["order_product_id"],
                            "name": name,
                            "value": value,
                        },
                    )
                )
        for code, title, value, sort_order in self.totals:
            out.append(
                insert(
                    "order_total",
                    {
                        "order_id": self.order_id,
                        "code": code,
                        "title": title,
                        "value": value,
                        "sort_order": sort_order,
                    },
                )
            )
        for description, amount in self.vouchers:
            out.append(
                insert(
                    "order_voucher",
                    {
                        "order_id": self.order_id,
                        "description": description,
                        "amount": amount,
                        "message": "",
                    },
                )
            )
        return "".join(out)


def _line(
    opid: int, pid: int, name: str, qty: int, price: str, tax: str, **extra: Any
) -> dict[str, Any]:
    total = f"{Decimal(price) * qty:.4f}"
    return {
        "order_product_id": opid,
        "product_id": pid,
        "name": name,
        "model": "M-" + str(pid),
        "quantity": qty,
        "price": price,
        "total": total,
        "tax": tax,
        **extra,
    }


def orders() -> list[Order]:
    """The named test orders plus a bulk of orders sharing one second."""
    named = [
        # 1: a plain order with shipping, an option and a VAT number on the account.
        Order(
            1,
            "2025-04-01 10:22:05",
            date_added="2025-04-01 10:20:00",
            custom_field={"1": "NL123456789B01"},
            products=[
                _line(1, 30, "Suitcase", 1, "100.0000", "21.0000", options=[("Colour", "Red")])
            ],
            totals=[
                ("sub_total", "Sub-Total", "100.0000", 1),
                ("shipping", "Flat Shipping Rate", "5.0000", 3),
                ("tax", "BTW 21%", "22.0500", 5),
                ("total", "Total", "127.0500", 9),
            ],
            total="127.0500",
        ),
        # 2: an abandoned checkout.
        Order(
            2,
            "2025-04-01 10:30:00",
            order_status_id=0,
            products=[_line(2, 30, "Suitcase", 1, "100.0000", "21.0000")],
            totals=[("total", "Total", "121.0000", 9)],
            total="121.0000",
        ),
        # 3: a coupon: 10.00 off excl. tax; tax already lowered by the coupon's tax.
        Order(
            3,
            "2025-04-02 09:00:00",
            products=[_line(3, 30, "Suitcase", 1, "100.0000", "21.0000")],
            totals=[
                ("sub_total", "Sub-Total", "100.0000", 1),
                ("shipping", "Flat Shipping Rate", "5.0000", 3),
                ("coupon", "Coupon (TEN)", "-10.0000", 4),
                ("tax", "BTW 21%", "19.9500", 5),
                ("total", "Total", "114.9500", 9),
            ],
            total="114.9500",
        ),
        # 4: a gift voucher sale, no shipping.
        Order(
            4,
            "2025-04-03 09:00:00",
            shipping=None,
            vouchers=[("€25.00 Gift Certificate for Jan", "25.0000")],
            totals=[("sub_total", "Sub-Total", "25.0000", 1), ("total", "Total", "25.0000", 9)],
            total="25.0000",
        ),
        # 5: two tax rates and rows sharing a sort_order, stored in the "wrong" order.
        Order(
            5,
            "2025-04-04 09:00:00",
            products=[
                _line(5, 30, "Suitcase", 1, "100.0000", "21.0000"),
                _line(6, 31, "Book", 2, "20.0000", "1.8000"),
            ],
            totals=[
                ("tax", "BTW 9%", "3.6000", 5),
                ("sub_total", "Sub-Total", "140.0000", 1),
                ("shipping", "Flat Shipping Rate", "5.0000", 3),
                ("handling", "Handling", "2.0000", 3),
                ("tax", "BTW 21%", "22.4700", 5),
                ("total", "Total", "173.0700", 9),
            ],
            total="173.0700",
        ),
        # 6: a deleted product, no shipping, a winter date (UTC+1).
        Order(
            6,
            "2025-01-15 08:00:00",
            shipping=None,
            products=[_line(7, 99, "Discontinued thing", 3, "10.0000", "2.1000")],
            totals=[
                ("sub_total", "Sub-Total", "30.0000", 1),
                ("tax", "BTW 21%", "6.3000", 5),
                ("total", "Total", "36.3000", 9),
            ],
            total="36.3000",
        ),
        # 7: unicode and HTML-escaped names as OpenCart stores them.
        Order(
            7,
            "2025-04-05 09:00:00",
            firstname="Zoë 日本",
            lastname="Ûrsula-Straße",
            company="Café &amp; Co",
            city="’s-Hertogenbosch",
            products=[
                _line(
                    8,
                    32,
                    "Tom &amp; Jerry “Deluxe” ☕",
                    1,
                    "10.0000",
                    "2.1000",
                    options=[("Größe", "XL &quot;wide&quot;")],
                )
            ],
            totals=[
                ("sub_total", "Sub-Total", "10.0000", 1),
                ("shipping", "Flat Shipping Rate", "5.0000", 3),
                ("tax", "BTW 21%", "3.1500", 5),
                ("total", "Total", "18.1500", 9),
            ],
            total="18.1500",
        ),
        # 8: VAT number on the payment address (address custom field 2), Belgian customer.
        Order(
            8,
            "2025-04-06 09:00:00",
            country=(21, "Belgium"),
            company="Acme BV",
            payment_custom_field={"2": " BE0123456789 "},
            payment=("cod.cod", "Cash On Delivery"),
            products=[_line(9, 30, "Suitcase", 1, "100.0000", "21.0000")],
            totals=[
                ("sub_total", "Sub-Total", "100.0000", 1),
                ("tax", "BTW 21%", "21.0000", 5),
                ("total", "Total", "121.0000", 9),
            ],
            total="121.0000",
        ),
        # 9: a tax title that two tax rates share, and one no rate has.
        Order(
            9,
            "2025-04-07 09:00:00",
            products=[_line(10, 30, "Suitcase", 1, "100.0000", "21.0000")],
            totals=[
                ("sub_total", "Sub-Total", "100.0000", 1),
                ("tax", "Duplicate name", "21.0000", 5),
                ("tax", "Old rate 6%", "0.0000", 5),
                ("total", "Total", "121.0000", 9),
            ],
            total="121.0000",
        ),
    ]
    bulk = [
        Order(
            i,
            BULK_SECOND,
            order_status_id=0 if i in BULK_ABANDONED else 2,
            products=[_line(1000 + i, 30, "Suitcase", 1, "100.0000", "21.0000")],
            totals=[
                ("sub_total", "Sub-Total", "100.0000", 1),
                ("tax", "BTW 21%", "21.0000", 5),
                ("total", "Total", "121.0000", 9),
            ],
            total="121.0000",
        )
        for i in reversed(BULK_IDS)
    ]
    # One order after the bulk, to show the page after the shared second continues.
    bulk.append(Order(200, "2025-05-01 12:00:01", totals=[("total", "Total", "0.0000", 9)]))
    return named + bulk


def orders_sql(variant: str) -> str:
    return "".join(o.to_sql(variant) for o in orders())


def visible_order_ids() -> list[int]:
    """Order ids the endpoint must return, in (date_modified, order_id) order."""
    keyed = sorted((o.date_modified, o.order_id) for o in orders() if o.order_status_id != 0)
    return [order_id for _, order_id in keyed]
