"""Security: TLS always verified, no plain HTTP off the machine, secrets never shown, private
files. (Report formats and problem bundles do not exist on main yet: not covered here.)"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from safety_world import Setup

from ocafas.afas.client import AfasClient
from ocafas.config import parse_settings
from ocafas.errors import AfasError, ConfigError, ExitCode, OcafasError
from ocafas.http import make_session
from ocafas.ledger import Ledger
from ocafas.opencart.client import OpenCartClient
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.opencart import OpenCartSandbox

ROOT = Path(__file__).resolve().parents[2]
PLANTED_OC_KEY = "PlantedOcKey-7f3a9c21d4e8b6a05f1c"
PLANTED_APP_TOKEN = "PlantedAppToken" + "a1b2c3d4" * 6 + "Z"
PLANTED_ENV = {
    "OCAFAS_OPENCART_API_KEY": PLANTED_OC_KEY,
    "OCAFAS_AFAS_APP_TOKEN": PLANTED_APP_TOKEN,
}


# -- TLS ------------------------------------------------------------------------------------


def test_sessions_always_verify_tls_and_a_ca_bundle_only_adds_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)  # set on some machines
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert make_session().verify is True
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert make_session(ca_bundle=str(bundle)).verify == str(bundle)
    oc = OpenCartClient("https://shop.example/index.php?route=x", "k" * 20, ca_bundle=str(bundle))
    assert oc._session.verify == str(bundle)
    afas = AfasClient.connect("https://x.rest.afas.online/env", "t" * 64)
    assert afas.transport.session.verify is True


@pytest.mark.parametrize("section", ["opencart", "afas"])
@pytest.mark.parametrize(
    "key", ["verify", "verify_tls", "insecure", "ssl_verify", "tls_verify", "no_verify"]
)
def test_no_config_key_turns_tls_verification_off(setup: Setup, section: str, key: str) -> None:
    text = setup.write_config().read_text()
    text = text.replace(f"{section}:\n", f"{section}:\n  {key}: false\n", 1)
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source=setup.config_path, environ=PLANTED_ENV)
    assert any(p.startswith(f"{section}.{key}:") for p in caught.value.problems)


def test_the_code_never_sets_verify_false() -> None:
    for path in (ROOT / "ocafas").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"verify\s*=\s*False", text), path
        assert "disable_warnings" not in text, path


# -- plain HTTP -----------------------------------------------------------------------------

OFF_MACHINE = [
    "http://shop.example.com/index.php",
    "http://192.168.1.10/index.php",
    "http://localhost.evil.example/index.php",
    "http://127.0.0.1.nip.io/index.php",
    "http://[2001:db8::1]/index.php",
    "ftp://shop.example.com/x",
]


@pytest.mark.parametrize("url", OFF_MACHINE)
def test_both_clients_refuse_plain_http_off_the_machine(url: str) -> None:
    with pytest.raises(OcafasError, match=r"refused|not an http"):
        OpenCartClient(url, "k" * 20)
    with pytest.raises(AfasError, match=r"refused|not an http"):
        AfasClient.connect(url, "t" * 64)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x"])
def test_plain_http_to_loopback_is_allowed_for_tests_and_demos(url: str) -> None:
    OpenCartClient(url, "k" * 20)
    AfasClient.connect(url, "t" * 64)


# -- planted secrets ------------------------------------------------------------------------


class _Planted:
    def __init__(self, shop: OpenCartSandbox, afas: AfasSandbox) -> None:
        self.access_tokens: list[str] = []
        issue = afas._issue_token

        def capture(body: bytes) -> Any:
            outcome = issue(body)
            if isinstance(outcome.body, dict) and "access_token" in outcome.body:
                self.access_tokens.append(str(outcome.body["access_token"]))
            return outcome

        afas._issue_token = capture  # type: ignore[method-assign]

    def secrets(self) -> list[str]:
        return [PLANTED_OC_KEY, PLANTED_APP_TOKEN, *self.access_tokens]


@pytest.fixture
def planted(tmp_path: Path) -> Any:
    shop = OpenCartSandbox(api_key=PLANTED_OC_KEY, seed=5, broken=0.1)
    afas = AfasSandbox(app_tokens={PLANTED_APP_TOKEN: "all"}, token_lifetime=2)
    with shop, afas:
        yield Setup(shop, afas, tmp_path), _Planted(shop, afas)


def _assert_clean(text: str, secrets: list[str]) -> None:
    assert secrets
    for secret in secrets:
        assert secret not in text
        assert secret[:16] not in text  # not even a prefix of it


def test_debug_logs_of_a_full_sync_hold_no_secret(planted: Any) -> None:
    setup, plant = planted
    setup.shop.generate(25)
    setup.afas.faults.fail_next(2, 503, "POST salesjournalentry")
    setup.afas.faults.drop_next(1, "POST salesjournalentry")
    first = setup.cli("-vv", "sync", env=PLANTED_ENV)
    setup.afas.expire_tokens()
    setup.shop.generate(5)
    second = setup.cli("-vv", "--log-json", "sync", env=PLANTED_ENV)
    check = setup.cli("-vv", "check-config", env=PLANTED_ENV)
    assert first.code in (ExitCode.OK, ExitCode.ORDERS_FAILED), first.output
    assert "DEBUG" in first.stderr and '"level": "debug"' in second.stderr  # really -vv
    assert len(plant.access_tokens) >= 2
    _assert_clean(first.output + second.output + check.output, plant.secrets())
    with Ledger.open(setup.ledger_path) as ledger:  # nor in the ledger's events and requests
        dump = "\n".join(ledger._db().iterdump())
    _assert_clean(dump, plant.secrets())


def test_error_messages_hold_no_secret(planted: Any) -> None:
    setup, plant = planted
    setup.shop.generate(3)
    setup.shop.set_key("another-key-entirely-12345")  # our key is now wrong
    wrong_oc = setup.cli("-vv", "sync", env=PLANTED_ENV)
    assert wrong_oc.code == ExitCode.OPENCART and "refused the API key" in wrong_oc.stderr
    setup.shop.set_key(PLANTED_OC_KEY)
    wrong_afas = setup.cli(
        "-vv", "sync", env={**PLANTED_ENV, "OCAFAS_AFAS_APP_TOKEN": PLANTED_APP_TOKEN[::-1]}
    )
    assert wrong_afas.code == ExitCode.AFAS and "app token" in wrong_afas.stderr
    _assert_clean(wrong_oc.output + wrong_afas.output, [*plant.secrets(), PLANTED_APP_TOKEN[::-1]])


def test_exceptions_never_carry_a_secret_even_in_a_url(planted: Any) -> None:
    setup, plant = planted
    port = setup.shop.port
    setup.shop.stop()
    messages = []
    for url in (
        f"http://127.0.0.1:{port}/index.php?route=x&key={PLANTED_OC_KEY}",
        f"http://admin:{PLANTED_OC_KEY}@127.0.0.1:{port}/index.php",
    ):
        client = OpenCartClient(url, PLANTED_OC_KEY, max_attempts=1, backoff=0)
        with pytest.raises(OcafasError) as caught:
            client.ping()
        messages.append(str(caught.value) + repr(caught.value.args))
    afas = AfasClient.connect(
        f"http://127.0.0.1:{port}/env?token={PLANTED_APP_TOKEN}", PLANTED_APP_TOKEN,
        max_attempts=1, backoff=0,
    )  # fmt: skip
    with pytest.raises(OcafasError) as caught:
        afas.administrations()
    messages.append(str(caught.value) + repr(caught.value.args))
    _assert_clean("\n".join(messages), plant.secrets())


# -- private files --------------------------------------------------------------------------


def test_config_with_a_literal_secret_readable_by_others_warns(setup: Setup) -> None:
    setup.write_config(mode=0o644)
    text = setup.config_path.read_text().replace("${OCAFAS_AFAS_APP_TOKEN}", PLANTED_APP_TOKEN)
    setup.config_path.write_text(text)
    loose = setup.cli("check-config", write=False)
    assert "readable by group or others" in loose.stderr and "chmod 600" in loose.stderr
    assert PLANTED_APP_TOKEN not in loose.output
    setup.config_path.chmod(0o600)
    tight = setup.cli("check-config", write=False)
    assert "readable" not in tight.stderr


def test_ledger_is_private_and_a_loose_one_is_tightened_with_a_warning(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    Ledger.open(setup.ledger_path).close()
    assert setup.ledger_path.stat().st_mode & 0o777 == 0o600
    setup.ledger_path.chmod(0o644)
    logger = logging.getLogger("ocafas")
    logger.propagate = True
    with caplog.at_level(logging.WARNING, logger="ocafas.ledger"):
        Ledger.open(setup.ledger_path).close()
    assert setup.ledger_path.stat().st_mode & 0o777 == 0o600
    assert any("readable by others" in r.getMessage() for r in caplog.records)
    fresh = setup.tmp / "new" / "dir" / "ledger.sqlite"
    Ledger.open(fresh).close()
    assert fresh.parent.stat().st_mode & 0o777 == 0o700


# -- the PHP extension (static checks; tests/extension runs it against MariaDB) -------------

API_PHP = ROOT / "opencart-extension" / "src" / "shared" / "ocafas" / "api.php"


def test_extension_compares_the_key_timing_safe_and_delays_wrong_keys() -> None:
    text = API_PHP.read_text(encoding="utf-8")
    assert re.search(r"hash_equals\(hash\('sha256', \$settings->apiKey\(\)\), hash\('sha256'", text)
    assert re.search(r"hash_equals\([^;]+\)\)\s*\{\s*sleep\(self::WRONG_KEY_DELAY\)", text)
    delay = re.search(r"WRONG_KEY_DELAY\s*=\s*(\d+)", text)
    assert delay is not None and int(delay.group(1)) >= 1
    for php in API_PHP.parent.glob("*.php"):
        body = php.read_text(encoding="utf-8")
        assert not re.search(r"apiKey\(\)\s*(===?|!==?)", body), php
        assert not re.search(r"(===?|!==?)\s*\$settings->apiKey\(\)", body), php
        assert not re.search(r"strcmp\([^;]*apiKey", body), php
