"""``ocafas ledger ...``: looking after the local ledger file (backups)."""

from __future__ import annotations

from pathlib import Path

import click

from ocafas.commands.context import Context


@click.group("ledger")
def ledger_group() -> None:
    """Look after the local ledger, the only state ocafas keeps.

    Example: ocafas --config shop.yaml ledger backup /var/backups/ocafas/ledger-$(date +%F).sqlite
    """


@ledger_group.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST when it exists.")
@click.pass_obj
def backup_command(obj: Context, dest: Path, force: bool) -> None:
    """Copy the ledger to DEST, consistent even while a sync is writing to it.

    Uses SQLite's online backup, so cron may run it at any time. The copy is private (0600)
    and checked (PRAGMA quick_check) before this command reports success. To restore, stop
    cron's ocafas runs, copy the backup over the ledger file (and delete the ledger's -wal and
    -shm files), then run 'ocafas sync': orders booked after the backup are reconciled from
    AFAS SB ("already exists" with the same amount counts as booked).

    Example: ocafas ledger backup /var/backups/ocafas/ledger-$(date +%F).sqlite
    """
    import sqlite3

    from ocafas.errors import LedgerError
    from ocafas.ledger import Ledger

    settings = obj.settings()
    source = settings.ledger_path
    if not source.exists():
        raise LedgerError(f"there is no ledger at {source} yet: nothing to back up")
    if dest.exists() and not force:
        raise LedgerError(f"{dest} exists", hint="pass --force to overwrite it, or name a new file")
    with Ledger.open(source) as ledger:
        ledger.backup(dest)
    copy = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    try:
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
    if verdict != "ok":  # pragma: no cover - the online backup copies a checked database
        raise LedgerError(f"the backup {dest} does not check out ({verdict}); keep the ledger")
    if not obj.quiet:
        click.echo(f"ledger {source} backed up to {dest}")


@ledger_group.command("check")
@click.pass_obj
def check_command(obj: Context) -> None:
    """Read every page of the ledger and say whether it is sound (PRAGMA quick_check).

    The hourly sync reads every page only while the ledger is at most 64 MiB; the nightly
    recheck and this command always do. A damaged ledger exits 7 with nothing written: restore
    the last backup (see 'ocafas ledger backup --help').

    Example: ocafas --config shop.yaml ledger check
    """
    from ocafas.errors import LedgerError
    from ocafas.ledger import Ledger

    path = obj.settings().ledger_path
    if not path.exists():
        raise LedgerError(f"there is no ledger at {path} yet: nothing to check")
    with Ledger.open(path, full_check=True):
        pass
    if not obj.quiet:
        click.echo(f"ledger {path} checks out: every page read, no damage found")
