"""The VIES keys: vat.vies_url (http to loopback only) and vat.shop_vat_number (stdnum)."""

from __future__ import annotations

from test_config import ENV, GOOD, parse

from ocafas.config import parse_settings
from ocafas.config_schema import VIES_URL


def with_vat(extra: str) -> str:
    return GOOD.replace("vat:\n", "vat:\n" + extra)


def test_defaults_without_the_keys() -> None:
    settings, _ = parse_settings(GOOD, environ=ENV)
    assert settings.vat.vies_check is False
    assert settings.vat.vies_url == VIES_URL
    assert settings.vat.vies_url == "https://ec.europa.eu/taxation_customs/vies/rest-api"
    assert settings.vat.shop_vat_number is None


def test_vies_check_on_with_shop_number_and_local_url() -> None:
    text = with_vat(
        "  vies_check: true\n"
        "  shop_vat_number: NL 0044.95.445.B01\n"
        "  vies_url: http://127.0.0.1:8123/rest-api/\n"
    )
    settings, _ = parse_settings(text, environ=ENV)
    assert settings.vat.vies_check is True
    assert settings.vat.shop_vat_number == "NL004495445B01"
    assert settings.vat.vies_url == "http://127.0.0.1:8123/rest-api"


def test_vies_check_needs_the_shop_vat_number() -> None:
    problems = parse(with_vat("  vies_check: true\n"))
    assert len(problems) == 1
    assert problems[0].startswith("vat.shop_vat_number: missing: vat.vies_check needs")


def test_shop_vat_number_is_validated_with_stdnum() -> None:
    problems = parse(with_vat("  shop_vat_number: NL123456789B01\n"))
    assert len(problems) == 1
    assert problems[0].startswith("vat.shop_vat_number: not a valid EU VAT number")


def test_shop_vat_number_must_be_of_the_shop_country() -> None:
    problems = parse(with_vat("  shop_vat_number: DE136695976\n"))
    assert problems == [
        "vat.shop_vat_number: must be a VAT number of vat.shop_country (NL), got DE"
    ]


def test_greek_shop_number_uses_el() -> None:
    text = with_vat("  shop_country: GR\n  shop_vat_number: EL094259216\n")
    settings, _ = parse_settings(text, environ=ENV)
    assert settings.vat.shop_vat_number == "EL094259216"


def test_vies_url_plain_http_only_to_loopback() -> None:
    problems = parse(with_vat("  vies_url: http://vies.example/rest-api\n"))
    assert len(problems) == 1
    assert problems[0].startswith("vat.vies_url: plain http is refused")
    assert parse(with_vat("  vies_url: ftp://127.0.0.1/x\n"))[0].startswith(
        "vat.vies_url: not an http(s) URL"
    )


def test_typo_in_vies_key_is_caught() -> None:
    problems = parse(with_vat("  vies_ur: https://x.example\n"))
    assert problems and "vat.vies_ur: unknown key (did you mean vies_url?)" in problems[0]
