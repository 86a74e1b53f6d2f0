"""A large ledger is read in full only by the nightly recheck and 'ledger check', not hourly."""

from __future__ import annotations

import pytest
from ledger_file_support import folded_ledger

import ocafas.ledger.db as db
from ocafas.errors import LedgerError
from ocafas.ledger import Ledger


def _wreck_middle(path, see):
    data = folded_ledger(path, see, 399)
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    assert pages > 20
    # Wreck one page in the middle: a leaf that neither the schema nor the right edge of a
    # b-tree (what the structural check reads) passes through.
    start = (pages // 2) * page_size
    data[start : start + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))


def test_above_the_limit_only_the_structure_is_checked_at_open(tmp_path, see, monkeypatch):
    path = tmp_path / "big.sqlite"
    _wreck_middle(path, see)
    monkeypatch.setattr(db, "FULL_CHECK_LIMIT", 1)  # every file counts as large
    ledger = Ledger.open(path)  # the structural check passes
    with ledger, pytest.raises(LedgerError, match="corrupt"):
        ledger.check()
    with pytest.raises(LedgerError, match="corrupt"):
        Ledger.open(path, full_check=True)


def test_a_small_ledger_is_read_in_full_at_every_open(tmp_path, see):
    path = tmp_path / "small.sqlite"
    _wreck_middle(path, see)
    with pytest.raises(LedgerError, match="corrupt"):
        Ledger.open(path)


def test_a_truncated_large_ledger_is_refused_at_open(tmp_path, see, monkeypatch):
    path = tmp_path / "cut.sqlite"
    data = folded_ledger(path, see, 199)
    path.write_bytes(data[: len(data) // 2])
    monkeypatch.setattr(db, "FULL_CHECK_LIMIT", 1)
    with pytest.raises(LedgerError, match="corrupt"):
        Ledger.open(path)
