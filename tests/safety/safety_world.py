"""Both sandboxes and a config written for them, for the ledger and security tests."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chaos"))

from chaos_config import ENVIRON, config_text
from sandbox_config import SandboxFiles

from ocafas.cli import cli
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.opencart import OpenCartSandbox

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Cli:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Setup(SandboxFiles):
    shop: OpenCartSandbox
    afas: AfasSandbox
    tmp: Path
    concurrency: int = 1

    def write_config(self, extra: str = "", mode: int = 0o600) -> Path:
        text = config_text(self.shop.url, self.afas.base_url, self.ledger_path, batch_size=50,
                           concurrency=self.concurrency)  # fmt: skip
        self.config_path.write_text(text + extra, encoding="utf-8")
        self.config_path.chmod(mode)
        return self.config_path

    def env(self) -> dict[str, str]:
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, **ENVIRON, "PYTHONPATH": path}

    def cli(self, *args: str, write: bool = True, env: dict[str, str] | None = None) -> Cli:
        if write and not self.config_path.exists():
            self.write_config()
        runner = CliRunner()
        result = runner.invoke(
            cli,
            ["--config", str(self.config_path), *args],
            env=env or {**ENVIRON},
            catch_exceptions=False,
        )
        return Cli(result.exit_code, result.stdout, result.stderr)
