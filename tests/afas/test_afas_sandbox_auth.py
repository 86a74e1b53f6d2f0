"""Access tokens, their expiry, rights per app token, versions and routing of the AFAS sandbox."""

from __future__ import annotations

import time

import requests

from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN


def test_token_flow_returns_the_documented_shape(afas) -> None:
    response = afas.fetch_token()
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"access_token", "expires_in", "token_type"}
    assert data["expires_in"] == "600"  # a string, as AFAS sends it
    assert data["token_type"] == "bearer"
    assert len(data["access_token"]) >= 32
    assert afas.get("administrations").status_code == 200


def test_unknown_app_token_is_refused_with_not_authenticated(afas) -> None:
    response = afas.fetch_token("not-a-known-token")
    assert response.status_code == 401
    body = response.json()
    assert body["StatusCode"] == 401
    assert body["AdditionalInfo"]["ExceptionType"] == "NotAuthenticatedException"
    assert body["Message"] == "Er is geen ingelogde gebruiker."
    assert "TraceId" in body


def test_token_request_is_checked_against_our_schema(afas) -> None:
    url = f"{afas.url}/authentication/getaccesstoken"
    for bad in ({}, {"apptoken": DEFAULT_APP_TOKEN, "scope": "x"}, {"apptoken": 5}):
        response = requests.post(url, json=bad, timeout=5)
        assert response.status_code == 400, bad
        assert response.json()["ExceptionCode"] == "DS3100"
    response = requests.post(url, data=b"{not json", timeout=5)
    assert response.status_code == 400
    assert response.json()["Message"] == "Invalid JSON request String"


def test_data_calls_without_or_with_a_bad_token_get_401(afas) -> None:
    url = f"{afas.url}/api/persons"
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": afas.token},  # no Bearer scheme
        {"AccessToken": "nonsense"},
    ):
        response = requests.get(url, headers={"Accept-Version": "2.0", **headers}, timeout=5)
        assert response.status_code == 401, headers
        assert response.json()["AdditionalInfo"]["ExceptionType"] == "NotAuthenticatedException"


def test_access_token_header_is_accepted_like_bearer(afas) -> None:
    response = requests.get(
        f"{afas.url}/api/persons",
        headers={"Accept-Version": "2.0", "AccessToken": afas.token},
        timeout=5,
    )
    assert response.status_code == 200


def test_tokens_expire_after_their_lifetime() -> None:
    with AfasSandbox(token_lifetime=0.3) as sandbox:
        url = sandbox.base_url
        token = requests.post(
            f"{url}/authentication/getaccesstoken", json={"apptoken": DEFAULT_APP_TOKEN}, timeout=5
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept-Version": "1.0"}
        assert requests.get(f"{url}/api/countries", headers=headers, timeout=5).status_code == 200
        time.sleep(0.4)
        assert requests.get(f"{url}/api/countries", headers=headers, timeout=5).status_code == 401


def test_expire_tokens_invalidates_issued_tokens_but_new_ones_work(afas) -> None:
    old = afas.token
    afas.sandbox.expire_tokens()
    assert afas.get("countries").status_code == 401
    afas._token = None
    assert afas.token != old
    assert afas.get("countries").status_code == 200


def test_app_token_without_rights_on_an_endpoint_gets_403() -> None:
    tokens = {"limited": {"persons", "countries"}, DEFAULT_APP_TOKEN: "all"}
    with AfasSandbox(app_tokens=tokens) as sandbox:
        url = sandbox.base_url
        token = requests.post(
            f"{url}/authentication/getaccesstoken", json={"apptoken": "limited"}, timeout=5
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        ok = requests.get(f"{url}/api/persons", headers={**headers, "Accept-Version": "2.0"})
        assert ok.status_code == 200
        refused = requests.post(
            f"{url}/api/salesjournalentry",
            headers={**headers, "Accept-Version": "3.0"},
            json={},
            timeout=5,
        )
        assert refused.status_code == 403
        body = refused.json()
        assert body["StatusCode"] == 403
        assert body["AdditionalInfo"]["ExceptionType"] == "NotAuthorizedException"
        assert sandbox.entries() == []


def test_missing_or_unknown_accept_version_is_a_clear_400(afas) -> None:
    missing = afas.get("ledgeraccounts", version=None)
    assert missing.status_code == 400
    assert "Accept-Version" in missing.json()["Message"]
    assert "2.0" in missing.json()["Message"]
    old = afas.get("ledgeraccounts", version="1")
    assert old.status_code == 400
    assert afas.get("ledgeraccounts", version="2").status_code == 200  # "2" is "2.0"
    write = afas.send("POST", "person", {"LastName": "X"}, version="3")
    assert write.status_code == 400
    assert "4.0" in write.json()["Message"]
    assert afas.sandbox.persons()[-1].last_name != "X"


def test_other_environments_and_unknown_paths_are_404(afas) -> None:
    port = afas.sandbox.port
    assert requests.get(f"http://127.0.0.1:{port}/other/api/persons", timeout=5).status_code == 404
    assert requests.get(f"{afas.url}/api/nothing", timeout=5).status_code == 404
    assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 404
    wrong_method = requests.get(f"{afas.url}/api/salesjournalentry", timeout=5)
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]


def test_request_log_never_holds_token_values(afas) -> None:
    afas.get("persons")
    afas.send("GET", "persons", "", version="2.0")  # a second request through another code path
    text = repr(afas.sandbox.request_log())
    assert afas.token not in text
    assert DEFAULT_APP_TOKEN not in text
    log = afas.sandbox.request_log()
    assert [r.endpoint for r in log][:2] == ["getaccesstoken", "persons"]
    assert log[1].version == "2.0" and log[1].status == 200
    assert afas.sandbox.counts()["GET persons"] == 2
