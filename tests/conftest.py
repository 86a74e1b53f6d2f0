"""Every test runs with its own home for config and data.

Without this, a command that falls back to the platform dirs (a config without ledger.path, say)
would read or write the developer's real ~/.local/share/ocafas ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_platform_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(Path(home) / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(Path(home) / "data"))
    monkeypatch.delenv("OCAFAS_CONFIG", raising=False)
