"""Serving the web app with waitress, a production WSGI server (used by ``twin run``)."""

from __future__ import annotations

import waitress

from twin.config import Settings

from . import create_app
from .jobs import pool as jobs
from .session_key import generated_key, require_strong_key

__all__ = ["check_key", "serve"]


def check_key(settings: Settings, host: str) -> None:
    """Refuse ``host`` beyond this machine when the session key is weak (before any work)."""
    require_strong_key(settings.secret_key or generated_key(settings.home), host)


def serve(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 8
) -> None:
    """Serve the twin's map and API until interrupted."""
    check_key(settings, host)
    app = create_app(settings)
    jobs.start(app)  # jobs a previous server left running are marked failed first
    print(
        f"the map: http://{host}:{port}/map/   (OGC API: http://{host}:{port}/, "
        f"OpenAPI: /api)",
        flush=True,
    )
    waitress.serve(app, host=host, port=port, threads=threads, ident="twin")
