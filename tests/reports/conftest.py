"""Fixtures of the report tests; the shared helpers live in reports_support.py."""

from reports_support import synced

__all__ = ["synced"]
