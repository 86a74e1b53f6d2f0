"""Group commit: the intents of several posting workers share one disk sync.

Each ``posting`` intent must be on disk before its POST leaves, and a sync costs 0.5 to 6 ms on
an ordinary disk, while the ledger's one connection serialises commits. With eight workers
that sync, not AFAS, would set the pace. So a worker that finds no commit under way leads: it
takes every intent queued so far and writes them in ONE durable transaction, each in its own
savepoint (an intent refused, say for a used invoice number, undoes only itself); the workers
that queue meanwhile wait and are led by the next one. No worker returns before its intent is
on disk, so the rule "intent before POST" holds for each of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    work: Callable[[], T]
    value: Any = None
    error: BaseException | None = None
    done: bool = False


class GroupCommit:
    """Runs ``work`` callables in shared durable transactions (see the module docstring)."""

    def __init__(self, transaction: Callable[..., Any]) -> None:
        #: ``Database.transaction``: called as ``transaction(durable=True)`` and ``transaction()``.
        self._transaction = transaction
        self._cond = threading.Condition()
        self._queue: list[_Job[Any]] = []
        self._leading = False
        #: Transactions written and intents in them, for the benchmark and the tests.
        self.commits = 0
        self.jobs = 0

    def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` (it writes through the ledger) inside a durable commit; return its value.

        ``work`` runs in the leading thread, inside a savepoint of the shared transaction.
        """
        job: _Job[T] = _Job(work)
        with self._cond:
            self._queue.append(job)
            while not job.done and self._leading:
                self._cond.wait()
            if job.done:
                return self._result(job)
            self._leading = True
            batch, self._queue = self._queue, []
        try:
            self._commit(batch)
        finally:
            with self._cond:
                self._leading = False
                for item in batch:
                    item.done = True
                self._cond.notify_all()
        return self._result(job)

    def _commit(self, batch: list[_Job[Any]]) -> None:
        try:
            with self._transaction(durable=True):
                for item in batch:
                    try:
                        with self._transaction():  # a savepoint: a refusal undoes itself only
                            item.value = item.work()
                    except Exception as exc:
                        item.error = exc
        except BaseException as exc:
            # The commit itself failed (a full disk): nothing of the batch is on disk.
            for item in batch:
                item.value, item.error = None, exc
            if not isinstance(exc, Exception):
                raise
        self.commits += 1
        self.jobs += len(batch)

    @staticmethod
    def _result(job: _Job[T]) -> T:
        if job.error is not None:
            raise job.error
        return job.value  # type: ignore[no-any-return]
