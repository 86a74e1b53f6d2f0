"""configure-vat's default cost centre: a department (and optionally a project) AFAS SB lists.

Given with ``--department`` / ``--project`` (a name or an InstanceId; ``none`` removes it) and
checked against ``GET /api/departments`` / ``/api/projects`` of the chosen administration; a
value AFAS does not list is refused before anything is saved, and the refusal lists the ones
AFAS has. A configured one is checked again on every configure-vat. Not asked in the terminal
dialogue (the cost centre is optional): AFAS is only asked when one is given or configured.
"""

from __future__ import annotations

from typing import Any

from ocafas.errors import ConfigError
from ocafas.pipeline.preflight import resolve_dimension
from ocafas.setup.configdoc import ConfigDocument
from ocafas.setup.remote import Remote

NONE = "none"
_KINDS = (("department", "departments"), ("project", "projects"))


def cost_centre(
    doc: ConfigDocument, given: dict[str, str | None], remote: Remote
) -> dict[str, str | None]:
    """The afas.department / afas.project to save (None: not set); raises ConfigError."""
    chosen: dict[str, str | None] = {}
    problems = []
    for key, endpoint in _KINDS:
        current = doc.get("afas", key)
        value: Any = given.get(key)
        if value is None:
            value = current
        if value is None:
            chosen[key] = None
            continue
        text = str(value).strip()
        if text.lower() in (NONE, ""):
            chosen[key] = None
            continue
        rows = remote.afas.dimensions(endpoint, remote.administration_id)
        found, problem = resolve_dimension(f"afas.{key}", text, rows, key)
        if problem:
            problems.append(problem)
        chosen[key] = text if found else None
    if problems:
        raise ConfigError("not saved: the cost centre is not in AFAS SB", problems=problems)
    return chosen


def save_cost_centre(doc: ConfigDocument, chosen: dict[str, str | None]) -> None:
    for key, value in chosen.items():
        if value is None:
            doc.delete(("afas", key))
        else:
            doc.set(("afas", key), value)
