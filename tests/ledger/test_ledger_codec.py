"""Canonical JSON, fingerprints and the text forms of money and dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from ocafas.ledger import canonical_json, fingerprint
from ocafas.ledger.codec import date_text, datetime_text, load_json, money_text


def test_canonical_json_sorts_keys_and_keeps_decimal_digits():
    body = {"b": [Decimal("12.40"), 3, None, True], "a": "é"}
    assert canonical_json(body) == '{"a":"é","b":[12.40,3,null,true]}'
    assert load_json(canonical_json(body))["b"][0] == Decimal("12.40")


def test_fingerprint_ignores_key_order_and_spacing_not_values():
    assert fingerprint({"a": 1, "b": "x"}) == fingerprint('{ "b" : "x", "a" : 1 }')
    assert fingerprint({"a": Decimal("1.10")}) != fingerprint({"a": Decimal("1.11")})
    assert len(fingerprint({})) == 64


@pytest.mark.parametrize("bad", [1.5, float("nan"), Decimal("NaN"), object()])
def test_canonical_json_refuses_floats_and_unknown_types(bad):
    with pytest.raises(ValueError):
        canonical_json({"x": bad})


def test_money_text_is_exact_and_refuses_floats():
    assert money_text(Decimal("0.10")) == "0.10"
    assert money_text(Decimal("-121.00")) == "-121.00"
    with pytest.raises(ValueError):
        money_text(0.1)  # type: ignore[arg-type]


def test_dates_are_normalised_iso_text():
    assert datetime_text("2025-04-01 10:20:00+02:00") == "2025-04-01T10:20:00+02:00"
    assert datetime_text("2025-04-01T08:20:00Z") == "2025-04-01T08:20:00+00:00"
    plus2 = timezone(timedelta(hours=2))
    assert datetime_text(datetime(2025, 4, 1, 10, 20, 5, 999, plus2)) == "2025-04-01T10:20:05+02:00"
    assert date_text(date(2025, 4, 1)) == "2025-04-01"
    assert date_text("2025-04-01T10:00:00") == "2025-04-01"
    with pytest.raises(ValueError):
        date_text("01-04-2025")
