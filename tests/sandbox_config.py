"""The sandbox-backed test suites' config (pipeline, chaos, reports, api8).

The builder lives in the package (:mod:`ocafas.sandbox.config_template`), shared with the demo
and the benchmark; this name stays so the suites' support modules import it as before.
:class:`SandboxFiles` is where their worlds keep the ledger and the config.
"""

from __future__ import annotations

from pathlib import Path

from ocafas.sandbox.config_template import rates_yaml, sandbox_config


class SandboxFiles:
    """Where a sandbox-backed test keeps its files: the ledger and the config in ``tmp``."""

    tmp: Path

    @property
    def ledger_path(self) -> Path:
        return self.tmp / "ledger.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.tmp / "ocafas.yaml"


__all__ = ["SandboxFiles", "rates_yaml", "sandbox_config"]
