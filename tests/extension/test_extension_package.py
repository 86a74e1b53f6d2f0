"""The packages: every PHP file parses, the zips have the layout each OpenCart line installs."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from ext_support import EXT_DIR, HARNESS_DIR, load_build, need_php

PHP_FILES = sorted([*EXT_DIR.rglob("*.php"), *HARNESS_DIR.rglob("*.php")])


def test_extension_php_files_exist() -> None:
    assert len(PHP_FILES) >= 15


@pytest.mark.parametrize("path", PHP_FILES, ids=lambda p: str(p.relative_to(EXT_DIR.parent)))
def test_extension_php_lint(path: Path) -> None:
    php = need_php()
    result = subprocess.run(
        [php, "-l", str(path)], check=False, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_extension_oc3_zip_layout(packages: tuple[Path, Path]) -> None:
    oc3, _ = packages
    assert oc3.name == "ocafas-oc3.ocmod.zip"
    names = zipfile.ZipFile(oc3).namelist()
    assert names == sorted(names)
    # OpenCart 3.0's installer copies only upload/ and only into these folders.
    allowed = (
        "upload/admin/controller/extension/",
        "upload/admin/language/",
        "upload/admin/view/template/extension/",
        "upload/catalog/controller/extension/",
        "upload/catalog/model/extension/",
        "upload/system/library/",
    )
    assert all(n.startswith(allowed) for n in names), names
    for required in (
        "upload/admin/controller/extension/module/ocafas.php",
        "upload/admin/language/en-gb/extension/module/ocafas.php",
        "upload/admin/view/template/extension/module/ocafas.twig",
        "upload/catalog/controller/extension/ocafas/api.php",
        "upload/system/library/ocafas/api.php",
    ):
        assert required in names


def test_extension_oc4_zip_layout(packages: tuple[Path, Path]) -> None:
    _, oc4 = packages
    # 4.x takes the extension code from the file name: ocafas.ocmod.zip -> extension/ocafas/.
    assert oc4.name == "ocafas.ocmod.zip"
    archive = zipfile.ZipFile(oc4)
    names = archive.namelist()
    info = json.loads(archive.read("install.json"))
    assert info["name"] and info["version"] == "1.0.0" and info["code"] == "ocafas"
    for required in (
        "admin/controller/module/ocafas.php",
        "admin/language/en-gb/module/ocafas.php",
        "admin/view/template/module/ocafas.twig",
        "catalog/controller/api.php",
        "system/library/ocafas/api.php",
    ):
        assert required in names
    assert not any(n.startswith(("upload/", "ocmod/", "/")) or ".." in n for n in names)
    controller = archive.read("admin/controller/module/ocafas.php").decode()
    assert "namespace Opencart\\Admin\\Controller\\Extension\\Ocafas\\Module;" in controller
    api = archive.read("catalog/controller/api.php").decode()
    assert "namespace Opencart\\Catalog\\Controller\\Extension\\Ocafas;" in api


def test_extension_shared_core_is_identical_in_both(packages: tuple[Path, Path]) -> None:
    oc3, oc4 = (zipfile.ZipFile(p) for p in packages)
    core3 = {
        n.removeprefix("upload/"): oc3.read(n) for n in oc3.namelist() if "/library/ocafas/" in n
    }
    core4 = {n: oc4.read(n) for n in oc4.namelist() if n.startswith("system/library/ocafas/")}
    assert core3 == core4 and len(core3) >= 5


def test_extension_build_is_deterministic(packages: tuple[Path, Path], tmp_path: Path) -> None:
    again = load_build().build(tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in packages]


def test_extension_catalog_code_is_read_only() -> None:
    catalog = [
        *(EXT_DIR / "src" / "shared").rglob("*.php"),
        *(EXT_DIR / "src").rglob("catalog/**/*.php"),
    ]
    assert catalog
    for path in catalog:
        text = path.read_text(encoding="utf-8").upper()
        for word in (
            "INSERT ",
            "UPDATE ",
            "DELETE ",
            "REPLACE INTO",
            "DROP ",
            "ALTER ",
            "TRUNCATE ",
        ):
            assert word not in text, f"{path}: {word.strip()}"


def test_extension_never_logs_or_echoes_the_key() -> None:
    for path in (EXT_DIR / "src").rglob("*.php"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "log" in line.lower() and ("apiKey()" in line or "$given" in line):
                pytest.fail(f"{path}: the key may reach a log: {line.strip()}")
