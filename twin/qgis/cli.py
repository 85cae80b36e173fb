"""``twin qgis project``: a QGIS project of this twin."""

from __future__ import annotations

from pathlib import Path

import click

from twin.config import Settings
from twin.db.engine import get_engine, session_scope

from .project import DEFAULT_ZONE, write_project
from .service import options_for

__all__ = ["qgis"]


@click.group()
def qgis():
    """QGIS: a project generated from the layer declarations."""


@qgis.command("project")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("twin.qgz"),
              show_default=True, help="A .qgz (zipped) or .qgs file.")
@click.option("--via", type=click.Choice(["postgis", "oapif"]), default="postgis",
              show_default=True, help="Read PostGIS with your database login, or the OGC API.")
@click.option("--service", default="twin", show_default=True,
              help="The pg_service.conf entry (twin users db-login prints it).")
@click.option("--url", default="http://127.0.0.1:8000/", show_default=True,
              help="The twin's address, for --via oapif.")
@click.option("--authcfg", default="", help="A QGIS authentication config holding an API token.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--crs", "zone", default=DEFAULT_ZONE, show_default=True,
              help="The project's CRS, e.g. vn2000:bac-ninh-cu.")
@click.pass_obj
def project(settings: Settings, out, via, service, url, authcfg, lang, zone):
    """Write a QGIS project: a group per layer, styles, aliases, snapping, the DEM."""
    with session_scope(get_engine(settings)) as session:
        opts = options_for(session, settings, via=via, service=service, url=url,
                           authcfg=authcfg, lang=lang, zone=zone)
    path = write_project(out, opts)
    click.echo(f"QGIS project written to {path} ({via}, {lang}, {zone})")
