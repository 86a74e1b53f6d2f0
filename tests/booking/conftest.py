"""Fixtures of the booking tests; the shared helpers live in booking_support.py.

"from conftest import" would resolve to whichever conftest.py pytest imported first.
"""

from booking_support import settings

__all__ = ["settings"]
