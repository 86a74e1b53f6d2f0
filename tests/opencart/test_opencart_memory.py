"""Iterating a big shop keeps the client's memory flat: pages are fetched and dropped lazily."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from ocafas.opencart.client import OpenCartClient
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox


def _peak_while_iterating(client: OpenCartClient, count: int) -> int:
    """Peak traced memory above the start while handling the first ``count`` orders."""
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        seen = 0
        for page in client.iter_orders(None):
            seen += len(page.orders) + len(page.malformed)
            if seen >= count:
                break
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert seen == count
    return peak


@pytest.mark.slow
def test_memory_stays_flat_from_2000_to_10000_orders() -> None:
    # The sandbox keeps its orders as JSON bytes and pages in O(page), so what grows is the client.
    with OpenCartSandbox(generate=10_000, seed=5) as shop:
        client = OpenCartClient(shop.url, DEFAULT_KEY, page_size=100, backoff=0)
        small = _peak_while_iterating(client, 2_000)
        large = _peak_while_iterating(client, 10_000)
        client.close()
    print(
        f"\nclient peak above baseline: 2,000 orders {small / 1e6:.2f} MB, "
        f"10,000 orders {large / 1e6:.2f} MB ({large / small:.2f}x)"
    )
    # One page (100 orders) dominates; 5x the orders may not cost more than 1.5x the peak.
    assert large < small * 1.5
