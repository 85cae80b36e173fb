"""Work done ahead in a thread: order, errors where they belong, early stops."""

from __future__ import annotations

import threading

import pytest

from twin.bulk.pipeline import ahead


def test_items_arrive_in_order():
    with ahead(iter(range(50)), depth=3) as items:
        assert list(items) == list(range(50))


def test_an_error_is_raised_where_its_item_would_be():
    def numbers():
        yield 1
        yield 2
        raise ValueError("third")

    seen = []
    with pytest.raises(ValueError, match="third"), ahead(numbers()) as items:
        for n in items:
            seen.append(n)
    assert seen == [1, 2]


def test_leaving_early_stops_the_thread():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    with ahead(endless(), depth=2) as items:
        assert next(items) == 0
    assert not any(t.name == "bulk-ahead" for t in threading.enumerate())
    assert len(produced) <= 5
