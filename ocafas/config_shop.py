"""The config of a shop among several: its name, its invoice-number prefix, the other shops.

Several shops may book into one AFAS SB administration. Each keeps its own config and ledger,
so only a prefix in the invoice number keeps shop A's order 1001 apart from shop B's: AFAS SB
refuses (or, worse, a lookup "finds") a second invoice with the same number. ``shop.others``
names the other shops' configs so ocafas can refuse to start when two of them could collide.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocafas.config import ShopSettings
    from ocafas.config_checks import Checks

_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,19}$")


def shop_prefix(validator: Checks, data: dict[str, Any], invoice_template: str) -> str:
    """``booking.shop_prefix``: letters, digits, - _ . /, and used by the invoice number."""
    where = "booking.shop_prefix"
    value = data.get("shop_prefix", "")
    if value is None or value == "":
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        validator.problem(where, "must be a short text such as 'A-'")
        return ""
    text = str(value)
    if not _PREFIX.match(text):
        validator.problem(
            where,
            "must be 1-20 letters, digits or - _ . / (starting with a letter or digit),"
            f" got {text!r}",
        )
        return ""
    if "{shop_prefix}" not in invoice_template:
        validator.problem(
            "booking.invoice_number",
            "must contain {shop_prefix} when booking.shop_prefix is set, e.g. "
            "'{shop_prefix}ORD{order_id}'",
        )
    return text


def shop_settings(validator: Checks, data: dict[str, Any], source: Path | None) -> ShopSettings:
    from ocafas.config import ShopSettings

    validator.known_keys(data, "shop", ("name", "others"))
    default_name = _default_name(source)
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        validator.problem("shop.name", "must be a non-empty text")
        name = default_name
    others_raw = data.get("others", [])
    if isinstance(others_raw, str):
        others_raw = [others_raw]
    others: list[Path] = []
    if not isinstance(others_raw, list):
        validator.problem("shop.others", "must be a list of config files of the other shops")
    else:
        for i, item in enumerate(others_raw):
            if not isinstance(item, str) or not item.strip():
                validator.problem(f"shop.others.{i}", "must be the path of a config file")
                continue
            path = Path(item.strip()).expanduser()
            path = path if path.is_absolute() else validator.base_dir / path
            if source is not None and _same(path, source):
                continue  # a shared list that names this file too
            others.append(path)
    return ShopSettings(name=name.strip(), others=tuple(others))


def _default_name(source: Path | None) -> str:
    if source is None:
        return "shop"
    return source.name.rsplit(".", 1)[0] if "." in source.name else source.name


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
