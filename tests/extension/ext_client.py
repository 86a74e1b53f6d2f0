"""The extension tests' view of one harness shop: its SQL, and GET requests checked against the
contract on every answer.

Kept out of conftest.py on purpose: tests/opencart has a conftest.py too, and a test module that
imports "from conftest" gets whichever of the two pytest loaded first when both dirs run together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import ext_shop
import jsonschema
import requests

OC_VERSIONS = {"oc3": "3.0.4.1", "oc4": "4.1.0.4"}


class Database(Protocol):
    def run(self, sql: str, database: str = "") -> str: ...


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


class Shop:
    """One OpenCart line: its database, its php -S server and a client speaking the contract."""

    def __init__(
        self, variant: str, db: Database, url: str, log: Path, schema: dict[str, Any] | None
    ):
        self.variant = variant
        self.db = db
        self.database = variant
        self.url = url
        self.log = log
        self.validator: Any = None
        if schema is not None:
            jsonschema.Draft202012Validator.check_schema(schema)
            self.validator = jsonschema.Draft202012Validator(schema)

    def sql(self, sql: str) -> str:
        return self.db.run(sql, self.database)

    def set_setting(self, key: str, value: str) -> None:
        self.sql(ext_shop.set_setting_sql(key, value))

    def get(
        self,
        params: Any = None,
        key: str | None = ext_shop.API_KEY,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        query: str | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        if key is not None:
            sent["X-Ocafas-Key"] = key
        with requests.Session() as session:
            session.trust_env = False
            if query is not None:
                url = self.url + "&" + query
                params = None
            else:
                url = self.url
            response = session.request(method, url, params=params, headers=sent, timeout=30)
        reply = Reply(
            response.status_code, dict(response.headers), response.content.decode("utf-8")
        )
        self.check(reply)
        return reply

    def check(self, reply: Reply) -> None:
        """Every response: pure JSON (no notice, no BOM), the right content type, the schema."""
        assert reply.headers.get("Content-Type") == "application/json; charset=utf-8", reply.text
        assert reply.text.startswith("{") and reply.text.endswith("}"), reply.text[:500]
        body = reply.json
        if reply.status >= 400:
            assert set(body) == {"error"}, body
        if self.validator is not None:
            self.validator.validate(body)

    def fingerprint(self) -> str:
        """A checksum of every table, to prove a request changed nothing."""
        tables = [line for line in self.sql("SHOW TABLES;").split("\n") if line]
        return self.sql("CHECKSUM TABLE " + ", ".join(f"`{t}`" for t in tables) + ";")
