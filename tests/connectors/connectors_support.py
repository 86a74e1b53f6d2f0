"""Helpers of the connector tests: the pipeline tests' sandboxes and config, with extra keys.

The pipeline tests' ``pipeline_support`` is reused (same sandboxes, same config), imported from
its directory; ``ConnSetup`` adds the ``booking:`` and ``shop:`` keys these tests need.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from pipeline_support import COUNTRIES, ENVIRON, Setup

from ocafas.cli import cli
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.opencart import OpenCartSandbox

__all__ = ["COUNTRIES", "ENVIRON", "ConnSetup", "conn", "invoke", "posted_writes", "sha256"]


@dataclass
class ConnSetup(Setup):
    """A :class:`Setup` whose config can carry more booking keys and a ``shop:`` section."""

    booking: dict[str, str] = field(default_factory=dict)
    shop_yaml: str = ""
    name: str = "ocafas"

    @property
    def config_path(self) -> Path:
        return self.tmp / f"{self.name}.yaml"

    @property
    def ledger_path(self) -> Path:
        return self.tmp / f"{self.name}-ledger.sqlite3"

    def config_text(self) -> str:
        text = super().config_text()
        extra = "".join(f"  {key}: {value}\n" for key, value in self.booking.items())
        if extra:
            if "  invoice_number:" in extra:
                text = text.replace('  invoice_number: "ORD{order_id}"\n', "")
            text = text.replace("booking:\n", "booking:\n" + extra)
        return text + self.shop_yaml


def invoke(setup: ConnSetup, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """``ocafas --config <setup> ARGS`` in-process; (exit code, stdout, stderr)."""
    setup.write_config()
    result = CliRunner().invoke(
        cli, ["--config", str(setup.config_path), *args], env=setup.env(), input=stdin
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def posted_writes(afas: AfasSandbox) -> int:
    """Requests that could change AFAS SB (POST/PUT/DELETE, except the token request)."""
    return sum(
        n
        for key, n in afas.counts().items()
        if key.split(" ", 1)[0] in ("POST", "PUT", "DELETE") and "getaccesstoken" not in key
    )


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[ConnSetup]:
    with OpenCartSandbox(seed=11, broken=0.0) as shop, AfasSandbox() as afas:
        setup = ConnSetup(shop, afas, tmp_path)
        setup.countries = (*COUNTRIES, "AT")
        setup.zero_everywhere = True  # every processable order is bookable
        yield setup
