"""Fixtures of the report tests; the helpers live in reports_support.py and shops_support.py."""

from reports_support import synced
from shops_support import two_shops

__all__ = ["synced", "two_shops"]
