"""Config rules of the API 8.0 settings: the default cost centre and reversals.

Kept apart from :mod:`ocafas.config_schema` (which calls these) so each module stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocafas.config import ReversalSettings
    from ocafas.config_checks import Checks

REVERSAL_KEYS = ("enabled", "statuses", "invoice_number")


def dimension(v: Checks, data: dict[str, Any], key: str, path: str) -> str | None:
    """A department or project by name or InstanceId; AFAS decides at run time which it is."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        v.problem(f"{path}.{key}", "must be the name or id (InstanceId) AFAS SB shows for it")
        return None
    text = " ".join(str(value).split())
    if len(text) > 255:
        v.problem(f"{path}.{key}", "is longer than 255 characters")
        return None
    return text


def reversal_settings(v: Checks, raw: Any, path: str, booking_template: str) -> ReversalSettings:
    from ocafas.config import ReversalSettings

    if raw is None:
        return ReversalSettings()
    if not isinstance(raw, dict):
        v.problem(path, "must be a mapping (enabled, statuses, invoice_number)")
        return ReversalSettings()
    v.known_keys(raw, path, REVERSAL_KEYS)
    enabled = v.boolean(raw, "enabled", path, False)
    default = ReversalSettings()
    statuses = default.statuses
    given = "statuses" in raw
    if given:
        statuses = v.statuses(raw.get("statuses"), f"{path}.statuses")
    template = v.template(raw, "invoice_number", path, default.invoice_number)
    template = template or default.invoice_number
    if "{order_id}" not in template:
        v.problem(
            f"{path}.invoice_number",
            "must contain {order_id}, so every credit gets its own number",
        )
    elif template == booking_template:
        v.problem(
            f"{path}.invoice_number",
            "must differ from booking.invoice_number: a credit is its own invoice "
            "(e.g. 'ORD{order_id}-C')",
        )
    return ReversalSettings(enabled, statuses, template, statuses_given=given)
