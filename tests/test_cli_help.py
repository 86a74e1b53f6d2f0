"""Help is a contract: every command has help text with an example, and the root works."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from ocafas import __version__
from ocafas.cli import cli


def _all_commands(group: click.Group, prefix: str = "ocafas") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, path))
    return found


def test_every_command_has_help_with_an_example() -> None:
    commands = _all_commands(cli)
    assert commands, "the CLI has no commands"
    missing = []
    for path, command in commands:
        text = (command.help or "") + (command.epilog or "")
        if len(text.strip()) < 20 or "Example" not in text:
            missing.append(path)
    assert not missing, f"commands without help text and an example: {missing}"


def test_every_option_has_help() -> None:
    missing = []
    for path, command in [("ocafas", cli), *_all_commands(cli)]:
        for param in command.params:
            if isinstance(param, click.Option) and not param.help and param.name != "help":
                missing.append(f"{path} {param.opts[0]}")
    assert not missing, f"options without help: {missing}"


def test_help_and_version() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Book OpenCart orders into AFAS SB" in result.output
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ocafas", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"ocafas, version {__version__}"


def test_help_imports_nothing_heavy() -> None:
    # `ocafas --help` and an idle cron run must start fast: the heavy libraries load only in the
    # command that needs them (a count of modules, not a timing).
    code = (
        "import sys; from ocafas.cli import cli; "
        "heavy = ['rich', 'requests', 'ruamel', 'yaml', 'sqlite3', 'jsonschema', 'stdnum', "
        "'tenacity']; print(','.join(m for m in heavy if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""
