"""AFAS SB refuses the app token (401) or the app lacks rights (403): the run stops with exit code
5 and one line, books nothing, and every order is still booked once the cause is fixed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pipeline_support import COUNTRIES, Setup

from ocafas.cli import cli
from ocafas.errors import ExitCode
from ocafas.ledger import Ledger, OrderState
from ocafas.money import to_cents
from ocafas.sandbox.afas import WRITE_ENDPOINTS, AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.sandbox.afas_views import LIST_ENDPOINTS
from ocafas.sandbox.opencart import OpenCartSandbox

PROCESSABLE = {2, 3, 5}
WITHOUT_ENTRIES = (set(LIST_ENDPOINTS) | WRITE_ENDPOINTS) - {"salesjournalentry"}
OTHER_TOKEN = "<token><version>1</version><data>" + "B" * 64 + "</data></token>"


@pytest.fixture(params=[("401", 1), ("403", 1), ("401", 4), ("403", 4)], ids=str)
def refusing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Setup]]:
    """Both sandboxes; AFAS knows another app token (401) or gives ours no entry rights (403)."""
    status, concurrency = request.param
    rights: dict[str, set[str] | str]
    if status == "401":
        rights = {OTHER_TOKEN: "all"}
    else:
        rights = {DEFAULT_APP_TOKEN: set(WITHOUT_ENTRIES)}
    with OpenCartSandbox(seed=7) as shop, AfasSandbox(app_tokens=rights) as afas:
        setup = Setup(shop, afas, tmp_path, countries=(*COUNTRIES, "AT"), zero_everywhere=True)
        setup.concurrency = concurrency
        yield status, setup


def _sync(setup: Setup) -> tuple[int, str]:
    setup.write_config()
    result = CliRunner().invoke(cli, ["--config", str(setup.config_path), "sync"], env=setup.env())
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_refused_app_stops_the_run_and_books_nothing(refusing: tuple[str, Setup]) -> None:
    status, setup = refusing
    generated = setup.shop.generate(20)
    bookable = {o["order_id"]: o for o in generated if o["order_status_id"] in PROCESSABLE}
    assert len(bookable) >= 8

    code, output = _sync(setup)

    assert code == ExitCode.AFAS
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    if status == "401":
        assert "refused the app token (HTTP 401)" in lines[0] and "afas.app_token" in lines[0]
    else:
        assert "no rights on POST salesjournalentry (HTTP 403)" in lines[0]
        assert "App Center" in lines[0]
    assert setup.afas.entries(ADMIN_SHOP_ID, include_deleted=True) == []
    posts = setup.afas.counts().get("POST salesjournalentry", 0)
    if status == "401":
        assert posts == 0
    elif setup.concurrency == 1:
        assert posts == 1, "the run stops at the first refusal"
    else:  # only the POSTs already in flight are made, not one per order
        assert 1 <= posts <= 2 * setup.concurrency < len(bookable)
    with Ledger.open(setup.ledger_path) as ledger:
        assert ledger.counts()[OrderState.PROCESSED] == 0
        assert not ledger.errors(), "a refused app is not the orders' fault"

    # The user fixes the app token or the app's rights; the next run books every order once.
    setup.afas.app_tokens[DEFAULT_APP_TOKEN] = "all"
    code, output = _sync(setup)

    assert (code, output) == (ExitCode.OK, "")
    entries = setup.afas.entries(ADMIN_SHOP_ID)
    assert Counter(e.invoice_number for e in entries) == Counter(f"ORD{i}" for i in bookable)
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.pending_postings()
        for entry in entries:
            order = bookable[int(entry.invoice_number.removeprefix("ORD"))]
            total = to_cents(Decimal(order["total"]))
            assert entry.amount_excluding_vat + entry.amount_vat == total
            booked = ledger.entry(order["order_id"])
            assert booked is not None and booked.afas_entry_id == entry.id
