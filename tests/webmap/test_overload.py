"""Graceful overload over real HTTP: past the bound, a quick 503 problem+json, never a queue."""

from __future__ import annotations

import http.client
import json
import threading
import time
from contextlib import contextmanager

import pytest
import waitress

from tests.webmap.map.apptest import make_app, stop_server
from twin.config import Settings
from webmap.overload import InFlightLimit, server_threads
from webmap.serve import server_options


class Gate:
    """A WSGI app whose requests wait until the gate opens (``/health`` never waits)."""

    def __init__(self):
        self.opened = threading.Event()
        self.entered = threading.Semaphore(0)

    def __call__(self, environ, start_response):
        if not environ["PATH_INFO"].startswith("/health"):
            self.entered.release()
            self.opened.wait(timeout=30)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]


@contextmanager
def serving(wsgi_app, threads: int):
    server = waitress.create_server(wsgi_app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        stop_server(server, thread)


def fetch(port: int, path: str, timeout: float = 30) -> tuple[int, dict, bytes, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body, time.perf_counter() - started


def fill(port: int, n: int, results: list) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=lambda: results.append(fetch(port, "/work")[0])) for _ in range(n)
    ]
    for t in threads:
        t.start()
    return threads


@contextmanager
def gated(**bounds):
    """A :class:`Gate` behind an :class:`InFlightLimit` of ``bounds``, served."""
    gate = Gate()
    limit = InFlightLimit(gate, **bounds)
    with serving(limit, server_threads(limit.max_in_flight)) as port:
        yield gate, limit, port


def test_past_the_bound_a_quick_503_then_service_again():
    with gated(workers=2, max_in_flight=4, wait_s=20) as (gate, limit, port):
        results: list[int] = []
        waiting = fill(port, 4, results)
        for _ in range(2):  # both workers busy, two more waiting for them
            assert gate.entered.acquire(timeout=10)
        deadline = time.monotonic() + 10
        while limit.in_flight < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert limit.in_flight == 4

        status, headers, body, took = fetch(port, "/work")
        assert status == 503
        assert took < 1.0
        assert headers["Content-Type"] == "application/problem+json"
        assert headers["Retry-After"] == "1"
        problem = json.loads(body)
        assert problem["status"] == 503 and "4 requests are in hand" in problem["detail"]
        assert fetch(port, "/health")[0] == 200  # exempt: served even now

        gate.opened.set()
        for t in waiting:
            t.join(timeout=30)
        assert results == [200] * 4
        _settled(limit)
        assert fetch(port, "/work")[0] == 200
        assert limit.refused == 1


def _settled(limit, seconds: float = 5.0) -> None:
    """No request in hand once the answers are read: the worker lets go of its slot
    just after it has written the response, so the count may lag the client."""
    deadline = time.monotonic() + seconds
    while limit.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    assert limit.in_flight == 0


def test_a_request_waiting_too_long_for_a_worker_is_refused():
    with gated(workers=1, max_in_flight=3, wait_s=0.3) as (gate, limit, port):
        results: list[int] = []
        busy = fill(port, 1, results)
        assert gate.entered.acquire(timeout=10)
        status, headers, body, took = fetch(port, "/work")
        assert status == 503 and 0.3 <= took < 2.0
        assert "no worker was free for 0.3 s" in json.loads(body)["detail"]
        gate.opened.set()
        busy[0].join(timeout=30)
        assert results == [200]
        _settled(limit)


def test_bounds_must_make_sense():
    with pytest.raises(ValueError, match="workers"):
        InFlightLimit(Gate(), workers=4, max_in_flight=2)


def test_the_served_app_is_bounded_in_front_of_everything(tmp_path):
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    settings = Settings(home=tmp_path, max_in_flight=6, queue_wait_s=2.5)
    options = server_options(app, settings, threads=3)
    limit = app.wsgi_app
    assert isinstance(limit, InFlightLimit)
    assert (limit.workers, limit.max_in_flight, limit.wait_s) == (3, 6, 2.5)
    assert options["threads"] == server_threads(6)
    assert options["connection_limit"] >= 128
    assert {"/vendor/", "/health", "/map/static/", "/fiber/static/"} <= set(limit.exempt)
    assert not any(p.startswith("/collections") for p in limit.exempt)
    with serving(app, options["threads"]) as port:
        status, headers, _, _ = fetch(port, "/map/static/map/icon.svg")
        assert status == 200
    default = server_options(make_app("postgresql+psycopg://x@127.0.0.1:1/x", tmp_path),
                             Settings(home=tmp_path), threads=8)
    assert default["threads"] == server_threads(32)
