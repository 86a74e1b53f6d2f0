"""Fixtures of the ledger-safety and security tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_world import Setup

from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.opencart import OpenCartSandbox


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    with OpenCartSandbox(seed=11) as shop, AfasSandbox() as afas:
        yield Setup(shop, afas, tmp_path)
