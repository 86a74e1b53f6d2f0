"""``max_in_flight``: however many threads send, AFAS SB gets at most that many requests at once."""

from __future__ import annotations

import threading

from ocafas.afas.client import AfasClient
from ocafas.afas.transport import AfasTransport
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN


def _peak_requests(limit: int | None, threads: int = 8) -> int:
    active = 0
    peak = 0
    lock = threading.Lock()

    def enter(_: object) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)

    def leave(_: object) -> None:
        nonlocal active
        with lock:
            active -= 1

    with AfasSandbox() as afas:
        afas.faults.set_latency(0.05)
        afas.on_request(enter, "GET ledgeraccounts", when="before", count=None)
        afas.on_request(leave, "GET ledgeraccounts", when="after", count=None)
        transport = AfasTransport(afas.base_url, DEFAULT_APP_TOKEN, max_in_flight=limit)
        client = AfasClient(transport)
        client.transport.access_token()
        start = threading.Barrier(threads)

        def work() -> None:
            start.wait()
            for _ in range(3):
                client.transport.request("GET", "ledgeraccounts", params={"Skip": 0, "Take": 1})

        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return peak


def test_at_most_max_in_flight_requests_at_once() -> None:
    assert _peak_requests(3) == 3
    assert _peak_requests(1) == 1


def test_without_a_limit_the_threads_send_together() -> None:
    assert _peak_requests(None) > 3
