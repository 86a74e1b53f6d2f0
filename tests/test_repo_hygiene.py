"""Rules that keep the test suite runnable as one pytest session, in any order."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_CONFTEST_IMPORT = re.compile(r"^\s*(from conftest import|import conftest)", re.MULTILINE)

TESTS = Path(__file__).resolve().parent


def test_no_test_imports_from_conftest() -> None:
    # Test dirs have no __init__.py, so "conftest" names whichever conftest.py pytest imported
    # first: a helper imported from it works alone and breaks beside another directory.
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if _CONFTEST_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"import helpers from a uniquely named module instead: {offenders}"


def test_module_basenames_are_unique_across_test_dirs() -> None:
    # Each test dir is put on sys.path, so two helper modules with one name shadow each other.
    names = Counter(path.name for path in TESTS.rglob("*.py") if path.name != "conftest.py")
    clashes = sorted(name for name, count in names.items() if count > 1)
    assert clashes == []
