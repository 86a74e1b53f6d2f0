"""The VAT mapping is confirmed in AFAS SB once per run, before any POST, at a bounded cost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api8_support import Api8Setup, make_setup

from ocafas.errors import ExitCode
from ocafas.pipeline import recheck, run_pass
from ocafas.sandbox.afas_seed import SeedData, default_seed


def _writes(api8: Api8Setup) -> int:
    counts = api8.afas.counts()
    return sum(
        n
        for key, n in counts.items()
        if key.startswith(("POST", "DELETE")) and key != "POST getaccesstoken"
    )


@pytest.fixture
def no_low_rate(tmp_path: Path) -> Iterator[Api8Setup]:
    seed: SeedData = default_seed()
    del seed.vat_rates["Laag"]
    yield from make_setup(tmp_path, seed)


@pytest.fixture
def no_vat_on_8010(tmp_path: Path) -> Iterator[Api8Setup]:
    seed = default_seed()
    for account in seed.ledger_accounts:
        if account.number == "8010":
            account.vat_allowed = False
    yield from make_setup(tmp_path, seed)


def test_a_vat_rate_afas_lacks_stops_sync_naming_the_mapping(no_low_rate: Api8Setup) -> None:
    no_low_rate.bookable_orders(20)
    code, output = no_low_rate.invoke("sync")
    assert code == ExitCode.CONFIG
    assert "vat.rates.AT.9: VAT rate low needs AFAS SB's VAT rate 'Laag'" in output
    assert "vat.rates.NL.9:" in output
    assert _writes(no_low_rate) == 0


def test_a_cost_account_for_revenue_stops_sync(api8: Api8Setup) -> None:
    api8.rate_overrides = {"DE.21": "{vat_type: high, account: 7000}"}
    api8.bookable_orders(20)
    code, output = api8.invoke("sync")
    assert code == ExitCode.CONFIG
    assert output.startswith(
        "error: vat.rates.DE.21: account 7000 is not a revenue account in AFAS SB"
    ), output
    assert _writes(api8) == 0


def test_an_account_that_does_not_exist_stops_sync(api8: Api8Setup) -> None:
    api8.rate_overrides = {"FR.9": "{vat_type: low, account: 8999}"}
    api8.bookable_orders(10)
    code, output = api8.invoke("sync")
    assert code == ExitCode.CONFIG
    assert "vat.rates.FR.9: account 8999 does not exist in AFAS SB" in output
    assert _writes(api8) == 0


def test_vat_on_an_account_without_vat_allowed_stops_sync(no_vat_on_8010: Api8Setup) -> None:
    no_vat_on_8010.bookable_orders(10)
    code, output = no_vat_on_8010.invoke("sync")
    assert code == ExitCode.CONFIG
    assert "vat.rates.NL.9: account 8010 does not allow VAT in AFAS SB" in output
    assert "vat.rates.NL.0" not in output  # 0 % books no VAT there
    assert _writes(no_vat_on_8010) == 0


def test_checks_cost_a_bounded_number_of_gets_per_run(api8: Api8Setup) -> None:
    api8.afas_extra = "  department: Webwinkel\n  project: Webwinkel 2025"
    api8.bookable_orders(120)
    result = api8.run(run_pass)
    assert result.afas_requests > 0
    counts = api8.afas.counts()
    booked = counts["POST salesjournalentry"]
    assert booked >= 60
    # once per run, not per order
    for key in (
        "GET ledgeraccounts",
        "GET vattype",
        "GET vatrate",
        "GET departments",
        "GET projects",
    ):
        assert counts[key] == 1, (key, counts)

    api8.afas.reset()
    idle = api8.run(run_pass)
    assert idle.afas_requests == 0 and api8.afas.counts() == {}  # an idle run asks AFAS nothing

    api8.bookable_orders(30)
    api8.run(recheck)  # nothing open: the checks are not run either
    api8.run(run_pass)
    counts = api8.afas.counts()
    assert counts["GET vattype"] == counts["GET vatrate"] == counts["GET ledgeraccounts"] == 1
