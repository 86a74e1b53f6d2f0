"""ocafas's request schema must stay a compatible, stricter subset of the official AFAS SB spec.

The official spec is reference data kept beside the repository (never copied into it): found at
``$OCAFAS_SHARED_DIR/afas-sb`` or ``<repo>/../shared/afas-sb``. Without it these tests skip.
"""

from __future__ import annotations

import functools
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from ocafas.request_schemas import (
    RequestSchema,
    all_requests,
    find_request,
    load_document,
    parse_json_exact,
)

REPO = Path(__file__).resolve().parents[2]


def _shared_dir() -> Path | None:
    candidates = []
    if os.environ.get("OCAFAS_SHARED_DIR"):
        candidates.append(Path(os.environ["OCAFAS_SHARED_DIR"]) / "afas-sb")
    candidates.append(REPO.parent / "shared" / "afas-sb")
    for candidate in candidates:
        if (candidate / "openapi-8.0.json").is_file():
            return candidate
    return None


SHARED = _shared_dir()
pytestmark = pytest.mark.skipif(
    SHARED is None,
    reason="official AFAS SB spec not found: set OCAFAS_SHARED_DIR or put shared/afas-sb/"
    "openapi-8.0.json beside the repository",
)


@functools.cache
def _spec(version: str) -> dict[str, Any] | None:
    assert SHARED is not None
    path = SHARED / f"openapi-{version}.json"
    if not path.is_file():
        return None
    spec: dict[str, Any] = parse_json_exact(path.read_text(encoding="utf-8"))
    return spec


def _pointer(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for raw in pointer.lstrip("#/").split("/"):
        node = node[raw.replace("~1", "/").replace("~0", "~")]
    return node


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = _pointer(document, node["$ref"])
    return node


def _pairs() -> list[tuple[RequestSchema, str, str]]:
    return [(r, spec, ptr) for r in all_requests() for spec, ptr in r.official.items()]


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("type")
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def _compare(ours: Any, official: Any, spec: dict[str, Any], where: str, problems: list[str]):
    ours = _resolve(load_document(), ours)
    official = _resolve(spec, official)
    ours_types, official_types = _types(ours), _types(official)
    if official_types and ours_types:
        widened = {"integer"} if "number" in official_types else set()
        if not ours_types <= official_types | widened:
            problems.append(f"{where}: type {ours_types} not within official {official_types}")
    if "format" in official and ours.get("format") != official["format"]:
        problems.append(
            f"{where}: format {ours.get('format')!r} != official {official['format']!r}"
        )
    if "enum" in official:
        extra = set(ours.get("enum", [None])) - set(official["enum"])
        if "enum" not in ours or extra:
            problems.append(f"{where}: enum values {sorted(map(str, extra))} not in official enum")
    if "maxLength" in official and ours.get("maxLength", 10**9) > official["maxLength"]:
        problems.append(f"{where}: maxLength {ours.get('maxLength')} > {official['maxLength']}")
    if "multipleOf" in official:
        step = Decimal(str(official["multipleOf"]))
        if "multipleOf" not in ours or Decimal(str(ours["multipleOf"])) % step != 0:
            problems.append(f"{where}: multipleOf {ours.get('multipleOf')} vs official {step}")
    if "pattern" in official and ours.get("pattern") != official["pattern"]:
        problems.append(f"{where}: pattern {ours.get('pattern')!r} != {official['pattern']!r}")
    for rule in official.get("allOf", []):
        if _plain(rule) not in [_plain(r) for r in ours.get("allOf", [])]:
            problems.append(f"{where}: official rule missing: {json.dumps(_plain(rule))}")
    official_props = official.get("properties", {})
    for name, sub in ours.get("properties", {}).items():
        if name not in official_props:
            problems.append(f"{where}.{name}: not a property of the official schema")
            continue
        _compare(sub, official_props[name], spec, f"{where}.{name}", problems)
    for name in official.get("required", []):
        if name not in ours.get("required", []):
            problems.append(f"{where}: official required property {name!r} not required in ours")
    if "items" in ours:
        if "items" not in official:
            problems.append(f"{where}: ours has items, official not")
        else:
            _compare(ours["items"], official["items"], spec, f"{where}[]", problems)


def _plain(node: Any) -> Any:
    """JSON with Decimals as floats, so official and ours compare regardless of the parser."""
    return json.loads(json.dumps(node, default=float))


@pytest.mark.parametrize(
    ("request_schema", "spec_version", "pointer"),
    _pairs(),
    ids=[f"{r.method} {r.path} {r.version} vs {s}" for r, s, _ in _pairs()],
)
def test_our_schema_is_compatible_with_official(
    request_schema: RequestSchema, spec_version: str, pointer: str
) -> None:
    spec = _spec(spec_version)
    if spec is None:
        pytest.skip(f"openapi-{spec_version}.json not present")
    official = _pointer(spec, pointer)
    problems: list[str] = []
    _compare(request_schema.schema, official, spec, request_schema.definition, problems)
    assert problems == []


def test_versions_are_the_ones_the_official_8_0_paths_announce() -> None:
    spec = _spec("8.0")
    assert spec is not None
    for request in all_requests():
        if request.version is None or request.version == "2":
            continue
        operation = spec["paths"][request.path][request.method.lower()]
        assert operation["summary"].endswith(request.version), (request, operation["summary"])


def test_comparison_catches_an_incompatible_schema() -> None:
    """Guard against a comparison that can never fail."""
    spec = _spec("8.0")
    assert spec is not None
    official = _pointer(spec, "#/components/requestBodies/salesjournalentry-3.0-Create-JsonSchema")
    bad = {
        "type": "object",
        "required": ["InvoiceNumber"],
        "properties": {
            "InvoiceNumber": {"type": "integer"},
            "Bogus": {"type": "string"},
            "Description": {"type": "string", "maxLength": 999},
            "PaymentMethod": {"type": "string", "enum": ["cheque"]},
        },
    }
    problems: list[str] = []
    _compare(bad, official, spec, "bad", problems)
    text = "\n".join(problems)
    for expected in ("bad.InvoiceNumber: type", "bad.Bogus", "maxLength", "cheque", "'RelationId'"):
        assert expected in text


SAMPLES: dict[tuple[str, str, str | None], dict[str, Any]] = {
    ("POST", "/authentication/getaccesstoken", None): {"apptoken": "x" * 64},
    ("POST", "/api/person", "4.0"): {
        "FirstName": "Anna",
        "Prefix": "van",
        "LastName": "Dijk",
        "Initials": "A.",
        "EmailAddress": "anna@example.com",
        "PhoneNumber": "0612345678",
        "ExternalId": "opencart:anna@example.com",
        "Addresses": [
            {
                "StreetName": "Stationstraat",
                "HouseNumber": 12,
                "HouseNumberAddition": "a",
                "PostalZone": "3811 MH",
                "CityName": "Amersfoort",
                "CountryCode": "NL",
                "State": "Utrecht",
                "PreferredBillingAddress": True,
                "PreferredShippingAddress": True,
                "PreferredSupplierAddress": False,
            }
        ],
    },
    ("POST", "/api/organisation", "4.0"): {
        "Name": "Voorbeeld B.V.",
        "VatNumber": "NL001234567B01",
        "CocNumber": "12345678",
        "EmailAddress": "info@example.com",
        "ExternalId": "opencart:info@example.com",
        "Addresses": [{"StreetName": "Hoofdweg", "CityName": "Leusden", "CountryCode": "NL"}],
    },
    ("POST", "/api/salesjournalentry", "3.0"): {
        "AdministrationId": "63fff54b-a110-53fe-92ed-44de73f0fb61",
        "InvoiceDate": "2025-01-15",
        "InvoiceNumber": "OC-1001",
        "RelationType": "person",
        "RelationId": "a7b566cf-e03b-45f0-a294-d8ba1f1c8a52",
        "Reference": "1001",
        "Description": "Order 1001",
        "PaymentMethod": "ideal",
        "PaymentConditionId": "986d98be-e74d-58f2-95f7-e641769ac64f",
        "PaymentReference": "tr_123",
        "ProjectId": "96d5ef01-0d3f-4a60-b5ee-8a915693f5c2",
        "InvoiceLine": [
            {
                "LedgerAccountId": "93b4b2cb-2174-56ff-b6f6-0031527e01e1",
                "Description": "Omzet hoog",
                "AmountExcludingVat": Decimal("100.00"),
                "AmountVat": Decimal("21.00"),
                "VatType": "high",
                "DepartmentId": "43d4aa9d-0219-44b8-a8cb-878a61a61638",
            },
            {
                "LedgerAccountId": "93b4b2cb-2174-56ff-b6f6-0031527e01e1",
                "AmountExcludingVat": Decimal("12.40"),
                "VatType": "zero",
                "VatCalculation": "reversecharged",
                "IntraCommunityType": "supplies",
                "LocationId": "01ae3b98-8320-44e1-8eb4-c66635dde0b4",
            },
        ],
    },
    ("POST", "/api/salesjournalentry", "2"): {
        "AdministrationId": "63fff54b-a110-53fe-92ed-44de73f0fb61",
        "InvoiceDate": "2025-01-15",
        "InvoiceNumber": "OC-1001",
        "RelationType": "unknown",
        "RelationId": "a7b566cf-e03b-45f0-a294-d8ba1f1c8a52",
        "InvoiceLine": [
            {
                "LedgerAccountId": "93b4b2cb-2174-56ff-b6f6-0031527e01e1",
                "AmountExcludingVat": Decimal("-5.10"),
                "AmountVat": Decimal("-0.46"),
                "VatType": "low",
            }
        ],
    },
    ("DELETE", "/api/salesjournalentry", "2.1"): {
        "AdministrationId": "63fff54b-a110-53fe-92ed-44de73f0fb61",
        "Id": "a7b566cf-e03b-45f0-a294-d8ba1f1c8a52",
    },
}


def test_every_request_has_a_sample() -> None:
    assert {(r.method, r.path, r.version) for r in all_requests()} == set(SAMPLES)


@pytest.mark.parametrize(
    ("key", "spec_version"),
    [((r.method, r.path, r.version), spec) for r in all_requests() for spec in r.official],
)
def test_samples_valid_under_ours_are_valid_under_official(
    key: tuple[str, str, str | None], spec_version: str
) -> None:
    request = find_request(*key)
    assert request is not None
    assert request.errors(SAMPLES[key]) == []
    spec = _spec(spec_version)
    if spec is None:
        pytest.skip(f"openapi-{spec_version}.json not present")
    official = dict(_pointer(spec, request.official[spec_version]))
    official.setdefault("components", spec["components"])
    validator = Draft201909Validator(official, format_checker=Draft201909Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(SAMPLES[key])] == []
