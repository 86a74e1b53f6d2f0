"""One chaos world: both sandboxes, a config, a ledger, and the ways to hurt a run.

A scenario (chaos_scenario.py) drives it: runs in-process (``run_pass`` with a crash injected at
a random I/O call) or as a real ``python -m ocafas sync`` subprocess killed with SIGKILL, with
AFAS SB and OpenCart faults queued in between. ``verify`` then checks what must hold whatever
happened: AFAS holds exactly the processable orders, each once and to the cent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chaos_config import ENVIRON, config_text
from sandbox_config import SandboxFiles

from ocafas.afas import jsonbody
from ocafas.afas.client import AfasClient
from ocafas.config import Settings, parse_settings
from ocafas.ledger import Ledger
from ocafas.opencart.client import OpenCartClient
from ocafas.pipeline.result import PassResult
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

ROOT = Path(__file__).resolve().parents[2]
#: The in-process AFAS client's read timeout; the "timeout" fault delays answers beyond it.
FAST_TIMEOUT = 0.1


class Crash(BaseException):
    """An in-process stand-in for SIGKILL: nothing in ocafas catches a BaseException."""


class CrashSwitch:
    """Dies at the N-th I/O call (before or after it went out); every later call dies too."""

    def __init__(self, at_call: int | None, after: bool) -> None:
        self.at_call = at_call
        self.after = after
        self.calls = 0
        self.fired = False
        self._lock = threading.Lock()

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                if self.fired:
                    raise Crash("already dead")
                self.calls += 1
                fire = self.at_call is not None and self.calls >= self.at_call
                if fire and not self.after:
                    self.fired = True
                    raise Crash(f"killed before I/O call {self.calls}")
            result = call(*args, **kwargs)
            if fire:
                with self._lock:
                    self.fired = True
                raise Crash(f"killed after I/O call {self.calls} went out")
            return result

        return guarded


class World(SandboxFiles):
    def __init__(self, tmp: Path, seed: int, *, batch_size: int, concurrency: int) -> None:
        self.tmp = tmp
        self.seed = seed
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.shop = OpenCartSandbox(seed=seed, broken=0.08)
        self.afas = AfasSandbox()
        #: Every call of the sandbox's booking: (invoice number, tracking id, answer text).
        self.post_calls: list[tuple[str, str | None, str]] = []
        self._settings: Settings | None = None

    def __enter__(self) -> World:
        self.shop.start()
        self.afas.start()
        self._watch_bookings()
        return self

    def __exit__(self, *_: object) -> None:
        # shutdown() waits for serve_forever's next poll (up to half a second): the scenario
        # is over, so let the servers wind down in the background.
        for sandbox in (self.shop, self.afas):
            threading.Thread(target=sandbox.stop, daemon=True).start()

    def _watch_bookings(self) -> None:
        state = self.afas.state
        original = state.post_entry

        def post_entry(body: dict[str, Any], raw: str, version: str, tracking: str | None) -> Any:
            outcome = original(body, raw, version, tracking)
            self.post_calls.append((str(body["InvoiceNumber"]), tracking, repr(outcome.body)))
            return outcome

        state.post_entry = post_entry  # type: ignore[method-assign]

    # -- config -----------------------------------------------------------------------------

    def config(self) -> str:
        return config_text(
            self.shop.url,
            self.afas.base_url,
            self.ledger_path,
            batch_size=self.batch_size,
            concurrency=self.concurrency,
        )

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = parse_settings(
                self.config(), source=self.config_path, environ=ENVIRON
            )[0]
        return self._settings

    # -- runs -------------------------------------------------------------------------------

    def run_in_process(
        self, what: Callable[..., PassResult], crash: CrashSwitch | None = None
    ) -> PassResult:
        """One pass with fast clients (2 attempts, no backoff); ``crash`` may kill it."""
        settings = self.settings()
        shop = OpenCartClient(
            self.shop.url, DEFAULT_KEY, timeout=2, page_size=self.batch_size, backoff=0,
            max_attempts=3, max_retry_after=0,
        )  # fmt: skip

        def factory() -> AfasClient:
            client = AfasClient.connect(
                self.afas.base_url, DEFAULT_APP_TOKEN, timeout=FAST_TIMEOUT,
                pool_size=max(2, self.concurrency), max_attempts=2, backoff=0,
                max_backoff=0, sleep=lambda _: None,
            )  # fmt: skip
            if crash is not None:
                client.transport._once = crash.wrap(client.transport._once)  # type: ignore[method-assign]
            return client

        if crash is not None:
            shop._send = crash.wrap(shop._send)  # type: ignore[method-assign]
        try:
            with Ledger.open(settings.ledger_path) as ledger:
                return what(settings, shop, factory, ledger)
        finally:
            shop.close()

    def run_killed(self, delay: float) -> int | None:
        """``ocafas sync`` as a real process, SIGKILLed after ``delay`` s; its exit code or None."""
        self.config_path.write_text(self.config(), encoding="utf-8")
        self.config_path.chmod(0o600)
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        proc = subprocess.Popen(
            [sys.executable, "-m", "ocafas", "--config", str(self.config_path), "sync"],
            env={**os.environ, **ENVIRON, "PYTHONPATH": path},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=20)
            return None
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        proc.communicate(timeout=5)
        if proc.returncode == 1:
            raise AssertionError(f"ocafas sync crashed on its own: {stderr}")
        return proc.returncode

    # -- by hand ----------------------------------------------------------------------------

    def book_by_hand(self, body: dict[str, Any]) -> bool:
        """Someone books an invoice in AFAS SB by hand (no Tracking-Identifier); True if booked."""
        with self.afas.state.lock:
            outcome = self.afas.state.post_entry(body, jsonbody.dumps(body), "3", None)
        return outcome.status == 200

    def wait_until(self, condition: Callable[[], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not condition():
            time.sleep(0.01)

    def attempts_by_invoice(self) -> Counter[str]:
        """Distinct Tracking-Identifiers ocafas used per invoice number (hand bookings left out)."""
        seen: dict[str, set[str]] = {}
        for number, tracking, _ in self.post_calls:
            if tracking is not None:
                seen.setdefault(number, set()).add(tracking)
        return Counter({number: len(ids) for number, ids in seen.items()})
