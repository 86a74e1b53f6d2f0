"""Shared helpers of the OpenCart extension tests: paths and the skip-or-fail rule."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
EXT_DIR = REPO / "opencart-extension"
HARNESS_DIR = Path(__file__).resolve().parent / "harness"
SCHEMA_PATH = REPO / "ocafas" / "schemas" / "opencart-contract.json"


def required() -> bool:
    """CI sets OCAFAS_REQUIRE_EXTENSION_TESTS=1: then a missing tool fails instead of skipping."""
    return os.environ.get("OCAFAS_REQUIRE_EXTENSION_TESTS") == "1"


def need(tool: str, why: str) -> str:
    """The path of tool, or skip (fail under OCAFAS_REQUIRE_EXTENSION_TESTS=1) without it."""
    path = shutil.which(tool)
    if path is None:
        message = (
            f"{tool} is not installed ({why}); apt-get install php-cli php-mysql mariadb-server"
        )
        if required():
            pytest.fail(message + " and OCAFAS_REQUIRE_EXTENSION_TESTS=1 is set")
        pytest.skip(message)
    return path


def need_php() -> str:
    return need("php", "the extension's PHP tests")


def load_build() -> ModuleType:
    """opencart-extension/build.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("ocafas_extension_build", EXT_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
