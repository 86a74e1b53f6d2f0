"""``report problem`` writes one file with everything support needs and no secret at all.

Known secrets are planted where they would really turn up: literally in the config (api_key,
app_token), an access token in an AFAS answer stored in the ledger, and a bearer header and a
token answer in the log file. None of them may appear in any byte of the bundle.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

from report_cli import run, validator
from reports_support import Synced, config_text

from ocafas.ledger import BookedEntry, BookedLine, EntryKind, Ledger

PLANTED_ORDER = 900_001


def _plant(synced: Synced, tmp: Path) -> tuple[dict[str, str], Path, Path]:
    secrets = {
        "api_key": f"ocKEY{uuid.uuid4().hex}",
        "app_token": f"afasAPP{uuid.uuid4().hex}",
        "access_token": f"eyJhbGciOi.{uuid.uuid4().hex}.sig",
        "bearer": f"bearerTOK{uuid.uuid4().hex}",
        "log_token": f"logTOK{uuid.uuid4().hex}",
    }
    ledger_path = tmp / "ledger.sqlite3"
    with synced.ledger() as ledger:
        ledger.backup(ledger_path)
        model = ledger.get(ledger.processed_entries("2025-01-01", "2026-01-01")[0].order_id)
    assert model is not None
    with Ledger.open(ledger_path) as ledger:
        ledger.record_seen(
            PLANTED_ORDER,
            order={**model.order, "order_id": PLANTED_ORDER},
            date_added="2025-04-02T10:00:00+02:00",
            date_modified="2025-04-02T10:00:00+02:00",
            status_id=5,
            country="NL",
            customer_name="Planted Customer",
        )
        body = {"InvoiceNumber": "PLANT1", "InvoiceDate": "2025-04-02", "InvoiceLine": []}
        ledger.begin_posting(
            PLANTED_ORDER, EntryKind.BOOKING, str(uuid.uuid4()), body, invoice_number="PLANT1"
        )
        line = BookedLine("8000", "high", Decimal(21), Decimal("10.00"), Decimal("2.10"), "NL")
        ledger.mark_processed(
            PLANTED_ORDER,
            BookedEntry(
                "rel-1",
                "person",
                "PLANT1",
                "2025-04-02",
                Decimal("10.00"),
                Decimal("2.10"),
                Decimal("12.10"),
                (line,),
                "afas-1",
            ),
            response={"entry_id": "afas-1", "access_token": secrets["access_token"]},
        )
        ledger.add_event(
            PLANTED_ORDER, "afas_answer", headers={"Authorization": f"Bearer {secrets['bearer']}"}
        )
    config = tmp / "ocafas.yaml"
    config.write_text(
        config_text(ledger_path, api_key=secrets["api_key"], app_token=secrets["app_token"]),
        encoding="utf-8",
    )
    config.chmod(0o600)
    log = tmp / "ocafas.log"
    log.write_text(
        "INFO: sync: 12 booked\n"
        f"DEBUG: POST /api/salesjournalentry Authorization: Bearer {secrets['bearer']}\n"
        f'DEBUG: token answer {{"access_token": "{secrets["log_token"]}", "expires_in": 3600}}\n'
        f"DEBUG: app token {secrets['app_token']} sent to /token\n"
        "WARNING: order 74: RATE_NOT_CONFIGURED\n",
        encoding="utf-8",
    )
    return secrets, config, log


def _assert_clean(data: bytes, secrets: dict[str, str]) -> None:
    for name, value in secrets.items():
        assert value.encode() not in data, f"the planted {name} leaked"
        assert value[8:24].encode() not in data, f"part of the planted {name} leaked"


def test_problem_bundle_has_everything_and_no_secret(synced: Synced, tmp_path: Path) -> None:
    secrets, config, log = _plant(synced, tmp_path)
    env = {**synced.env(), "OCAFAS_CONFIG": str(config)}
    target = tmp_path / "bundle.zip"
    result = run(env, "problem", str(PLANTED_ORDER), "--log-file", str(log), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        names = set(archive.namelist())
        assert {"problem.json", "order.json", "config.yaml", "log.txt", "versions.json"} <= names
        members = {name: archive.read(name) for name in names}
    for data in members.values():
        _assert_clean(data, secrets)
    _assert_clean(target.read_bytes(), secrets)  # the zip itself (stored names, comments)

    document = json.loads(members["problem.json"])
    validator("report-problem.json").validate(document)
    assert document["order"]["order_id"] == PLANTED_ORDER
    assert document["order"]["entries"][0]["response"]["entry_id"] == "afas-1"
    assert document["order"]["entries"][0]["response"]["access_token"] == "***"
    assert "api_key: '***'" in members["config.yaml"].decode()
    assert "administration_id:" in members["config.yaml"].decode()
    log_text = members["log.txt"].decode()
    assert "sync: 12 booked" in log_text and "RATE_NOT_CONFIGURED" in log_text
    assert log_text.count("***") >= 3
    assert document["versions"]["ocafas"] and document["versions"]["ledger_schema"] >= 4

    as_json = tmp_path / "bundle.json"
    result = run(
        env,
        "problem",
        str(PLANTED_ORDER),
        "--format",
        "json",
        "--log-file",
        str(log),
        "-o",
        str(as_json),
    )
    assert result.exit_code == 0, result.output
    _assert_clean(as_json.read_bytes(), secrets)
    validator("report-problem.json").validate(json.loads(as_json.read_bytes()))


def test_order_report_masks_the_stored_token_too(synced: Synced, tmp_path: Path) -> None:
    secrets, config, _log = _plant(synced, tmp_path)
    env = {**synced.env(), "OCAFAS_CONFIG": str(config)}
    for form in ("table", "json", "csv", "html"):
        result = run(env, "order", str(PLANTED_ORDER), "--format", form)
        assert result.exit_code == 0, result.output
        assert "PLANT1" in result.stdout
        _assert_clean(result.stdout_bytes, secrets)
