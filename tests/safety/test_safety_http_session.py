"""Sessions read the proxy and CA settings of the environment once, for their one service."""

from __future__ import annotations

import pytest

from ocafas.http import environment_proxies, make_session


def test_proxy_and_ca_bundle_come_from_the_environment_once(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = make_session(base_url="https://shop.example/index.php")
    assert session.trust_env is False
    assert session.proxies["https"] == "http://proxy.example:3128"
    assert session.verify == str(bundle)
    # Changing the environment afterwards does not change a session already made.
    monkeypatch.setenv("HTTPS_PROXY", "http://other.example:3128")
    assert session.proxies["https"] == "http://proxy.example:3128"


def test_no_proxy_covers_the_host(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "shop.example,127.0.0.1")
    assert environment_proxies("https://shop.example/") == {}
    assert make_session(base_url="https://shop.example/").proxies == {}
    assert environment_proxies("https://afas.example/")["https"] == "http://proxy.example:3128"


@pytest.mark.parametrize("explicit", [None, "/etc/ssl/private-ca.pem"])
def test_an_explicit_ca_bundle_wins(monkeypatch, explicit):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/from/env.pem")
    session = make_session(ca_bundle=explicit, base_url="https://afas.example/")
    assert session.verify == (explicit or "/from/env.pem")
