"""Shared fixtures: the contract schema, a running sandbox shop and a client for it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from ocafas.opencart.client import OpenCartClient
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

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


@pytest.fixture
def sandbox() -> Iterator[OpenCartSandbox]:
    with OpenCartSandbox() as shop:
        yield shop


@pytest.fixture
def make_client(sandbox: OpenCartSandbox) -> Callable[..., OpenCartClient]:
    def build(**options: Any) -> OpenCartClient:
        options.setdefault("backoff", 0)
        options.setdefault("timeout", 5)
        url = options.pop("url", sandbox.url)
        key = options.pop("api_key", DEFAULT_KEY)
        return OpenCartClient(url, key, **options)

    return build
