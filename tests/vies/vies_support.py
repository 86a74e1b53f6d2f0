"""A VIES stand-in on 127.0.0.1 with a few registered numbers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ocafas.sandbox.vies import ViesSandbox

SHOP = "NL004495445B01"
VALID = {
    "DE136695976": ("Acme Handel GmbH", "Hauptstrasse 1\n10115 Berlin"),
    "BE0403170701": ("Bakkerij Peeters NV", "Kerkstraat 5, 2000 Antwerpen"),
    "EL094259216": ("Elliniki AE", "Athina"),
}


@pytest.fixture
def vies() -> Iterator[ViesSandbox]:
    with ViesSandbox(VALID) as sandbox:
        yield sandbox
