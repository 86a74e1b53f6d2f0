"""Fixtures of the setup tests; the shared helpers live in setup_support.py."""

from setup_support import setup_env

__all__ = ["setup_env"]
