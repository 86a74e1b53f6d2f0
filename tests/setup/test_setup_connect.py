"""`ocafas connect`: both dots, each red cause, the saved file (0600, comments, byte-identical)."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
import time

import pytest
from setup_support import VAT_ARGS, Env

from ocafas.errors import ExitCode
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.setup.checks import split_afas_url

USER_CONFIG = """\
# My shop's ocafas config. Keep this comment!
opencart:
  url: https://old.example/index.php?route=extension/ocafas/api  # the old shop
  timeout: 20
afas:
  timeout: 25  # AFAS is slow on Mondays
ledger:
  path: ledger.sqlite3
sync:
  batch_size: 50  # small pages
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_full_afas_url_is_split() -> None:
    assert split_afas_url("https://app-center-demo.afasfocus.nl/webwinkelfacturen") == (
        "app-center-demo",
        "webwinkelfacturen",
        None,
    )
    assert split_afas_url("https://app-center-demo.afasfocus.nl/webwinkelfacturen/app/x") == (
        "app-center-demo",
        "webwinkelfacturen",
        None,
    )
    assert split_afas_url("http://127.0.0.1:8080/webwinkelfacturen/") == (
        None,
        None,
        "http://127.0.0.1:8080/webwinkelfacturen",
    )


def test_connect_keeps_comments_writes_0600_and_rerun_is_byte_identical(setup_env: Env) -> None:
    setup_env.config.write_text(USER_CONFIG, encoding="utf-8")
    setup_env.config.chmod(0o644)
    result = setup_env.run(*setup_env.connect_args(), "--secrets", "env")
    assert result.exit_code == 0, result.output
    assert "● OpenCart: Demo shop" in result.output
    assert "● AFAS SB: administration Webwinkel Voorbeeld B.V." in result.output
    assert "POST salesjournalentry" in result.output  # the rights it cannot test
    text = setup_env.config.read_text(encoding="utf-8")
    assert stat.S_IMODE(setup_env.config.stat().st_mode) == 0o600
    assert "# My shop's ocafas config. Keep this comment!" in text
    assert "# AFAS is slow on Mondays" in text and "batch_size: 50  # small pages" in text
    assert "timeout: 20" in text and "path: ledger.sqlite3" in text
    assert "api_key: ${OCAFAS_OPENCART_API_KEY}" in text
    assert "app_token: ${OCAFAS_AFAS_APP_TOKEN}" in text
    assert DEFAULT_APP_TOKEN not in text
    assert f"url: {setup_env.shop.url}" in text and "old.example" not in text
    assert f"administration_id: {ADMIN_SHOP_ID}" in text
    assert "start_date: 2025-01-01" in text
    before = setup_env.config.read_bytes()
    inode = setup_env.config.stat().st_ino

    again = setup_env.run(*setup_env.connect_args(), "--secrets", "env")
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert setup_env.config.read_bytes() == before
    assert setup_env.config.stat().st_ino == inode  # not even rewritten

    # and with no options at all the config as it is answers every question
    third = setup_env.run("connect", "--no-interactive")
    assert third.exit_code == 0, third.output
    assert setup_env.config.read_bytes() == before


def test_literal_secrets_go_into_the_0600_file(setup_env: Env) -> None:
    setup_env.extra_env = {"OCAFAS_OPENCART_API_KEY": "", "OCAFAS_AFAS_APP_TOKEN": ""}
    result = setup_env.run(*setup_env.connect_args())
    assert result.exit_code == 0, result.output
    text = setup_env.config.read_text(encoding="utf-8")
    assert f"app_token: {DEFAULT_APP_TOKEN}" in text
    assert stat.S_IMODE(setup_env.config.stat().st_mode) == 0o600


def _replace(args: list[str], option: str, value: str) -> list[str]:
    args = list(args)
    args[args.index(option) + 1] = value
    return args


def test_each_opencart_red_dot_has_its_own_cause(setup_env: Env) -> None:
    base = setup_env.connect_args()
    seen = {}

    def red(args: list[str]) -> str:
        result = setup_env.run(*args)
        assert result.exit_code == ExitCode.OPENCART, result.output
        assert "Nothing saved" in result.output
        line = next(li for li in result.output.splitlines() if li.startswith("● OpenCart"))
        return line

    seen["key"] = red(_replace(base, "--api-key", "Wrong-Key-0123456789"))
    setup_env.shop.disable()
    seen["disabled"] = red(base)
    setup_env.shop.enable()
    seen["not endpoint"] = red(
        _replace(base, "--opencart-url", setup_env.shop.base_url + "/index.php?route=common/home")
    )
    setup_env.shop.inject("html", 4)
    seen["html"] = red(base)
    setup_env.shop.clear_faults()
    seen["network"] = red(
        _replace(base, "--opencart-url", f"http://127.0.0.1:{_closed_port()}/index.php")
    )
    assert "wrong API key" in seen["key"]
    assert "disabled" in seen["disabled"]
    assert "not an ocafas endpoint (HTTP 404)" in seen["not endpoint"]
    assert "web page" in seen["html"]
    assert "network" in seen["network"]
    assert len(set(seen.values())) == len(seen)
    assert not setup_env.config.exists()


def test_each_afas_red_dot_has_its_own_cause(setup_env: Env) -> None:
    base = setup_env.connect_args()
    seen = {}

    def red(args: list[str]) -> str:
        result = setup_env.run(*args)
        assert result.exit_code == ExitCode.AFAS, result.output
        assert "● OpenCart: Demo shop" in result.output  # the shop side is still tested
        return next(li for li in result.output.splitlines() if li.startswith("● AFAS"))

    seen["token"] = red(_replace(base, "--app-token", "x" * 64))
    seen["not found"] = red(
        _replace(base, "--afas-url", setup_env.afas.base_url.replace("webwinkel", "elders"))
    )
    seen["network"] = red(
        _replace(base, "--afas-url", f"http://127.0.0.1:{_closed_port()}/webwinkelfacturen")
    )
    limited = "L" * 64
    with AfasSandbox(app_tokens={limited: {"administrations", "ledgeraccounts"}}) as afas:
        args = _replace(_replace(base, "--afas-url", afas.base_url), "--app-token", limited)
        seen["rights"] = red(args)
    assert "app token was refused" in seen["token"]
    assert "no AFAS SB environment at this URL" in seen["not found"]
    assert "network" in seen["network"]
    assert "lacks rights on GET unknownrelation" in seen["rights"]
    assert "GET persons" in seen["rights"] and "GET ledgeraccounts" not in seen["rights"]
    assert len(set(seen.values())) == len(seen)
    assert not setup_env.config.exists()


def test_check_only_tests_and_exits_for_monitoring(setup_env: Env) -> None:
    assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    before = setup_env.config.read_bytes()
    result = setup_env.run("connect", "--check")
    assert result.exit_code == 0, result.output
    setup_env.shop.disable()
    result = setup_env.run("connect", "--check")
    assert result.exit_code == ExitCode.OPENCART
    assert "disabled" in result.output
    assert setup_env.config.read_bytes() == before


def test_several_administrations_need_a_choice_without_a_terminal(setup_env: Env) -> None:
    args = setup_env.connect_args()
    i = args.index("--administration")
    result = setup_env.run(*args[:i], *args[i + 2 :])
    assert result.exit_code == ExitCode.CONFIG
    assert "missing --administration" in result.output
    result = setup_env.run(*_replace(args, "--administration", "Voorbeeld Holding B.V."))
    assert result.exit_code == 0, result.output


def test_interactive_connect_through_prompts(setup_env: Env) -> None:
    answers = [
        setup_env.shop.url,
        "Wrong-Key-0123456789",  # red dot first
        "y",  # enter other values
        setup_env.shop.url,
        setup_env.env()["OCAFAS_OPENCART_API_KEY"],
        setup_env.afas.base_url,
        DEFAULT_APP_TOKEN,
        "1",  # the first administration
        "",  # statuses: the shop's complete statuses
        "2025-01-01",
        "",  # secrets as ${ENV} references (the variables are set)
    ]
    result = setup_env.run("connect", "--interactive", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "wrong API key" in result.output
    text = setup_env.config.read_text(encoding="utf-8")
    assert "processable_statuses: [Complete, Shipped]" in text
    assert "api_key: ${OCAFAS_OPENCART_API_KEY}" in text
    reference = setup_env.tmp / "reference.yaml"
    assert setup_env.run(*setup_env.connect_args(), config=reference).exit_code == 0
    assert reference.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", [["connect"], ["configure-vat"], ["configure-vat", "--reset"]])
def test_closed_stdin_without_options_fails_at_once(setup_env: Env, command: list[str]) -> None:
    if command[0] == "configure-vat":
        assert setup_env.run(*setup_env.connect_args()).exit_code == 0
    if command[-1] == "--reset":
        assert setup_env.run(*VAT_ARGS).exit_code == 0
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "ocafas", "--config", str(setup_env.config), *command],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        env=setup_env.env(),
        check=False,
    )
    assert proc.returncode == ExitCode.CONFIG, proc.stdout + proc.stderr
    expected = {"connect": "--opencart-url", "configure-vat": "--high-account"}[command[0]]
    if command[-1] == "--reset":
        expected = "--yes"
    assert f"missing {expected}" in proc.stderr
    assert time.monotonic() - started < 20
