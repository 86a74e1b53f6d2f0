"""Build the two installable packages of the ocafas OpenCart extension.

OpenCart 3.0.x wants an ``*.ocmod.zip`` with the files under ``upload/`` (its installer copies
only ``upload/`` into the shop); OpenCart 4.x wants ``<code>.ocmod.zip`` with ``install.json`` at
the root and unpacks everything into ``extension/<code>/``. The shared core (``src/shared/ocafas``)
goes into ``system/library/ocafas/`` of both. The admin language files (``src/shared/language``)
are one source too: both lines read the same ``$_['key'] = '...';`` format, each from its own
folder.

The output is deterministic (sorted entries, fixed timestamps and permissions) so a rebuild of
the same sources gives the same bytes.

Usage: python opencart-extension/build.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OC3_ZIP = "ocafas-oc3.ocmod.zip"
OC4_ZIP = "ocafas.ocmod.zip"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def _files(root: Path) -> list[Path]:
    """Every packaged file below root, sorted by its POSIX path."""
    found = [
        p
        for p in root.rglob("*")
        if p.is_file() and p.name not in _SKIP_NAMES and "__pycache__" not in p.parts
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _shared(library: str, language: str) -> dict[str, Path]:
    """The files both lines share: the core into ``library``, each language into ``language``.

    ``language`` names the admin language folder with ``{code}`` for the language code.
    """
    entries = {f"{library}/{p.name}": p for p in _files(SRC / "shared" / "ocafas")}
    languages = SRC / "shared" / "language"
    for p in _files(languages):
        code, name = p.relative_to(languages).parts
        entries[language.format(code=code) + "/" + name] = p
    return entries


def oc3_entries() -> dict[str, Path]:
    """Zip entry name -> source file of the OpenCart 3.0.x package."""
    entries = {
        "upload/" + p.relative_to(SRC / "oc3" / "upload").as_posix(): p
        for p in _files(SRC / "oc3" / "upload")
    }
    entries.update(
        _shared("upload/system/library/ocafas", "upload/admin/language/{code}/extension/module")
    )
    return dict(sorted(entries.items()))


def oc4_entries() -> dict[str, Path]:
    """Zip entry name -> source file of the OpenCart 4.x package."""
    entries = {p.relative_to(SRC / "oc4").as_posix(): p for p in _files(SRC / "oc4")}
    entries.update(_shared("system/library/ocafas", "admin/language/{code}/module"))
    return dict(sorted(entries.items()))


def write_zip(target: Path, entries: dict[str, Path]) -> Path:
    """Write entries to target with fixed metadata, so equal input gives equal bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, source in entries.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            archive.writestr(info, source.read_bytes(), compresslevel=9)
    tmp.replace(target)
    return target


def build(out_dir: Path) -> tuple[Path, Path]:
    """Build both packages into out_dir; returns (3.0.x zip, 4.x zip)."""
    return (
        write_zip(out_dir / OC3_ZIP, oc3_entries()),
        write_zip(out_dir / OC4_ZIP, oc4_entries()),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "dist", help="output folder")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
