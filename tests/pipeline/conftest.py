"""Fixtures of the pipeline tests; the shared helpers live in pipeline_support.py.

"from conftest import" would resolve to whichever conftest.py pytest imported first.
"""

from pipeline_support import setup

__all__ = ["setup"]
