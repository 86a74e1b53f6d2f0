"""ocafas's own schema of the AFAS SB requests it sends, looked up by (method, path, version).

The file ``schemas/afas-requests.json`` is shared by the AFAS sandbox (which rejects what does not
match, as AFAS would) and by tests that compare it with the official spec. JSON is parsed with
``parse_float=Decimal`` on both sides, so ``multipleOf: 0.01`` is checked exactly on the digits that
were sent ("12.40" passes, "12.345" fails) instead of on a binary float.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator, ValidationError

SCHEMA_FILE = "afas-requests.json"


def parse_json_exact(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as the exact Decimal written in the text."""
    return json.loads(text, parse_float=Decimal)


def normalize_version(version: str | None) -> str | None:
    """Accept-Version values compare as versions: "3" and "3.0" are the same, "2.1" is not "2"."""
    if version is None:
        return None
    parts = version.strip().split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


@dataclass(frozen=True)
class RequestSchema:
    """One request body ocafas sends: where it goes, its definition and its official twin."""

    method: str
    path: str
    version: str | None
    definition: str
    official: dict[str, str]
    schema: dict[str, Any] = field(repr=False, compare=False)

    def errors(self, body: Any) -> list[str]:
        """Every violation of this schema as "<message>. Path '<json path>'", in document order."""
        found = sorted(
            _validator(self.definition).iter_errors(body),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
        return [f"{_message(e)}. Path '{_json_path(e.absolute_path)}'" for e in found]


def _message(error: ValidationError) -> str:
    """jsonschema's message, minus Python reprs (Decimal('1.5'), dicts) a client cannot act on."""
    if error.validator == "multipleOf":
        return f"{error.instance} is not a multiple of {error.validator_value}"
    if error.validator == "not":
        forbidden = (
            error.validator_value.get("required")
            if isinstance(error.validator_value, dict)
            else None
        )
        if forbidden:
            return "may not contain all of " + ", ".join(f"'{name}'" for name in forbidden)
        return f"must not match {json.dumps(error.validator_value, default=str)}"
    return str(error.message)


def _json_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@cache
def load_document() -> dict[str, Any]:
    """The whole schema document (cached; do not mutate)."""
    raw = (
        resources.files("ocafas")
        .joinpath("schemas")
        .joinpath(SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = parse_json_exact(raw)
    return document


def _schema_for(definition: str) -> dict[str, Any]:
    document = load_document()
    return {
        "$schema": document["$schema"],
        "$defs": document["$defs"],
        "$ref": f"#/$defs/{definition}",
    }


@cache
def _validator(definition: str) -> Draft201909Validator:
    return Draft201909Validator(
        _schema_for(definition), format_checker=Draft201909Validator.FORMAT_CHECKER
    )


def all_requests() -> list[RequestSchema]:
    """Every (method, path, version) ocafas sends, in the order of the schema file."""
    return [
        RequestSchema(
            method=item["method"],
            path=item["path"],
            version=item["version"],
            definition=item["definition"],
            official=dict(item["official"]),
            schema=load_document()["$defs"][item["definition"]],
        )
        for item in load_document()["x-requests"]
    ]


def versions_for(method: str, path: str) -> list[str | None]:
    """The Accept-Version values ocafas's schema knows for this call, as spelled in the file."""
    return [r.version for r in all_requests() if r.method == method.upper() and r.path == path]


def find_request(method: str, path: str, version: str | None) -> RequestSchema | None:
    """The schema for this call, or None when ocafas never sends it (in this version)."""
    wanted = normalize_version(version)
    for request in all_requests():
        if (
            request.method == method.upper()
            and request.path == path
            and normalize_version(request.version) == wanted
        ):
            return request
    return None
