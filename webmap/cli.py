"""``twin web serve``: the map and the feature API over HTTP."""

from __future__ import annotations

import click

from twin.config import Settings

__all__ = ["serve", "web"]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for every interface).",
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=int,
    help="Requests served at once; more wait, up to TWIN_MAX_IN_FLIGHT in hand, then get 503.",
)
@click.option(
    "--replica",
    "replicas",
    multiple=True,
    metavar="URL",
    help="A hot standby of the database for reads (repeatable; adds to DATABASE_REPLICA_URLS).",
)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, threads: int, replicas: tuple[str, ...]):
    """Serve the web map, OGC API – Features and vector tiles (waitress)."""
    from .serve import serve as run_server

    settings = settings or Settings.from_env()
    if replicas:
        settings = settings.with_(replica_urls=(*settings.replica_urls, *replicas))
    run_server(settings, host=host, port=port, threads=threads)


@click.group("web")
def web():
    """The web map, the feature API and the vector tiles."""


web.add_command(serve)
