"""The session's chaos tally, shared by the scenarios and the conftest's summary hook."""

from __future__ import annotations

import time

from chaos_scenario import Tally

TOTAL = Tally(scenarios=0)
STARTED = [0.0]


def record(tally: Tally) -> None:
    if not STARTED[0]:
        STARTED[0] = time.monotonic()
    TOTAL.add(tally)


def summary_lines() -> list[str]:
    t = TOTAL
    seconds = time.monotonic() - STARTED[0] if STARTED[0] else 0.0
    faults = ", ".join(f"{k} {v}" for k, v in sorted(t.faults.items()))
    return [
        f"chaos: {t.scenarios} scenarios, {t.runs} runs in {seconds:.1f} s",
        f"chaos: crashes injected {t.sigkills + t.crashes} (SIGKILL {t.sigkills}, "
        f"in-process {t.crashes}); runs aborted by OpenCart/AFAS errors {t.aborted_runs}",
        f"chaos: faults injected {sum(t.faults.values())} ({faults})",
        f"chaos: orders {t.orders}, booked {t.booked}, status changes {t.status_changes}, "
        f"hand-booked duplicates {t.hand_duplicates}",
        f"chaos: double bookings = {t.double_bookings}, lost = {t.lost}",
    ]
