"""Keep secrets out of everything ocafas writes: logs, errors, reports and problem bundles.

Two layers: every secret value ocafas knows (from the config, or an access token it received) is
registered here and replaced wherever it appears; and patterns catch secrets by their shape
(bearer tokens, the OpenCart key header, an ``apptoken`` field) even when they were never
registered.
"""

from __future__ import annotations

import re
import threading

MASK = "***"
_MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_secrets: set[str] = set()

_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:x-ocafas-key|accesstoken|authorization)\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(
        r"(?i)(['\"]?(?:apptoken|app_token|api_key|access_token|password)['\"]?\s*[:=]\s*['\"]?)"
        r"[^\s'\",}]+"
    ),
]


def register_secret(value: str | None) -> None:
    """Remember a secret so that :func:`redact` hides it wherever it turns up."""
    if value and len(value) >= _MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """Return ``text`` with every known secret and every secret-shaped value masked."""
    if not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def redact_mapping(data: object, secret_keys: frozenset[str] | None = None) -> object:
    """Deep-copy JSON-like data with secret fields masked and every string redacted."""
    keys = secret_keys or frozenset(
        {"api_key", "app_token", "apptoken", "access_token", "authorization", "accesstoken",
         "x-ocafas-key", "password"}
    )
    if isinstance(data, dict):
        return {
            k: (MASK if isinstance(k, str) and k.lower() in keys and v else redact_mapping(v, keys))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [redact_mapping(v, keys) for v in data]
    if isinstance(data, str):
        return redact(data)
    return data
