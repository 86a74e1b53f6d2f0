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

    def config_text(self) -> str:
        raise NotImplementedError("a world that writes its config says what it is")

    def write_config(self) -> Path:
        """Write ``config_text()`` to ``config_path``, mode 0600 as ``ocafas`` wants it."""
        self.config_path.write_text(self.config_text(), encoding="utf-8")
        self.config_path.chmod(0o600)
        return self.config_path


__all__ = ["SandboxFiles", "rates_yaml", "sandbox_config"]
