"""Seeded chaos: repeated syncs with SIGKILLs, in-process crashes, AFAS SB and OpenCart faults.

``OCAFAS_CHAOS_SCENARIOS`` (default 200) scenarios, scenario i with seed
``OCAFAS_CHAOS_SEED`` (default 20250401) + i; a failure names its seed and how to replay it.
"""

from __future__ import annotations

import os
from pathlib import Path

import chaos_stats
import pytest
from chaos_scenario import Scenario

BASE_SEED = int(os.environ.get("OCAFAS_CHAOS_SEED", "20250401"))
SCENARIOS = int(os.environ.get("OCAFAS_CHAOS_SCENARIOS", "200"))
#: The share of scenarios whose runs are real ``ocafas sync`` processes killed with SIGKILL.
SUBPROCESS_SHARE = float(os.environ.get("OCAFAS_CHAOS_SUBPROCESS_SHARE", "0.05"))


@pytest.mark.chaos
@pytest.mark.parametrize("index", range(SCENARIOS))
def test_chaos_scenario(index: int, tmp_path: Path) -> None:
    seed = BASE_SEED + index
    tally = Scenario(seed, tmp_path, subprocess_share=SUBPROCESS_SHARE).run()
    chaos_stats.record(tally)
    assert tally.double_bookings == 0 and tally.lost == 0
