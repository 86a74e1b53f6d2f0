"""The checks of single values every config section uses, each problem with its key path.

Values of secrets are never echoed; other values are shown shortened so a message stays one line.
The sections' rules (config_connections, config_vat, config_booking, config_api8, config_shop)
build on :class:`Checks`; :class:`ocafas.config_schema.Validator` puts them together.
"""

from __future__ import annotations

import re
import string
import uuid
from pathlib import Path
from typing import Any

from ocafas.http import check_transport

SECRET_KEYS = frozenset({"opencart.api_key", "afas.app_token"})
#: Where a secret comes from when its key is absent from the file.
SECRET_ENV_FALLBACKS = {
    "opencart.api_key": "OCAFAS_OPENCART_API_KEY",
    "afas.app_token": "OCAFAS_AFAS_APP_TOKEN",
}
#: Placeholders the invoice number, description and payment reference templates may use.
TEMPLATE_FIELDS = frozenset(
    {
        *("order_id", "invoice", "invoice_no", "invoice_prefix", "store_name", "customer"),
        *("email", "shop_prefix"),
    }
)

_ACCOUNT_NUMBER = re.compile(r"^[0-9]{1,10}$")


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().replace("-", "_"), b.lower()
    if a == b or a.rstrip("s") == b.rstrip("s"):
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # one edit or a swap away
    common = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return common >= max(len(a), len(b)) - 2


class Checks:
    """Collects problems; one method per kind of value (text, number, account, template, ...)."""

    def __init__(
        self, problems: list[str], base_dir: Path, reported: frozenset[str] = frozenset()
    ) -> None:
        self.problems = problems
        self.base_dir = base_dir
        #: key paths already reported (a missing ${ENV_VAR}): no second problem for them
        self.reported = reported

    # -- primitives -------------------------------------------------------------------------

    def problem(self, path: str, message: str) -> None:
        if path not in self.reported:
            self.problems.append(f"{path}: {message}")

    def section(self, raw: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        value = raw.get(name)
        if value is None:
            if required:
                self.problem(name, "missing section")
            return {}
        if not isinstance(value, dict):
            self.problem(name, "must be a mapping of keys")
            return {}
        return value

    def known_keys(self, data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                close = [a for a in allowed if _similar(str(key), a)]
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(where, f"unknown key{hint}; allowed: {', '.join(allowed)}")

    def string(
        self, data: dict[str, Any], key: str, path: str, required: bool = True
    ) -> str | None:
        where = f"{path}.{key}"
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(where, "must be text")
            return None
        return str(value).strip()

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        default: float,
        low: float,
        high: float,
        integer: bool = False,
    ) -> float:
        where = f"{path}.{key}"
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"must be a number, got {show(value)}")
            return default
        if integer and not isinstance(value, int):
            self.problem(where, f"must be a whole number, got {show(value)}")
            return default
        if not low <= value <= high:
            self.problem(where, f"must be between {low:g} and {high:g}, got {value:g}")
            return default
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false, got {show(value)}")
            return default
        return value

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        options: tuple[str, ...],
        default: str | None = None,
    ) -> str | None:
        value = data.get(key, default)
        if value is None:
            return None
        if value not in options:
            self.problem(f"{path}.{key}", f"must be one of {', '.join(options)}, got {show(value)}")
            return default
        return str(value)

    def uuid(self, data: dict[str, Any], key: str, path: str, required: bool) -> str | None:
        value = self.string(data, key, path, required)
        if value is None:
            return None
        if not _is_uuid(value):
            self.problem(f"{path}.{key}", f"not a UUID: {show(value)}")
            return None
        return value.lower()

    def secret(self, data: dict[str, Any], key: str, path: str, min_length: int) -> str:
        where = f"{path}.{key}"
        value = data.get(key)
        if value is None or value == "":
            env = SECRET_ENV_FALLBACKS[where]
            self.problem(where, f"missing (write it as ${{{env}}} and export {env})")
            return ""
        if not isinstance(value, str):
            self.problem(where, "must be text (value not shown)")
            return ""
        if len(value) < min_length or any(c.isspace() for c in value):
            self.problem(
                where,
                f"does not look like a valid secret (value not shown): at least {min_length} "
                "characters, no spaces",
            )
        return value

    def url(self, data: dict[str, Any], key: str, path: str, required: bool = True) -> str | None:
        value = self.string(data, key, path, required)
        if value is None:
            return None
        reason = check_transport(value)
        if reason:
            self.problem(f"{path}.{key}", f"{reason}: {show(value)}")
            return None
        return value

    def account(self, value: Any, where: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(where, "must be a ledger account number (e.g. 8000) or its AFAS id")
            return None
        text = str(value).strip()
        if not (_ACCOUNT_NUMBER.match(text) or _is_uuid(text)):
            self.problem(
                where, f"must be a ledger account number (e.g. 8000) or its AFAS id: {show(value)}"
            )
            return None
        return text.lower()

    def template(
        self, data: dict[str, Any], key: str, path: str, default: str | None
    ) -> str | None:
        where = f"{path}.{key}"
        value = data.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.problem(where, "must be a non-empty text template such as 'ORD{order_id}'")
            return default
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(value) if n is not None]
        except ValueError as err:
            self.problem(where, f"broken template ({err}); write placeholders as {{order_id}}")
            return default
        unknown = sorted({n for n in names if n not in TEMPLATE_FIELDS})
        if unknown:
            allowed = ", ".join("{" + f + "}" for f in sorted(TEMPLATE_FIELDS))
            self.problem(where, f"unknown placeholder {{{unknown[0]}}}; allowed: {allowed}")
            return default
        return value

    def statuses(self, value: Any, where: str) -> tuple[int | str, ...]:
        if value is None:
            self.problem(
                where, "missing: list the OpenCart order statuses to book, e.g. [Complete]"
            )
            return ()
        if not isinstance(value, list) or not value:
            self.problem(where, "must be a non-empty list of status names or ids")
            return ()
        result: list[int | str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (int, str)) or item in ("", 0):
                self.problem(f"{where}.{i}", f"must be a status name or id, got {show(item)}")
            elif isinstance(item, int) and item < 0:
                self.problem(f"{where}.{i}", f"must be a positive status id, got {item}")
            else:
                result.append(item.strip() if isinstance(item, str) else item)
        return tuple(result)


__all__ = ["SECRET_ENV_FALLBACKS", "SECRET_KEYS", "TEMPLATE_FIELDS", "Checks"]
