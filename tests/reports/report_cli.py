"""Running ``ocafas report ...`` in-process, with the synced ledger's config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from ocafas.cli import cli

SCHEMAS = Path(__file__).resolve().parents[2] / "ocafas" / "schemas"


def run(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(cli, ["report", *args], env=env, catch_exceptions=False)
    return result


def validator(name: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("report-*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    schema = schemas[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)
