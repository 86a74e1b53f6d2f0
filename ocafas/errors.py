"""The one exception tree of ocafas and the exit codes the CLI maps it to.

Every error a user can act on is an :class:`OcafasError`. Its ``str()`` is a single line that says
what went wrong and what to do; it never contains a secret (callers pass redacted text only).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in the README."""

    OK = 0
    #: An unexpected internal error (a bug): one line is printed, ``-v`` shows the traceback.
    INTERNAL = 1
    #: The configuration or the command line is wrong; nothing was done.
    CONFIG = 2
    #: The run completed but one or more orders are in error (see ``ocafas report errors``).
    ORDERS_FAILED = 3
    #: The OpenCart shop could not be reached or refused us (URL, key, extension disabled).
    OPENCART = 4
    #: AFAS SB could not be reached or refused us (token, rights, outage).
    AFAS = 5
    #: Another ocafas run holds the lock on this ledger; this run did nothing.
    LOCKED = 6
    #: The local ledger is unreadable, corrupt or from a newer ocafas.
    LEDGER = 7


class OcafasError(Exception):
    """Base of all errors a user can act on."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ConfigError(OcafasError):
    """Raised when the config file is missing, unreadable or invalid.

    ``problems`` holds one line per problem, each starting with its key path, e.g.
    ``afas.administration_id: not a UUID``. Values of secrets never appear in them.
    """

    exit_code = ExitCode.CONFIG

    def __init__(self, message: str, problems: list[str] | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


class LedgerError(OcafasError):
    """Raised when the ledger cannot be opened, is corrupt or has a newer schema."""

    exit_code = ExitCode.LEDGER


class LockedError(OcafasError):
    """Raised when another ocafas process holds the ledger's run lock."""

    exit_code = ExitCode.LOCKED


class ApiError(OcafasError):
    """Base of errors talking to a remote service (OpenCart or AFAS SB)."""


class OpenCartError(ApiError):
    """Raised when the OpenCart extension cannot be reached or answers something unusable."""

    exit_code = ExitCode.OPENCART


class AfasError(ApiError):
    """Raised when AFAS SB cannot be reached, refuses our token or lacks rights."""

    exit_code = ExitCode.AFAS


class AfasAuthError(AfasError):
    """Raised when AFAS SB refuses the app token (401 even after fetching a new access token)."""


class AfasForbiddenError(AfasError):
    """Raised when the AFAS SB app lacks rights on an endpoint (HTTP 403)."""


class AfasTransientError(AfasError):
    """Raised when AFAS SB stays unavailable (429, 5xx, timeouts) after the retries."""


class AfasRejectedError(AfasError):
    """Raised when AFAS SB rejects a request as invalid (HTTP 400 with StatusCode/ExceptionCode)."""
