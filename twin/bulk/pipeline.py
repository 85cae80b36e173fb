"""Items of an iterator computed ahead in a background thread.

The text of the next chunk of rows is built while the database digests the
one just sent: the writing thread waits on the socket (the GIL released),
so the two overlap even in one Python process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ahead"]

_END = object()


@contextmanager
def ahead(items: Iterator, *, depth: int = 2):
    """Yield an iterator over ``items``, which a thread computes ``depth`` ahead.

    An exception raised while computing an item is raised where that item
    would have been read; leaving the block early stops the thread.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as exc:  # handed to the reading thread
            put((None, exc))

    def read():
        while True:
            item, error = buffer.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item

    thread = threading.Thread(target=work, name="bulk-ahead", daemon=True)
    thread.start()
    try:
        yield read()
    finally:
        stop.set()
        thread.join()
