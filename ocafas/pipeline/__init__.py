"""The booking pipeline: sync, recheck and retry, with the ledger written around every POST."""

from ocafas.pipeline.result import OrderOutcome, PassResult
from ocafas.pipeline.run import recheck, retry, run_pass

__all__ = ["OrderOutcome", "PassResult", "recheck", "retry", "run_pass"]
