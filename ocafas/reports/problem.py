"""``report problem``: one file with what support needs for one order, every secret redacted.

Contents: versions, the config (secret keys masked, then every known secret and secret-shaped
value redacted), the order report (as read, checks, AFAS requests and responses, events), recent
run-level events and the tail of a log file. Every text goes through :func:`ocafas.redact.redact`
once more as the last step before it is written, so nothing the earlier steps missed gets out.
"""

from __future__ import annotations

import io
import json
import platform
import sqlite3
import sys
import zipfile
from collections import deque
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocafas import __version__
from ocafas.ledger import Ledger
from ocafas.redact import redact, redact_mapping
from ocafas.reports.order import order_detail

if TYPE_CHECKING:
    from ocafas.config import Settings

JSON_SCHEMA_ID = "ocafas-problem-bundle/1"
FORMATS = ("zip", "json")
DEFAULT_LOG_LINES = 200
RUN_EVENTS = 50
_PACKAGES = ("click", "requests", "rich", "pyyaml", "tenacity", "python-stdnum", "jsonschema")


def versions(ledger: Ledger) -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {
        "ocafas": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "ledger_schema": ledger.schema_version,
        "packages": packages,
    }


def redacted_config(config_path: Path | None) -> str:
    """The config file as YAML with secret keys masked, or a line saying why it is missing."""
    if config_path is None:
        return "# no config file\n"
    try:
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return f"# config {config_path} unreadable: {err}\n"
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        # Not YAML after all: keep the text, redacted line by line.
        return redact(text)
    masked = redact_mapping(data)
    return redact(yaml.safe_dump(masked, sort_keys=False, allow_unicode=True))


def log_tail(path: Path | None, lines: int = DEFAULT_LOG_LINES) -> list[str]:
    if path is None:
        return []
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return [redact(line.rstrip("\n")) for line in deque(handle, maxlen=lines)]
    except OSError as err:
        return [f"(log {path} unreadable: {err.strerror})"]


def bundle(
    ledger: Ledger,
    order_id: int,
    settings: Settings | None,
    *,
    config_path: Path | None = None,
    log_file: Path | None = None,
    log_lines: int = DEFAULT_LOG_LINES,
) -> dict[str, Any]:
    """The bundle as one JSON document (``ocafas/schemas/report-problem.json``)."""
    run_events = ledger.events(None)[-RUN_EVENTS:]
    document = {
        "schema": JSON_SCHEMA_ID,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(ledger),
        "config": redacted_config(config_path),
        "order": order_detail(ledger, order_id, settings),
        "run_events": [
            {"at": e.at, "event": e.event, "details": redact_mapping(e.details)} for e in run_events
        ],
        "log_file": str(log_file) if log_file else None,
        "log": log_tail(log_file, log_lines),
    }
    scrubbed: dict[str, Any] = json.loads(redact(json.dumps(document, default=str)))
    return scrubbed


README = """ocafas problem report for order {order_id} (shop {shop})

problem.json  everything below in one document (schema {schema})
order.json    the order: as read, each check, the AFAS SB requests and responses, events
config.yaml   the config with secrets masked
log.txt       the last lines of the log file given with --log-file
versions.json ocafas, Python, SQLite and library versions

API keys, app tokens and access tokens are masked as ***.
"""


def write_bundle(document: dict[str, Any], form: str) -> bytes:
    """The file's bytes: one JSON document, or a zip with its parts as separate files."""
    if form == "json":
        return (redact(json.dumps(document, indent=2, ensure_ascii=False)) + "\n").encode()
    if form != "zip":
        raise ValueError(f"unknown bundle format {form!r}")
    order = document["order"]
    parts = {
        "README.txt": README.format(
            order_id=order["order_id"], shop=order["shop"], schema=document["schema"]
        ),
        "problem.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        "order.json": json.dumps(order, indent=2, ensure_ascii=False) + "\n",
        "config.yaml": document["config"],
        "log.txt": "\n".join(document["log"]) + ("\n" if document["log"] else ""),
        "versions.json": json.dumps(document["versions"], indent=2) + "\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, redact(text))
    return buffer.getvalue()
