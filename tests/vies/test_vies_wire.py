"""Answers the stand-in does not give: VIES's odd shapes, read with requests-mock."""

from __future__ import annotations

from typing import Any

import pytest
import requests_mock

from ocafas.vies import VIES_URL, ViesClient, ViesInvalid, ViesUnavailable, ViesValid

URL = VIES_URL + "/check-vat-number"


def ask(mocker: requests_mock.Mocker, **response: Any) -> object:
    mocker.post(URL, **response)
    return ViesClient(VIES_URL, "NL004495445B01", attempts=1).check("DE136695976")


def test_default_url_is_the_eu_service() -> None:
    assert VIES_URL == "https://ec.europa.eu/taxation_customs/vies/rest-api"


def test_valid_false_with_user_error_ms_unavailable_is_not_invalid() -> None:
    with requests_mock.Mocker() as mocker:
        result = ask(mocker, json={"valid": False, "userError": "MS_UNAVAILABLE"})
    assert isinstance(result, ViesUnavailable) and result.code == "MS_UNAVAILABLE"


def test_error_wrappers_with_400_invalid_input_is_invalid() -> None:
    body = {"actionSucceed": False, "errorWrappers": [{"error": "INVALID_INPUT"}]}
    with requests_mock.Mocker() as mocker:
        result = ask(mocker, status_code=400, json=body)
    assert isinstance(result, ViesInvalid) and result.reason == "INVALID_INPUT"


def test_undisclosed_name_and_address_are_none() -> None:
    body = {
        "valid": True,
        "requestDate": "2025-03-01T09:15:00.000Z",
        "requestIdentifier": "WAPIAAAAZ1234567",
        "name": "---",
        "address": "---",
    }
    with requests_mock.Mocker() as mocker:
        result = ask(mocker, json=body)
    assert isinstance(result, ViesValid)
    assert result.name is None and result.address is None
    assert result.checked_at == "2025-03-01T09:15:00+00:00"
    assert result.consultation_number == "WAPIAAAAZ1234567"


@pytest.mark.parametrize(
    ("response", "code"),
    [
        ({"status_code": 200, "text": "<html>maintenance</html>"}, "UNEXPECTED_ANSWER"),
        ({"status_code": 429, "text": ""}, "HTTP_429"),
        ({"status_code": 200, "json": {"foo": 1}}, "UNEXPECTED_ANSWER"),
        ({"status_code": 200, "json": {"actionSucceed": False}}, "UNKNOWN_ERROR"),
        (
            {"status_code": 403, "json": {"errorWrappers": [{"error": "IP_BLOCKED"}]}},
            "IP_BLOCKED",
        ),
    ],
)
def test_unreadable_answers_are_unavailable(response: dict[str, Any], code: str) -> None:
    with requests_mock.Mocker() as mocker:
        result = ask(mocker, **response)
    assert isinstance(result, ViesUnavailable) and result.code == code
