"""Taking queued messages in batches: one transaction carries many messages.

A batch closes when it is full or ``flush_s`` after its first message, so a
quiet stream is written without delay and a busy one in large transactions.
"""

from __future__ import annotations

import queue
import time

__all__ = ["take_batch"]


def take_batch(source: queue.Queue, *, size: int, flush_s: float, wait_s: float = 0.2) -> list:
    """Up to ``size`` items of ``source``: the first waited for at most ``wait_s``
    (none came: an empty list), the others for what is left of ``flush_s``
    after it."""
    try:
        first = source.get(timeout=wait_s)
    except queue.Empty:
        return []
    batch, deadline = [first], time.monotonic() + flush_s
    while len(batch) < size:
        remaining = deadline - time.monotonic()
        try:
            batch.append(source.get(timeout=remaining) if remaining > 0 else source.get_nowait())
        except queue.Empty:
            break
    return batch
