from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ocafas.config import Settings, parse_settings

DATA = Path(__file__).parent.parent / "data"
ENVIRON = {"OCAFAS_OPENCART_API_KEY": "Abcdefghij12345x", "OCAFAS_AFAS_APP_TOKEN": "T" * 64}
ACCOUNT_NUMBERS = ("8000", "8010", "8020", "8001", "8011", "8002", "8012", "8100", "8200",
                   "8300", "8310", "1600", "1610")  # fmt: skip


def account_id(number: str) -> str:
    return f"aaaaaaaa-0000-4000-8000-{int(number):012d}"


ACCOUNTS = {number: account_id(number) for number in ACCOUNT_NUMBERS}


def load_settings(text: str | None = None) -> Settings:
    raw = text if text is not None else (DATA / "golden-config.yaml").read_text(encoding="utf-8")
    return parse_settings(raw, environ=ENVIRON)[0]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()
