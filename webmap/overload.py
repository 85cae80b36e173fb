"""Graceful overload: past a bound of requests in hand, answer ``503`` at once.

A WSGI server with a fixed pool of threads queues what it cannot serve yet,
and under a flood that queue (and the memory it holds, and every client's
wait) grows without bound until clients time out.  :class:`InFlightLimit`
sits in front of the app and keeps two counts: at most ``workers`` requests
run the app at a time, and at most ``max_in_flight`` are in hand (running or
waiting for a worker).  A request past ``max_in_flight``, or one that waited
``wait_s`` for a worker, gets a ``503`` problem+json with ``Retry-After`` in
microseconds, without touching the database.

Static files and the health check cost nothing and are never refused, so
a page already open keeps its scripts and a supervisor sees the server is
alive.  The server must have threads for every request in hand plus a few to
answer the refusals: :func:`server_threads`.
"""

from __future__ import annotations

import json
import threading

from werkzeug.wsgi import ClosingIterator

__all__ = ["EXEMPT_PREFIXES", "static_prefixes", "SPARE_THREADS", "InFlightLimit", "install", "server_threads"]

#: Paths never refused whatever the app: vendored libraries, the health check.
EXEMPT_PREFIXES = ("/vendor/", "/health")
#: Threads beyond ``max_in_flight`` that answer refusals and exempt paths.
SPARE_THREADS = 4


def server_threads(max_in_flight: int) -> int:
    """Threads the WSGI server needs so that a refusal never waits behind admitted work."""
    return max_in_flight + SPARE_THREADS


class InFlightLimit:
    """WSGI layer bounding the requests in hand; the rest get ``503`` + ``Retry-After``.

    Parameters
    ----------
    wsgi_app
        The application to protect.
    workers
        Requests that may run ``wsgi_app`` at the same time.
    max_in_flight
        Requests in hand at most: running plus waiting for a worker
        (at least ``workers``).
    wait_s
        Longest wait for a worker, seconds, before a request is refused.
    retry_after_s
        What ``Retry-After`` tells a refused client, seconds.
    exempt
        Path prefixes never refused.
    """

    def __init__(self, wsgi_app, *, workers: int, max_in_flight: int, wait_s: float = 10.0,
                 retry_after_s: int = 1, exempt: tuple[str, ...] = EXEMPT_PREFIXES):
        if workers < 1 or max_in_flight < workers:
            raise ValueError(
                f"need 1 <= workers <= max_in_flight, not workers={workers}, "
                f"max_in_flight={max_in_flight}"
            )
        self.wsgi_app = wsgi_app
        self.workers = workers
        self.max_in_flight = max_in_flight
        self.wait_s = wait_s
        self.retry_after_s = retry_after_s
        self.exempt = exempt
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self.in_flight = 0
        self.refused = 0

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.exempt):
            return self.wsgi_app(environ, start_response)
        with self._lock:
            admitted = self.in_flight < self.max_in_flight
            if admitted:
                self.in_flight += 1
            else:
                self.refused += 1
        if not admitted:
            return self._busy(start_response, f"{self.max_in_flight} requests are in hand")
        if not self._slots.acquire(timeout=self.wait_s):
            self._leave()
            with self._lock:
                self.refused += 1
            return self._busy(start_response, f"no worker was free for {self.wait_s:g} s")
        try:
            body = self.wsgi_app(environ, start_response)
        except BaseException:
            self._done()
            raise
        # The slot is held until the body is sent: a streamed body still runs app code.
        return ClosingIterator(body, self._done)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _done(self) -> None:
        self._slots.release()
        self._leave()

    def _busy(self, start_response, why: str):
        problem = {
            "type": "about:blank",
            "title": "Service unavailable",
            "status": 503,
            "detail": f"the server is busy ({why}); try again in {self.retry_after_s} s",
        }
        body = json.dumps(problem).encode("utf-8")
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "application/problem+json"),
                ("Content-Length", str(len(body))),
                ("Retry-After", str(self.retry_after_s)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [body]


def static_prefixes(app) -> tuple[str, ...]:
    """Where the Flask ``app`` and its blueprints serve static files (``/map/static/``)."""
    prefixes = [f"{app.static_url_path}/"] if app.has_static_folder else []
    for bp in app.blueprints.values():
        if bp.has_static_folder:
            prefixes.append(f"{bp.url_prefix or ''}{bp.static_url_path or '/static'}/")
    return tuple(prefixes)


def install(app, *, workers: int, max_in_flight: int, wait_s: float = 10.0) -> InFlightLimit:
    """Put an :class:`InFlightLimit` in front of everything ``app`` serves; returns it."""
    limit = InFlightLimit(app.wsgi_app, workers=workers, max_in_flight=max_in_flight,
                          wait_s=wait_s, exempt=EXEMPT_PREFIXES + static_prefixes(app))
    app.wsgi_app = limit
    app.extensions["twin_in_flight_limit"] = limit
    return limit
