"""The ledger of a dry run: read-only, so a preview cannot change a byte of the real file.

The dry-run paths of the pipeline already skip every ledger write; opening the file read-only
(``mode=ro``, ``query_only``) makes that a guarantee rather than a promise: a write that slipped
through fails loudly instead of changing the books. A ledger that does not exist yet (a preview
before the first sync) is an empty in-memory one, and no file, directory or lock is created;
an older schema is copied into memory and upgraded there.
"""

from __future__ import annotations

import contextlib
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from ocafas.errors import LedgerError
from ocafas.ledger import Ledger
from ocafas.ledger.db import SQLITE_HEADER
from ocafas.ledger.lock import RunLock
from ocafas.ledger.schema import SCHEMA_VERSION, check_not_newer, migrate, schema_version


class PreviewLedger(Ledger):
    """A :class:`Ledger` over a read-only (or in-memory) connection."""

    exists: bool = True

    def lock(self) -> RunLock:
        # With no ledger file there is nothing another run could be writing, and a preview
        # must not create the lock file (or its directory) either.
        if not self.exists:
            return _NoLock(self.path)
        return super().lock()


class _NoLock(RunLock):
    def acquire(self) -> RunLock:
        return self

    def release(self) -> None:
        return None


def open_preview_ledger(path: Path, shop: str = "default") -> PreviewLedger:
    """Open ``path`` for reading only; raises :class:`LedgerError` like ``Ledger.open``."""
    path = Path(path).expanduser()
    if not path.exists():
        ledger = PreviewLedger(_fresh_memory(), path, shop)
        ledger.exists = False
        return ledger
    if path.is_dir():
        raise LedgerError(f"the ledger path {path} is a directory; name a file")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise LedgerError(f"{path} is not an ocafas ledger (not an SQLite database)")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        version = schema_version(conn)
        check_not_newer(version)
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot read the ledger {path}: {exc}") from None
    if version < SCHEMA_VERSION:
        with contextlib.closing(conn):
            memory = _memory()
            conn.backup(memory)
        migrate(memory)
        return PreviewLedger(memory, path, shop)
    return PreviewLedger(conn, path, shop)


def _memory() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _fresh_memory() -> sqlite3.Connection:
    conn = _memory()
    migrate(conn)
    return conn


@contextlib.contextmanager
def opened(path: Path, shop: str = "default") -> Iterator[PreviewLedger]:
    ledger = open_preview_ledger(path, shop)
    try:
        yield ledger
    finally:
        ledger.close()
