"""Reports over several shops: which configs, their ledgers, each opened read-only.

Each shop has its own config and ledger. A report over several reads every config only for what
it needs (the shop's name and its ledger's path), never its secrets: a sibling's API key and app
token may live in another cron job's environment. Each ledger is opened read-only, and an error
names the shop it belongs to.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocafas.errors import ConfigError, LedgerError
from ocafas.ledger import Ledger
from ocafas.yamlio import YamlProblem, load_yaml_text

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ReportShop:
    """One shop of a report: its name (the ``shop`` column), config and ledger."""

    name: str
    config: Path
    ledger: Path
    others: tuple[Path, ...] = ()

    def label(self) -> str:
        return f"shop {self.name!r} ({self.config})"


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _expand(value: str, key: str, config: Path, environ: dict[str, str]) -> str:
    missing = [name for name in _ENV_REF.findall(value) if name not in environ]
    if missing:
        raise ConfigError(f"{config}: {key}: environment variable {missing[0]} is not set")
    return _ENV_REF.sub(lambda m: environ[m.group(1)], value)


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0] if "." in path.name else path.name


def read_report_shop(config: Path, environ: dict[str, str]) -> ReportShop:
    """The name, ledger and ``shop.others`` of a config, read without its secrets."""
    config = Path(config).expanduser().absolute()
    try:
        raw = load_yaml_text(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {config} not found", hint="check the path given to --shop"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise ConfigError(f"cannot read config file {config}: {reason}") from None
    except YamlProblem:
        raise ConfigError(
            f"config file {config} is not valid YAML", hint=f"ocafas --config {config} check-config"
        ) from None
    data = raw if isinstance(raw, dict) else {}
    shop, booking, ledger = (_section(data, key) for key in ("shop", "booking", "ledger"))
    base = config.parent
    path_text = ledger.get("path")
    if path_text is None:
        from ocafas.config import default_ledger_path

        path = default_ledger_path()
    else:
        path = Path(_expand(str(path_text), "ledger.path", config, environ)).expanduser()
        path = path if path.is_absolute() else base / path
    name = str(shop.get("name") or "").strip()
    if not name:
        name = str(booking.get("shop_prefix") or "").strip().rstrip("-_./") or _stem(config)
    others_raw = shop.get("others") or []
    others_raw = [others_raw] if isinstance(others_raw, str) else others_raw
    others = []
    for item in others_raw if isinstance(others_raw, list) else []:
        if isinstance(item, str) and item.strip():
            other = Path(item.strip()).expanduser()
            others.append(other if other.is_absolute() else base / other)
    return ReportShop(_expand(name, "shop.name", config, environ), config, path, tuple(others))


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def resolve_shops(
    config: Path, extra: Sequence[Path], all_shops: bool, environ: dict[str, str]
) -> list[ReportShop]:
    """The root config, each ``--shop`` and (``--all-shops``) its ``shop.others``, each once.

    Refuses two configs with one ledger file: their orders would be counted twice.
    """
    first = read_report_shop(config, environ)
    paths = [config, *extra, *(first.others if all_shops else ())]
    shops: list[ReportShop] = []
    seen: set[Path] = set()
    for path in paths:
        if _key(path) in seen:
            continue
        seen.add(_key(path))
        shops.append(first if path is config else read_report_shop(path, environ))
    by_ledger: dict[Path, ReportShop] = {}
    for shop in shops:
        other = by_ledger.setdefault(_key(shop.ledger), shop)
        if other is not shop:
            raise ConfigError(
                f"{other.label()} and {shop.label()} use the same ledger file {shop.ledger}:"
                " a report over both would count its orders twice; nothing was reported",
                hint="give each shop its own ledger.path, or name each config once",
            )
    names = [shop.name for shop in shops]
    return [
        ReportShop(f"{s.name} ({_stem(s.config)})", s.config, s.ledger, s.others)
        if names.count(s.name) > 1
        else s
        for s in shops
    ]


@contextmanager
def shop_ledger(shop: ReportShop) -> Iterator[Ledger]:
    """The shop's ledger, read-only; every failure is one :class:`LedgerError` naming the shop."""
    from ocafas.pipeline.preview import open_preview_ledger

    if not shop.ledger.exists():
        raise LedgerError(
            f"{shop.label()}: no ledger at {shop.ledger} yet",
            hint=f"run 'ocafas --config {shop.config} sync' first, or check its ledger.path",
        )
    try:
        ledger = open_preview_ledger(shop.ledger)
    except LedgerError as err:
        raise LedgerError(f"{shop.label()}: {err.message}", hint=err.hint) from None
    except (OSError, sqlite3.Error) as err:
        raise LedgerError(f"{shop.label()}: cannot read the ledger {shop.ledger}: {err}") from None
    try:
        yield ledger
    except sqlite3.DatabaseError as err:
        raise LedgerError(
            f"{shop.label()}: the ledger {shop.ledger} cannot be read ({err})",
            hint="restore it from a backup (ocafas ledger backup)",
        ) from None
    finally:
        ledger.close()
