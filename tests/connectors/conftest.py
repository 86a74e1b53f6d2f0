"""Fixtures of the connector tests; the helpers live in connectors_support.py."""

from connectors_support import conn

__all__ = ["conn"]
