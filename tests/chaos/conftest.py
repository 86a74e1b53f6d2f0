"""Registers the ``chaos`` marker and prints the chaos counts at the end of the session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "chaos: seeded crash and fault scenarios (OCAFAS_CHAOS_SEED, _SCENARIOS)"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = sys.modules.get("chaos_stats")
    if stats is None or not stats.TOTAL.scenarios:
        return
    terminalreporter.section("chaos")
    for line in stats.summary_lines():
        terminalreporter.write_line(line)
