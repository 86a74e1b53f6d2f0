"""Fixtures for the AFAS sandbox tests: a running sandbox and a thin plain-``requests`` helper.

The helper is deliberately not the ocafas AFAS client: these tests pin the sandbox's behaviour
against the spec, so that the client's tests against the sandbox mean something.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import (
    ADMIN_SHOP_ID,
    DEFAULT_APP_TOKEN,
    PERSON_CAS_ID,
    ledger_account_id,
)

LIST_VERSIONS = {
    "administrations": "1.0",
    "ledgeraccounts": "2.0",
    "persons": "2.0",
    "organisations": "2.0",
    "unknownrelation": "1.0",
    "paymentconditions": "1.0",
    "countries": "1.0",
    "vattype": "1.0",
    "vatrate": "1.0",
    "departments": "1.0",
    "projects": "1.0",
    "locations": "1.0",
    "journalentries": "1.1",
    "salesinvoices": "1.2",
    "debtorinvoicebalance": "3.0",
}


class Afas:
    """Plain HTTP calls against one sandbox, with an access token fetched on first use."""

    def __init__(self, sandbox: AfasSandbox) -> None:
        self.sandbox = sandbox
        self.http = requests.Session()
        self._token: str | None = None

    @property
    def url(self) -> str:
        return self.sandbox.base_url

    def fetch_token(self, app_token: str = DEFAULT_APP_TOKEN) -> requests.Response:
        return self.http.post(
            f"{self.url}/authentication/getaccesstoken", json={"apptoken": app_token}, timeout=5
        )

    @property
    def token(self) -> str:
        if self._token is None:
            response = self.fetch_token()
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return self._token

    def headers(self, version: str | None, tracking: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if version is not None:
            headers["Accept-Version"] = version
        if tracking is not None:
            headers["Tracking-Identifier"] = tracking
        return headers

    def get(self, endpoint: str, version: str | None = "", **params: Any) -> requests.Response:
        chosen = LIST_VERSIONS[endpoint] if version == "" else version
        return self.http.get(
            f"{self.url}/api/{endpoint}", headers=self.headers(chosen), params=params, timeout=5
        )

    def rows(self, endpoint: str, **params: Any) -> list[dict[str, Any]]:
        response = self.get(endpoint, **params)
        assert response.status_code == 200, response.text
        data = response.json()
        return data["Result"] if isinstance(data, dict) else data

    def send(
        self,
        method: str,
        endpoint: str,
        body: Any,
        version: str | None,
        tracking: str | None = None,
    ) -> requests.Response:
        """Send ``body`` (a str is sent as the exact JSON text) to /api/<endpoint>."""
        text = body if isinstance(body, str) else json.dumps(body)
        headers = self.headers(version, tracking)
        headers["Content-Type"] = "application/json"
        return self.http.request(
            method, f"{self.url}/api/{endpoint}", data=text.encode(), headers=headers, timeout=5
        )

    def post_entry(
        self, body: Any, version: str | None = "3.0", tracking: str | None = None
    ) -> requests.Response:
        return self.send("POST", "salesjournalentry", body, version, tracking)

    def delete_entry(
        self, entry_id: str, administration_id: str = ADMIN_SHOP_ID
    ) -> requests.Response:
        body = {"AdministrationId": administration_id, "Id": entry_id}
        return self.send("DELETE", "salesjournalentry", body, "2.1")


def entry_body(**overrides: Any) -> dict[str, Any]:
    """A valid 3.0 sales journal entry for the shop administration, with ``overrides`` applied."""
    body: dict[str, Any] = {
        "AdministrationId": ADMIN_SHOP_ID,
        "InvoiceDate": "2025-03-01",
        "InvoiceNumber": "OC-1001",
        "RelationType": "person",
        "RelationId": PERSON_CAS_ID,
        "Reference": "1001",
        "Description": "Order 1001",
        "PaymentMethod": "ideal",
        "InvoiceLine": [
            {
                "LedgerAccountId": ledger_account_id(ADMIN_SHOP_ID, "8000"),
                "Description": "Producten hoog",
                "AmountExcludingVat": 100.0,
                "AmountVat": 21.0,
                "VatType": "high",
            }
        ],
    }
    body.update(overrides)
    return body


def line(number: str = "8000", **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "LedgerAccountId": ledger_account_id(ADMIN_SHOP_ID, number),
        "AmountExcludingVat": 10.0,
        "AmountVat": 2.1,
        "VatType": "high",
    }
    result.update(fields)
    return result


@pytest.fixture
def sandbox() -> Iterator[AfasSandbox]:
    with AfasSandbox() as running:
        yield running


@pytest.fixture
def afas(sandbox: AfasSandbox) -> Afas:
    return Afas(sandbox)


@pytest.fixture
def entry() -> Any:
    """The ``entry_body`` builder, for tests that cannot import conftest."""
    return entry_body


@pytest.fixture
def make_line() -> Any:
    return line


@pytest.fixture
def list_versions() -> dict[str, str]:
    return dict(LIST_VERSIONS)


@pytest.fixture
def client_for() -> Any:
    """Build the plain-HTTP helper for a sandbox a test starts itself."""
    return Afas
