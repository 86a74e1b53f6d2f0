"""Fixed debtors per payment method: none, AFAS's unknown relation, or a relation found in AFAS.

``ask`` is configure-vat's asker (``prompter`` and ``text(label, option, default, choices)``).
"""

from __future__ import annotations

import uuid
from typing import Any

from ocafas.errors import ConfigError
from ocafas.setup.remote import Remote, relation_by_id, search_relations


def fixed_debtors(fixed: dict[str, Any], given: dict[str, str], ask: Any, remote: Remote) -> None:
    """Apply the ``--fixed-debtor`` answers, then (in a terminal) ask per shop payment method."""
    for code, spec in given.items():
        _set_debtor(fixed, code, spec, ask, remote)
    if not ask.prompter.interactive:
        return
    for method in remote.payment_methods:
        head, _, tail = method.code.partition(".")
        # OpenCart 4's "cod.cod": the booking matches the part before the dot too
        code = head if tail == head and method.code not in fixed else method.code
        current = fixed.get(code)
        shown = "none" if current is None else current if isinstance(current, str) else str(
            current.get("relation_id"))  # fmt: skip
        spec = ask.text(
            f"Fixed debtor for {method.name} ({method.code}): 'none' (each customer their own), "
            "'unknown' (Various debtors), or an e-mail address or relation id",
            "--fixed-debtor",
            shown,
        )
        if spec != shown:
            _set_debtor(fixed, code, spec, ask, remote)


def _set_debtor(fixed: dict[str, Any], code: str, spec: str, ask: Any, remote: Remote) -> None:
    spec = spec.strip()
    if spec.lower() in ("", "none"):
        fixed.pop(code, None)
        return
    if spec.lower() == "unknown":
        remote.afas.unknown_relation()  # raises when the environment has none
        fixed[code] = "unknown"
        return
    try:
        uuid.UUID(spec)
        found = relation_by_id(remote, spec)
        matches = [found] if found else []
    except ValueError:
        matches = search_relations(remote, spec)
    if not matches:
        raise ConfigError(f"--fixed-debtor {code}={spec}: AFAS SB has no such relation")
    pick = matches[0]
    if len(matches) > 1:
        listed = [f"{i}. {m.relation_type} {m.name} ({m.id})" for i, m in enumerate(matches, 1)]
        if not ask.prompter.interactive:
            raise ConfigError(
                f"--fixed-debtor {code}={spec} matches {len(matches)} relations: "
                + "; ".join(listed)
                + "; give the relation id"
            )
        number = ask.text(
            "\n".join(listed) + "\nWhich one", "--fixed-debtor", "1",
            choices=[str(i) for i in range(1, len(matches) + 1)],
        )  # fmt: skip
        pick = matches[int(number) - 1]
    fixed[code] = {"relation_id": pick.id, "relation_type": pick.relation_type}
