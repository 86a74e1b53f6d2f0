"""Shared fixtures: the contract schema, a running sandbox shop and a client for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ocafas.opencart.client import OpenCartClient
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox


@pytest.fixture
def sandbox() -> Iterator[OpenCartSandbox]:
    with OpenCartSandbox() as shop:
        yield shop


@pytest.fixture
def make_client(sandbox: OpenCartSandbox) -> Callable[..., OpenCartClient]:
    def build(**options: Any) -> OpenCartClient:
        options.setdefault("backoff", 0)
        options.setdefault("timeout", 5)
        url = options.pop("url", sandbox.url)
        key = options.pop("api_key", DEFAULT_KEY)
        return OpenCartClient(url, key, **options)

    return build
