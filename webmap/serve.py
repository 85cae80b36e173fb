"""Serving the web app with waitress, a production WSGI server (used by ``twin run``)."""

from __future__ import annotations

import waitress

from twin.config import Settings

from . import create_app

__all__ = ["serve"]


def serve(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 8
) -> None:
    """Serve the twin's map and API until interrupted."""
    app = create_app(settings)
    print(
        f"the map: http://{host}:{port}/map/   (OGC API: http://{host}:{port}/, "
        f"OpenAPI: /api)",
        flush=True,
    )
    waitress.serve(app, host=host, port=port, threads=threads, ident="twin")
