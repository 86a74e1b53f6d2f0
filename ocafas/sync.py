"""``run_pass``, ``recheck`` and ``retry``: the orchestration lives in :mod:`ocafas.pipeline`."""

from ocafas.pipeline import OrderOutcome, PassResult, recheck, retry, run_pass

__all__ = ["OrderOutcome", "PassResult", "recheck", "retry", "run_pass"]
