"""What the sandbox shop can do wrong on purpose, and what it remembers of each request.

The pages are what real shops send instead of the extension's JSON: the storefront's login page
after a redirect, PHP's fatal error output, OpenCart's own "page not found".
"""

from __future__ import annotations

from dataclasses import dataclass

FAULT_KINDS = ("status", "truncate", "html", "php_error", "drop", "slow")

LOGIN_PAGE = """<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="UTF-8" /><title>Account Login</title>
<link href="catalog/view/theme/default/stylesheet/stylesheet.css" rel="stylesheet"></head>
<body><div id="container"><h1>Account Login</h1>
<p>Returning Customer</p><form method="post"><input name="email"/></form></div></body></html>
"""
PHP_ERROR_PAGE = (
    "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to "
    "allocate 20480 bytes) in <b>/var/www/shop/system/library/db/mysqli.php</b> on line "
    "<b>29</b><br />\n"
)
NOT_FOUND_PAGE = """<!DOCTYPE html><html><head><title>The page you requested cannot be found!
</title></head><body><h1>The page you requested cannot be found!</h1></body></html>
"""


@dataclass
class Fault:
    kind: str  # one of FAULT_KINDS
    status: int = 503
    retry_after: str | None = None
    seconds: float = 0.0
    action: str | None = None  # only requests with this action; None: any


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    action: str | None
    params: dict[str, list[str]]
    key_ok: bool
    status: int
    fault: str | None = None
