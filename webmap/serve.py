"""Serving the web app with waitress, a production WSGI server (used by ``twin run``)."""

from __future__ import annotations

import waitress

from twin.config import Settings

from . import create_app, overload
from .jobs import pool as jobs
from .session_key import generated_key, require_strong_key

__all__ = ["IN_FLIGHT_PER_THREAD", "check_key", "serve", "server_options"]

#: Requests in hand per worker thread, unless ``Settings.max_in_flight`` says.
IN_FLIGHT_PER_THREAD = 4


def check_key(settings: Settings, host: str) -> None:
    """Refuse ``host`` beyond this machine when the session key is weak (before any work)."""
    require_strong_key(settings.secret_key or generated_key(settings.home), host)


def server_options(app, settings: Settings, threads: int) -> dict:
    """Bound ``app``'s work (:mod:`webmap.overload`) and give waitress matching limits.

    ``threads`` requests run at once, ``Settings.max_in_flight`` are in hand;
    waitress gets a thread for each of those and a few to refuse the rest, so
    its own task queue stays short.  Idle connections are closed after 30 s;
    a client past ``connection_limit`` waits in the listen backlog.
    """
    max_in_flight = settings.max_in_flight or IN_FLIGHT_PER_THREAD * threads
    overload.install(app, workers=threads, max_in_flight=max(threads, max_in_flight),
                     wait_s=settings.queue_wait_s)
    return {
        "threads": overload.server_threads(max(threads, max_in_flight)),
        "connection_limit": 500,
        "backlog": 1024,
        "channel_timeout": 30,
        "cleanup_interval": 10,
        "asyncore_use_poll": True,  # select() cannot watch past 1,024 descriptors
    }


def serve(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 8
) -> None:
    """Serve the twin's map and API until interrupted."""
    check_key(settings, host)
    app = create_app(settings)
    jobs.start(app)  # jobs a previous server left running are marked failed first
    options = server_options(app, settings, threads)
    print(
        f"the map: http://{host}:{port}/map/   (OGC API: http://{host}:{port}/, "
        f"OpenAPI: /api)",
        flush=True,
    )
    waitress.serve(app, host=host, port=port, ident="twin", **options)
