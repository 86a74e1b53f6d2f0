"""Several shops, one AFAS SB administration: refuse to start when invoice numbers could collide.

Each shop keeps its own config and ledger, and each ledger guards only its own invoice numbers.
AFAS SB refuses a second invoice with a number it has (and a lookup would "find" the other
shop's invoice), so shops that book into one administration need invoice-number templates that
can never give the same number: a distinct ``booking.shop_prefix`` each. A config names the
others in ``shop.others``; every run (and ``check-config``) reads their files, only for the few
keys that matter here, so a sibling whose secrets live in another cron job's environment is no
problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocafas.config import Settings
from ocafas.errors import ConfigError
from ocafas.yamlio import YamlProblem, load_yaml_text

_LEADING_DIGITS = re.compile(r"^[0-9]+")
_TRAILING_DIGITS = re.compile(r"[0-9]+$")


@dataclass(frozen=True)
class ShopIdentity:
    """What decides whether two shops' invoice numbers can meet in one administration."""

    name: str
    source: str
    environment: str  # the AFAS SB base URL, normalised
    administration_id: str
    invoice_number: str  # the template with the shop prefix filled in
    shop_prefix: str

    @property
    def invoice_key(self) -> tuple[str, str]:
        """Two templates can give the same number iff their keys are equal.

        Order ids are digits, so ``A{order_id}`` and ``A1{order_id}`` meet (A1001 = A1 + 001
        ... = A + 1001): digits next to ``{order_id}`` do not separate shops; letters do.
        """
        head, _, tail = self.invoice_number.partition("{order_id}")
        return _TRAILING_DIGITS.sub("", head), _LEADING_DIGITS.sub("", tail)


def identity_of(settings: Settings) -> ShopIdentity:
    booking = settings.booking
    return ShopIdentity(
        name=settings.shop.name,
        source=str(settings.source or "config"),
        environment=_environment(settings.afas.base_url),
        administration_id=settings.afas.administration_id.lower(),
        invoice_number=booking.invoice_number.replace("{shop_prefix}", booking.shop_prefix),
        shop_prefix=booking.shop_prefix,
    )


def _environment(url: str) -> str:
    return url.strip().rstrip("/").lower()


def read_identity(path: Path) -> ShopIdentity:
    """The identity of another shop's config, read without validating (or needing) its secrets."""
    try:
        raw = load_yaml_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"shop.others: the config of another shop, {path}, does not exist",
            hint="correct the path in shop.others, or remove it",
        ) from None
    except (OSError, UnicodeDecodeError, YamlProblem) as err:
        raise ConfigError(
            f"shop.others: cannot read the other shop's config {path}: {err}"
        ) from None
    data = raw if isinstance(raw, dict) else {}
    afas = _section(data, "afas")
    booking = _section(data, "booking")
    shop = _section(data, "shop")
    base = afas.get("base_url")
    if not base:
        base = (
            f"https://{afas.get('accountant_domain', '')}.afasfocus.nl/"
            f"{afas.get('customer_environment', '')}"
        )
    prefix = str(booking.get("shop_prefix") or "")
    template = str(booking.get("invoice_number") or "{shop_prefix}ORD{order_id}")
    name = shop.get("name") or path.name.rsplit(".", 1)[0]
    return ShopIdentity(
        name=str(name),
        source=str(path),
        environment=_environment(str(base)),
        administration_id=str(afas.get("administration_id") or "").lower(),
        invoice_number=template.replace("{shop_prefix}", prefix),
        shop_prefix=prefix,
    )


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def check_shops(settings: Settings) -> None:
    """Raise one :class:`ConfigError` when this shop and another could book the same number."""
    if not settings.shop.others:
        return
    mine = identity_of(settings)
    clashes = []
    for path in settings.shop.others:
        other = read_identity(path)
        same_admin = (
            other.environment == mine.environment
            and other.administration_id == mine.administration_id
        )
        if same_admin and other.invoice_key == mine.invoice_key:
            clashes.append(other)
    if not clashes:
        return
    names = ", ".join(f"{o.name!r} ({o.source})" for o in clashes)
    raise ConfigError(
        f"shop {mine.name!r} ({mine.source}) and {names} book into the same AFAS SB "
        f"administration {mine.administration_id} with invoice numbers that can be the same "
        f"({mine.invoice_number!r} and {clashes[0].invoice_number!r}); nothing was done",
        hint="give each shop its own booking.shop_prefix (e.g. 'A-' and 'B-') in its config",
    )
