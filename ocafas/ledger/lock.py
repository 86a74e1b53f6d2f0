"""The run lock: one ocafas run per ledger at a time, across processes.

An exclusive, non-blocking ``flock`` on ``<ledger>.lock``. The kernel drops it when the process
dies, so a crashed run never leaves a stale lock behind; the file itself stays (removing it
would race with a run that just opened it) and only says who holds it. ``flock`` is not
reliable on network file systems: keep the ledger on a local disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from ocafas.errors import LedgerError, LockedError


def lock_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".lock")


class RunLock:
    """``with RunLock(ledger_path): ...`` or ``acquire()``/``release()``; not re-entrant."""

    def __init__(self, ledger_path: Path) -> None:
        self.path = lock_path(Path(ledger_path))
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _holder(self, fd: int) -> tuple[str, str]:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
            return str(data.get("pid", "?")), str(data.get("started_at", "?"))
        return "?", "?"

    def acquire(self) -> RunLock:
        if self._fd is not None:
            raise LedgerError(f"the run lock {self.path} is already held by this process")
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise LedgerError(f"cannot open the run lock {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, started = self._holder(fd)
            os.close(fd)
            raise LockedError(
                f"another ocafas run is busy with this ledger (pid {pid}, started at {started});"
                " this run did nothing"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started_at": started_at}).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
