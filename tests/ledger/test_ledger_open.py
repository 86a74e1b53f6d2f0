"""Opening a ledger: file modes, refusing newer, corrupt or foreign files, migrations, backup."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ledger_file_support import folded_ledger

from ocafas.errors import ExitCode, LedgerError
from ocafas.ledger import MIGRATIONS, SCHEMA_VERSION, Ledger, Migration, OrderState, migrate


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_ledger_is_private_wal_with_foreign_keys(ledger, ledger_path, see):
    see(1)
    assert _mode(ledger_path) == 0o600
    assert _mode(ledger_path.parent) == 0o700
    for suffix in ("-wal", "-shm"):
        companion = ledger_path.with_name(ledger_path.name + suffix)
        assert companion.exists() and _mode(companion) == 0o600
    conn = ledger._db()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert (
        conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == ledger.schema_version
    )


def test_existing_ledger_with_loose_mode_is_tightened(ledger_path):
    Ledger.open(ledger_path).close()
    ledger_path.chmod(0o644)
    Ledger.open(ledger_path).close()
    assert _mode(ledger_path) == 0o600


def test_reopen_keeps_data(ledger_path, see):
    with Ledger.open(ledger_path) as first:
        see(1, target=first)
    with Ledger.open(ledger_path) as second:
        assert second.get(1).state is OrderState.SEEN


def test_ledger_from_a_newer_ocafas_is_refused(ledger_path):
    Ledger.open(ledger_path).close()
    raw = sqlite3.connect(ledger_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    before = ledger_path.read_bytes()
    with pytest.raises(LedgerError) as caught:
        Ledger.open(ledger_path)
    assert caught.value.message == (
        f"ledger was written by a newer ocafas (schema {SCHEMA_VERSION + 1}); upgrade ocafas"
    )
    assert caught.value.exit_code is ExitCode.LEDGER
    assert ledger_path.read_bytes() == before


def test_non_sqlite_file_is_refused_untouched(ledger_path):
    ledger_path.parent.mkdir(parents=True)
    ledger_path.write_text("orders:\n  - 1\n")
    with pytest.raises(LedgerError, match="not an ocafas ledger"):
        Ledger.open(ledger_path)
    assert ledger_path.read_text() == "orders:\n  - 1\n"
    assert not ledger_path.with_name(ledger_path.name + "-wal").exists()


def test_corrupt_ledger_is_refused_untouched(tmp_path, see):
    ledger_path = tmp_path / "damaged.sqlite"
    # The WAL folded into the file and dropped, so the damage below is all there is.
    data = folded_ledger(ledger_path, see, 299)
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 6 * page_size
    for page in range(2, len(data) // page_size):
        start = page * page_size
        data[start : start + 16] = b"\xff" * 16  # wreck each b-tree page header
    ledger_path.write_bytes(bytes(data))
    before = ledger_path.read_bytes()
    with pytest.raises(LedgerError, match="corrupt") as caught:
        Ledger.open(ledger_path)
    assert "nothing was written" in caught.value.message
    assert ledger_path.read_bytes() == before


def test_empty_file_becomes_a_ledger(ledger_path):
    ledger_path.parent.mkdir(parents=True)
    ledger_path.touch(mode=0o600)
    with Ledger.open(ledger_path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION


def _v1_fixture(path: Path) -> None:
    """A ledger as ocafas schema 1 wrote it: no debtor cache, no ICP evidence yet."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == [1]
    conn.execute(
        "INSERT INTO orders (shop, order_id, state, date_added, date_modified, order_json,"
        " first_seen_at, updated_at, error_code, error_message, attempts)"
        " VALUES ('default', 41, 'error', '2025-03-01T09:00:00+01:00',"
        " '2025-03-01T09:00:00+01:00', '{\"order_id\": 41}', 't', 't', 'vat_unmapped', 'm', 2)"
    )
    conn.execute("INSERT INTO cursors VALUES ('default', 'cursor-v1', 't')")
    conn.close()


def test_migration_from_schema_1_keeps_the_data(ledger_path):
    ledger_path.parent.mkdir(parents=True)
    _v1_fixture(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        order = ledger.get(41)
        assert order.state is OrderState.ERROR and order.attempts == 2
        assert ledger.get_cursor() == "cursor-v1"
        ledger.put_debtor("email", "a@b.nl", "rel-1", "person")
        assert ledger.get_debtor("email", "A@B.NL").relation_id == "rel-1"


def test_stepwise_migration_equals_fresh_schema(tmp_path):
    fresh = sqlite3.connect(tmp_path / "fresh.sqlite", isolation_level=None)
    migrate(fresh)
    stepped = sqlite3.connect(tmp_path / "stepped.sqlite", isolation_level=None)
    for version in range(1, SCHEMA_VERSION + 1):
        assert migrate(stepped, target=version) == [version]
    assert migrate(stepped) == []
    query = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert fresh.execute(query).fetchall() == stepped.execute(query).fetchall()


def test_failed_migration_leaves_the_previous_version(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    broken = (
        *MIGRATIONS,
        Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE half (x)", "NOT SQL AT ALL")),
    )
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half" not in names and "orders" in names


def test_migrations_must_be_numbered_without_gaps(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    with pytest.raises(ValueError, match="without gaps"):
        migrate(conn, (MIGRATIONS[0], MIGRATIONS[2]))


def test_backup_is_a_consistent_private_copy(ledger, tmp_path, see):
    see(1)
    dest = ledger.backup(tmp_path / "backups" / "ledger-copy.sqlite")
    see(2)
    assert _mode(dest) == 0o600
    assert not list(dest.parent.glob(".*partial"))
    with Ledger.open(dest) as copy:
        assert copy.get(1) is not None and copy.get(2) is None
    with pytest.raises(LedgerError, match="onto itself"):
        ledger.backup(ledger.path)


def test_closed_ledger_says_so(ledger_path):
    ledger = Ledger.open(ledger_path)
    ledger.close()
    assert ledger.closed
    with pytest.raises(LedgerError, match="closed"):
        ledger.get(1)


def test_unwritable_directory_gives_ledger_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    with pytest.raises(LedgerError, match="cannot create"):
        Ledger.open(locked / "ledger.sqlite")


def test_ledger_path_under_a_file_or_a_directory_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LedgerError, match="cannot create the ledger directory"):
        Ledger.open(blocker / "ledger.sqlite")
    with pytest.raises(LedgerError, match="is a directory"):
        Ledger.open(tmp_path)


def test_ledger_imports_no_click_rich_or_requests():
    code = (
        "import sys, ocafas.ledger; "
        "bad = [m for m in ('click', 'rich', 'requests') if m in sys.modules]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
