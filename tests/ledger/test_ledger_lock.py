"""The run lock holds across processes and is released however the holder ends."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ocafas.errors import ExitCode, LockedError
from ocafas.ledger import Ledger, RunLock, lock_path

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ocafas.ledger import RunLock
    with RunLock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.readline()
    print("released", flush=True)
    """
)


def _holder(ledger_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ledger_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_held_by_another_process_is_refused_at_once(ledger_path):
    proc = _holder(ledger_path)
    try:
        with pytest.raises(LockedError) as caught, RunLock(ledger_path):
            pass
        message = str(caught.value)
        assert message.startswith(
            f"another ocafas run is busy with this ledger (pid {proc.pid}, started at "
        )
        assert message.endswith("); this run did nothing")
        assert caught.value.exit_code is ExitCode.LOCKED
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    with RunLock(ledger_path) as lock:
        assert lock.held


def test_lock_of_a_killed_process_is_free(ledger_path):
    proc = _holder(ledger_path)
    proc.kill()
    proc.wait(timeout=10)
    with RunLock(ledger_path):
        pass


def test_lock_is_released_on_an_exception(ledger_path):
    with pytest.raises(RuntimeError), RunLock(ledger_path):
        raise RuntimeError("boom")
    with RunLock(ledger_path):
        pass


def test_ledger_lock_uses_the_lock_file_beside_it(ledger, ledger_path):
    lock = ledger.lock()
    assert lock.path == lock_path(ledger_path) == ledger_path.with_name("ledger.sqlite.lock")
    with lock:
        assert (lock.path.stat().st_mode & 0o777) == 0o600
        with pytest.raises(LockedError):
            RunLock(ledger_path).acquire()
    assert not lock.held
    assert isinstance(ledger, Ledger)
