"""The :class:`Ledger`: the one object the pipeline, the CLI and the reports talk to."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from ocafas.ledger.bulk import LedgerBulk
from ocafas.ledger.db import check_integrity, connect
from ocafas.ledger.lock import RunLock

DEFAULT_SHOP = "default"


class Ledger(LedgerBulk):
    """The local SQLite ledger of one shop (several shops may share a file; each has its rows).

    Safe to share between threads (one connection behind a lock, see :mod:`ocafas.ledger.db`);
    open one per process.
    """

    @classmethod
    def open(
        cls, path: Path, shop: str = DEFAULT_SHOP, *, full_check: bool | None = None
    ) -> Ledger:
        """Create or open the ledger: 0600 files, WAL, foreign keys, checks and migrations.

        Raises :class:`~ocafas.errors.LedgerError` for a non-SQLite or corrupt file (nothing is
        written to it) and for a ledger from a newer ocafas. ``full_check``: read every page
        first (None: for a ledger up to ``ocafas.ledger.db.FULL_CHECK_LIMIT``; see
        :meth:`check`).
        """
        shop = shop.strip()
        if not shop:
            raise ValueError("the shop key of a ledger must not be empty")
        path = Path(path).expanduser()
        return cls(connect(path, full_check=full_check), path, shop)

    def check(self) -> None:
        """Read every page of the ledger (``PRAGMA quick_check``); LedgerError when damaged."""
        with self._lock:
            check_integrity(self._db(), self.path, full=True)

    def lock(self) -> RunLock:
        """The run lock of this ledger file; use as ``with ledger.lock(): ...``."""
        return RunLock(self.path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({str(self.path)!r}, shop={self.shop!r})"
