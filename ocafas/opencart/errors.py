"""Why talking to the ocafas extension failed, one subclass per cause the user fixes differently.

All are :class:`ocafas.errors.OpenCartError` (exit code OPENCART); each message is one line that
names the cause and the place to fix it, and never contains the API key.
"""

from __future__ import annotations

from ocafas.errors import OpenCartError

__all__ = [
    "OpenCartAuthError",
    "OpenCartConnectionError",
    "OpenCartDisabledError",
    "OpenCartError",
    "OpenCartNotFoundError",
    "OpenCartRequestError",
    "OpenCartResponseError",
    "OpenCartTimeoutError",
    "OpenCartUnavailableError",
    "OpenCartVersionError",
]


class OpenCartAuthError(OpenCartError):
    """Raised on HTTP 401: the API key is missing or not the one saved in the extension."""


class OpenCartDisabledError(OpenCartError):
    """Raised on HTTP 403 from the extension: it is disabled or has no key saved yet."""


class OpenCartNotFoundError(OpenCartError):
    """Raised on HTTP 404: the configured URL is not the extension's endpoint."""


class OpenCartConnectionError(OpenCartError):
    """Raised when the shop cannot be reached: DNS, connection refused, TLS."""


class OpenCartTimeoutError(OpenCartError):
    """Raised when the shop does not answer in time, after the retries."""


class OpenCartUnavailableError(OpenCartError):
    """Raised when the shop keeps answering 5xx or 429 after the retries."""


class OpenCartRequestError(OpenCartError):
    """Raised when the extension refuses the request (400, other 4xx) or the URL redirects."""


class OpenCartResponseError(OpenCartError):
    """Raised when the answer is not the contract's JSON: HTML, truncated, keys missing."""


class OpenCartVersionError(OpenCartError):
    """Raised when the extension speaks another contract version than this ocafas."""
