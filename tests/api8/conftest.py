"""Fixtures of the API 8.0 tests; the helpers live in api8_support.py (a unique module name)."""

from api8_support import api8

__all__ = ["api8"]
