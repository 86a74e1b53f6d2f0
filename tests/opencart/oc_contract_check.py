"""The contract schema and a check against one of its definitions, for the client tests.

Not in conftest.py: tests/extension has a conftest.py too, and "from conftest import" resolves to
whichever of the two pytest loaded first when both directories run in one session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "ocafas" / "schemas" / "opencart-contract.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_REGISTRY = Registry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))


def contract_errors(definition: str, instance: Any) -> list[str]:
    """Every way ``instance`` breaks the contract's ``definition`` (empty when it conforms)."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{SCHEMA['$id']}#/$defs/{definition}"}, registry=_REGISTRY
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]
