"""Logging setup: quiet by default for cron, JSON lines on request, secrets always redacted."""

from __future__ import annotations

import json
import logging
import sys
import time

from ocafas.redact import redact

_HANDLER_NAME = "ocafas-stderr"


class RedactingFormatter(logging.Formatter):
    """Formats a record, then removes anything that looks like a secret."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the message is redacted like the plain format."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ("order_id", "event"):
            value = getattr(record, key, None)
            if value is not None:
                payload[key] = value
        if record.exc_info:
            payload["traceback"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(verbose: int = 0, quiet: bool = False, json_lines: bool = False) -> None:
    """Configure the ``ocafas`` logger once per process (idempotent, for tests)."""
    logger = logging.getLogger("ocafas")
    if quiet:
        level = logging.WARNING
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    else:
        level = logging.WARNING
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if handler.get_name() == _HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    formatter: logging.Formatter
    if json_lines:
        formatter = JsonFormatter()
    else:
        formatter = RedactingFormatter("%(levelname)s: %(message)s")
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.propagate = False
