"""Opening the ledger file safely, and the one connection every ledger call goes through.

Thread safety: a :class:`Database` holds ONE sqlite3 connection, shared by all threads and
guarded by a re-entrant lock. Every call, and every ``transaction()`` block as a whole, holds that
lock, so worker threads serialise on the ledger (SQLite serialises writers anyway) and never see
``SQLITE_BUSY`` from each other. Each call is short: never hold a transaction open across an HTTP
request, so the other workers are not stalled while one waits for AFAS.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ocafas.errors import LedgerError
from ocafas.ledger.codec import canonical_json, now_utc
from ocafas.ledger.group import GroupCommit
from ocafas.ledger.schema import SCHEMA_VERSION, check_not_newer, migrate, schema_version

log = logging.getLogger("ocafas.ledger")
SQLITE_HEADER = b"SQLite format 3\x00"
FILE_MODE = 0o600
DIR_MODE = 0o700
BUSY_TIMEOUT_MS = 10_000
#: Up to this size every open reads the whole ledger (``PRAGMA quick_check``, about 0.3 s at
#: the limit). A larger ledger (some 100,000 orders and up; 6.7 s at 1,000,000) gets the quick
#: structural check at every open and the full one from the nightly ``recheck`` and
#: ``ocafas ledger check``, so the hourly idle cron run stays cheap.
FULL_CHECK_LIMIT = 64 * 1024 * 1024


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _restrict(path: Path) -> None:
    """Make a ledger file private: it holds customer names and e-mail addresses."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        mode = path.stat().st_mode & 0o777
        if mode != FILE_MODE:
            path.chmod(FILE_MODE)
            if mode & 0o077:
                log.warning(
                    "the ledger file %s was readable by others (mode %o); made it 0600", path, mode
                )


def _check_existing_file(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite gets a chance to write to it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LedgerError(f"cannot read the ledger {path}: {exc.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise LedgerError(
            f"{path} is not an ocafas ledger (not an SQLite database); nothing was written",
            hint="point ledger.path at the right file or move this one away",
        )


def check_integrity(conn: sqlite3.Connection, path: Path, *, full: bool = True) -> None:
    """Refuse a damaged ledger before anything is written to it.

    ``full``: ``PRAGMA quick_check``, which reads every page but writes nothing. Otherwise the
    header's page count must fit the file, the schema must read, and the last row of each
    table (the right edge of every b-tree) must be reachable: cheap, and it catches a
    truncated file, a wrecked schema page and most damage to the pages written last.
    """
    try:
        if full:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        else:
            rows = _structure_problems(conn, path)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(
            f"the ledger {path} is corrupt ({exc}); nothing was written",
            hint="restore it from a backup (ocafas ledger backup)",
        ) from None
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        raise LedgerError(
            f"the ledger {path} is corrupt ({problems[0]}); nothing was written",
            hint="restore it from a backup (ocafas ledger backup)",
        )


def _structure_problems(conn: sqlite3.Connection, path: Path) -> list[tuple[str]]:
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    if pages * page_size > path.stat().st_size:
        return [(f"the file is shorter than its {pages} pages",)]
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for table, sql in tables:
        # names come from sqlite_master, quoted: never user text
        rowid = "WITHOUT ROWID" not in str(sql).upper()
        what = "max(rowid)" if rowid else "1"
        conn.execute(f'SELECT {what} FROM "{table}" LIMIT 1').fetchone()  # noqa: S608
    return []


def _raise_write_failure(exc: BaseException, path: Path) -> None:
    """A full disk (or a size limit) is the user's to fix: one line and exit code 7."""
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        raise LedgerError(
            f"cannot write the ledger {path}: the disk is full; the unfinished change was "
            "rolled back and the ledger is consistent",
            hint="free disk space and run again: the next run finishes what this one began",
        ) from exc


def connect(path: Path, *, full_check: bool | None = None) -> sqlite3.Connection:
    """Open (or create) the ledger file, check it, and bring its schema up to date.

    ``full_check``: read every page first (None: only when the file is at most
    :data:`FULL_CHECK_LIMIT`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create the ledger directory {path.parent}: {exc}") from None
    if path.is_dir():
        raise LedgerError(f"the ledger path {path} is a directory; name a file")
    if path.exists():
        _check_existing_file(path)
    else:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
        except FileExistsError:
            _check_existing_file(path)
        except OSError as exc:
            raise LedgerError(f"cannot create the ledger {path}: {exc.strerror}") from None
    _restrict(path)
    try:
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot open the ledger {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        if full_check is None:
            full_check = path.stat().st_size <= FULL_CHECK_LIMIT
        check_integrity(conn, path, full=full_check)
        check_not_newer(schema_version(conn))
        # WAL lets reports read while a run writes. NORMAL: a commit survives a crash of
        # ocafas at once, and a power cut once a durable commit follows it (see
        # Database.transaction); the 'posting' intent is always a durable commit.
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise LedgerError(f"the ledger {path} cannot use WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except LedgerError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise LedgerError(f"cannot open the ledger {path}: {exc}") from None
    for companion in _companions(path):
        _restrict(companion)
    return conn


class Database:
    """The connection, its lock and the transaction discipline shared by all ledger parts."""

    def __init__(self, conn: sqlite3.Connection, path: Path, shop: str) -> None:
        self.path = path
        self.shop = shop
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._depth = 0
        #: The thread inside the outermost transaction (meaningful while ``_depth`` > 0).
        self._owner: int | None = None
        self._intents = GroupCommit(self.transaction)

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema_version(self._db())

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LedgerError(f"the ledger {self.path} is closed")
        return self._conn

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; roll back on any exception, even KeyboardInterrupt.

        Blocks nest: an inner block is a SAVEPOINT, so an exception caught between the inner and
        the outer block undoes the inner work only. The thread lock is held for the whole block.

        ``durable``: the commit syncs the disk (``synchronous = FULL``) before it returns, and
        with it every commit before it (WAL is one file, written in order). Other commits
        reach the disk with the next durable one or a checkpoint: a crash of ocafas loses
        none, a power cut at most the last few, never one from the middle. So only what must
        be on disk before a request leaves (the intent before a POST) pays for a sync; an
        outcome lost that way is found again by the next run's reconcile.
        """
        with self._lock:
            conn = self._db()
            sync = durable and self._depth == 0
            if sync:
                conn.execute("PRAGMA synchronous = FULL")
            try:
                yield from self._transaction(conn)
            finally:
                if sync:
                    conn.execute("PRAGMA synchronous = NORMAL")

    def _transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        with self._lock:
            undo: tuple[str, ...]
            if self._depth == 0:
                start, finish, undo = "BEGIN IMMEDIATE", "COMMIT", ("ROLLBACK",)
            else:
                name = f"ocafas_{self._depth}"
                start, finish = f"SAVEPOINT {name}", f"RELEASE {name}"
                undo = (f"ROLLBACK TO {name}", f"RELEASE {name}")
            conn.execute(start)
            if self._depth == 0:
                self._owner = threading.get_ident()
            self._depth += 1
            try:
                yield conn
            except BaseException as exc:
                self._depth -= 1
                # SQLite rolls the whole transaction back by itself on some errors (a full
                # disk): undoing again would raise and hide the real cause.
                if conn.in_transaction:
                    for statement in undo:
                        conn.execute(statement)
                _raise_write_failure(exc, self.path)
                raise
            self._depth -= 1
            try:
                conn.execute(finish)
            except BaseException as exc:
                if self._depth == 0 and conn.in_transaction:
                    conn.execute("ROLLBACK")
                _raise_write_failure(exc, self.path)
                raise

    def _read(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._db().execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return list(cursor.fetchall())

    def _log(
        self, conn: sqlite3.Connection, order_id: int | None, event: str, details: Any
    ) -> None:
        """Append to the event log; callers pass their open transaction's connection."""
        conn.execute(
            "INSERT INTO events (shop, order_id, at, event, details) VALUES (?, ?, ?, ?, ?)",
            (self.shop, order_id, now_utc(), event, canonical_json(details)),
        )

    def select(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        """Rows of one read-only query, for the reports' own SQL (``ocafas.reports.queries``)."""
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            raise ValueError("Ledger.select runs SELECT queries only")
        return self._read(sql, params)

    def explain(self, sql: str, params: tuple[Any, ...] = ()) -> list[str]:
        """The lines of ``EXPLAIN QUERY PLAN`` for a query: lets report tests pin their indexes."""
        return [str(row["detail"]) for row in self._read(f"EXPLAIN QUERY PLAN {sql}", params)]

    def backup(self, dest: Path) -> Path:
        """Copy the ledger, consistent even while others write, to ``dest`` (0600, atomic)."""
        dest = Path(dest)
        if dest.resolve() == self.path.resolve():
            raise LedgerError(f"cannot back up the ledger {self.path} onto itself")
        dest.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
        os.close(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE))
        try:
            target = sqlite3.connect(partial)
            try:
                with self._lock:
                    self._db().backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, dest)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return dest

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def closed(self) -> bool:
        return self._conn is None


__all__ = ["SCHEMA_VERSION", "Database", "connect"]
