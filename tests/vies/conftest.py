"""Fixtures of the VIES tests; the shared helpers live in vies_support.py."""

from vies_support import vies

__all__ = ["vies"]
