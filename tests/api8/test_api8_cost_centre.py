"""The default cost centre: DepartmentId on every line, ProjectId on every entry, ids checked."""

from __future__ import annotations

from pathlib import Path

from api8_support import Api8Setup

from ocafas.errors import ExitCode
from ocafas.ledger import Ledger
from ocafas.pipeline import run_pass
from ocafas.sandbox.afas_seed import ADMIN_HOLDING_ID, ADMIN_SHOP_ID, dimension_id


def _posts(api8: Api8Setup) -> int:
    writes = [k for k in api8.afas.counts() if k.startswith(("POST", "DELETE"))]
    return sum(api8.afas.counts()[k] for k in writes if k != "POST getaccesstoken")


def test_department_by_name_and_project_by_id_on_every_line_and_entry(api8: Api8Setup) -> None:
    project = dimension_id("projects", ADMIN_SHOP_ID, "Marktplaatsen")
    api8.afas_extra = f"  department: Webwinkel\n  project: {project}"
    api8.bookable_orders(30)
    code, output = api8.invoke("sync")
    assert code in (ExitCode.OK, ExitCode.ORDERS_FAILED), output
    entries = api8.afas.entries()
    assert len(entries) >= 10
    department = dimension_id("departments", ADMIN_SHOP_ID, "Webwinkel")
    for entry in entries:
        assert entry.status == "booked", entry.errors
        assert entry.body["ProjectId"] == project
        assert [line["DepartmentId"] for line in entry.lines] == [department] * len(entry.lines)
        # item 1: the order id as Reference, so the accountant can search for it
        assert entry.body["Reference"] == entry.invoice_number.removeprefix("ORD")


def test_without_a_cost_centre_no_dimension_is_sent(api8: Api8Setup) -> None:
    api8.bookable_orders(8)
    api8.run(run_pass)
    for entry in api8.afas.entries():
        assert "ProjectId" not in entry.body
        assert all("DepartmentId" not in line for line in entry.lines)


def test_unknown_department_stops_sync_with_one_error_and_no_post(api8: Api8Setup) -> None:
    api8.bookable_orders(25)
    # a department of the OTHER administration: AFAS knows the id, not in this administration
    other = dimension_id("departments", ADMIN_HOLDING_ID, "Webwinkel")
    api8.afas_extra = f"  department: {other}"
    code, output = api8.invoke("sync")
    assert code == ExitCode.CONFIG
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith(f"error: afas.department: AFAS SB has no department '{other}'")
    assert "Webwinkel (" in lines[0]  # the ones it has are listed
    assert _posts(api8) == 0
    with Ledger.open(api8.ledger_path) as ledger:
        assert ledger.errors() == []  # not hundreds of failed orders

    api8.afas_extra = "  department: webwinkel"  # names compare without case
    code, output = api8.invoke("sync")
    assert code in (ExitCode.OK, ExitCode.ORDERS_FAILED), output
    assert api8.afas.entries() and _posts(api8) > 0


def test_unknown_project_name_is_refused_too(api8: Api8Setup, tmp_path: Path) -> None:
    api8.bookable_orders(5)
    api8.afas_extra = "  department: Directie\n  project: Nergens"
    code, output = api8.invoke("sync")
    assert code == ExitCode.CONFIG
    assert "afas.project: AFAS SB has no project 'Nergens'" in output
    assert _posts(api8) == 0
