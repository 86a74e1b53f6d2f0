"""`ocafas configure-vat` against both sandboxes, and a setup from nothing to a first sync."""

from __future__ import annotations

from decimal import Decimal

from setup_support import VAT_ARGS, Env

from ocafas.config import parse_settings
from ocafas.config_schema import EU_COUNTRIES
from ocafas.errors import ExitCode
from ocafas.ledger import Ledger
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, PERSON_CAS_ID
from ocafas.setup.eu_rates import rate_table


def _settings(env: Env):  # type: ignore[no-untyped-def]
    return parse_settings(env.config.read_text("utf-8"), env.config, environ=env.env())[0]


def test_rate_table_covers_every_member_state_and_names_its_source() -> None:
    table = rate_table()
    assert set(table.countries) == EU_COUNTRIES
    assert "European Commission" in table.source and table.date.startswith("2026")
    assert table.countries["DE"].all == (Decimal(19), Decimal(7))
    assert table.countries["FI"].standard == Decimal("25.5")
    assert Decimal("5.5") in table.countries["FR"].reduced


def test_non_interactive_setup_from_nothing_to_a_first_sync(setup_env: Env) -> None:
    setup_env.shop.generate(60)
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    result = setup_env.run(*VAT_ARGS)
    assert result.exit_code == 0, result.output
    assert "journal and the debtors account from the administration's settings" in result.output
    assert "in use" in result.output  # the shop's rates are flagged
    settings = _settings(setup_env)
    assert set(settings.vat.rates) == EU_COUNTRIES
    assert settings.vat.rule_for("DE", Decimal(21)).account == "8000"  # home rates
    assert settings.vat.rule_for("NL", Decimal(0)).vat_type == "zero"
    assert settings.fixed_debtors["cod"].relation_type == "unknown"

    sync = setup_env.run("-v", "sync")
    assert sync.exit_code == 0, sync.output
    booked = setup_env.afas.entries(ADMIN_SHOP_ID)
    assert booked and " booked" in sync.output
    with Ledger.open(settings.ledger_path) as ledger:
        assert ledger.errors() == []


def test_interactive_run_gives_the_same_config(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    reference = setup_env.tmp / "reference.yaml"
    assert setup_env.run(*setup_env.connect_args(), config=reference).exit_code == 0
    assert setup_env.run(*VAT_ARGS, config=reference).exit_code == 0

    answers = [
        "",  # shop country NL
        "",  # no destination rates
        "9999",  # not an AFAS account: asked again
        "8000",
        "8010",
        "8020",
        "8100",
        "",  # ICP supplies
        "8200",
        "",  # shipping: none
        "",  # fees: none
        "1600",
        "1600",
        "",  # bank transfer: no fixed debtor
        "",  # iDEAL
        "",  # Bancontact
        "unknown",  # cash on delivery
        "",  # PayPal
        "",  # free checkout
        "",  # no country to adjust
        "",  # save
    ]
    result = setup_env.run("configure-vat", "--interactive", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "AFAS SB has no such ledger account" in result.output
    assert "8000  Omzet hoog tarief" in result.output  # accounts offered by number and name
    assert setup_env.config.read_text("utf-8") == reference.read_text("utf-8")
    setup_env.shop.generate(20)
    assert setup_env.run("sync").exit_code == 0


def test_destination_rates_prefill_each_countrys_own_rates(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    result = setup_env.run(*VAT_ARGS, "--destination-rates")
    assert result.exit_code == 0, result.output
    vat = _settings(setup_env).vat
    assert vat.rule_for("DE", Decimal(19)).vat_type == "high"
    assert vat.rule_for("DE", Decimal(7)).vat_type == "low"
    assert vat.rule_for("FR", Decimal("5.5")).account == "8010"
    assert vat.rule_for("FI", Decimal("25.5")).vat_type == "high"
    # the shop charges Dutch rates in DE: flagged and added, so no order is forgotten
    assert vat.rule_for("DE", Decimal(21)).vat_type == "high"
    assert vat.rule_for("DE", Decimal(9)).vat_type == "low"
    assert "Added DE 21 %" in result.output


def test_reset_then_show_shows_nothing_configured(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    assert setup_env.run(*VAT_ARGS).exit_code == 0
    shown = setup_env.run("configure-vat", "--show")
    assert "8000 Omzet hoog tarief" not in shown.output  # offline: numbers only
    assert "DE" in shown.output and "cod: unknown" in shown.output
    refused = setup_env.run("configure-vat", "--reset", "--interactive", input="n\n")
    assert "Nothing removed" in refused.output
    assert setup_env.run("configure-vat", "--reset", "--yes").exit_code == 0
    shown = setup_env.run("configure-vat", "--show")
    assert shown.exit_code == 0
    assert "VAT: nothing configured" in shown.output
    text = setup_env.config.read_text("utf-8")
    assert "vat:" not in text and "debtors:" not in text and "opencart:" in text


def test_refuses_accounts_and_relations_afas_does_not_have(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    before = setup_env.config.read_bytes()
    cases = [
        (["--high-account", "9999"], "AFAS SB has no such ledger account"),
        (["--set", "vat.rates.DE.21.account=7000"], "not a revenue account"),
        (["--set", "vat.shipping_account=4444"], "AFAS SB has no ledger account 4444"),
        (["--fixed-debtor", "cod=nobody@example.com"], "AFAS SB has no such relation"),
        (
            ["--set", "debtors.fixed.paypal.relation_id=7d1f3a52-0000-4000-8000-000000000000"],
            "AFAS SB has no relation",
        ),
        (["--set", "vat.rates.DE.21.vat_type=zero"], "cannot be booked as zero"),
    ]
    for extra, message in cases:
        result = setup_env.run(*VAT_ARGS, *extra)
        assert result.exit_code == ExitCode.CONFIG, (extra, result.output)
        assert message in result.output, (extra, result.output)
        assert setup_env.config.read_bytes() == before


def test_fixed_debtor_found_by_email_from_file_and_set(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    extra = setup_env.tmp / "vat.yaml"
    extra.write_text(
        "vat:\n  rates:\n    DE:\n      '19': {vat_type: high, account: 8300}\n"
        "  icp: {account: 8100, intra_community_type: services}\n",
        encoding="utf-8",
    )
    result = setup_env.run(
        *VAT_ARGS,
        "--from-file",
        str(extra),
        "--fixed-debtor",
        "bank_transfer=cas.degraaf@example.com",
        "--set",
        "vat.rates.FR.5.5.account=8010",
        "--set",
        "vat.rates.FR.5.5.vat_type=low",
        "--set",
        "vat.shipping_account=8400",
    )
    assert result.exit_code == 0, result.output
    settings = _settings(setup_env)
    debtor = settings.fixed_debtors["bank_transfer"]
    assert (debtor.relation_id, debtor.relation_type) == (PERSON_CAS_ID, "person")
    assert settings.vat.rule_for("DE", Decimal(19)).account == "8300"
    assert settings.vat.rule_for("FR", Decimal("5.5")).vat_type == "low"
    assert settings.vat.icp is not None and settings.vat.icp.intra_community_type == "services"
    assert settings.vat.shipping_account == "8400"
    # running it again with the same answers changes nothing
    before = setup_env.config.read_bytes()
    again = setup_env.run("configure-vat", "--no-interactive")
    assert again.exit_code == 0, again.output
    after = setup_env.config.read_bytes()
    assert after == before, _debug_diff(before, after)


def _debug_diff(a: bytes, b: bytes) -> str:
    import difflib

    return "".join(difflib.unified_diff(a.decode().splitlines(True), b.decode().splitlines(True)))
