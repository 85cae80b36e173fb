"""``twin coverage``: line of sight and mobile coverage over the DEM."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["coverage"]


def _lonlat(_ctx, _param, value: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: give LON,LAT in degrees, e.g. 106.19,21.27") from None
    return lon, lat


@click.group(name="coverage")
def coverage():
    """Mobile coverage: viewsheds, cell-site coverage and new-site planning."""


@coverage.command("viewshed")
@click.argument("dem", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--at", "at", required=True, callback=_lonlat, help="Observer LON,LAT (WGS 84).")
@click.option("--height", type=float, required=True, help="Observer height above ground (m).")
@click.option("--target-height", type=float, default=0.0, show_default=True,
              help="Target height above ground (m).")
@click.option("--max-distance", type=float, default=None, help="Radius (m); default the whole DEM.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="GeoTIFF written: 255 visible, 0 not.")
def viewshed_command(dem, at, height, target_height, max_distance, out):
    """Cells of DEM seen from a point HEIGHT metres above ground (as gdal_viewshed)."""
    from twin.coverage import viewshed_file

    share = viewshed_file(dem, at, height, out, target_height_m=target_height,
                          max_distance_m=max_distance)
    click.echo(f"{out}: {100 * share:.1f} % of the cells visible")


@coverage.command("compute")
@click.option("--technology", type=click.Choice(["all", "4g", "5g"]), default="all",
              show_default=True, help="Sites of one technology, or all.")
@click.pass_obj
def compute_command(settings, technology):
    """Coverage of the cell sites in service over the DEM; shares per commune.

    Writes $TWIN_HOME/coverage/TECHNOLOGY/ (summary.json, rsrp.tif, the map
    overlay) and prints the communes furthest from full coverage.
    """
    from twin.config import Settings
    from twin.coverage import compute
    from twin.db.engine import get_engine, session_scope

    settings = settings or Settings.from_env()
    with session_scope(get_engine(settings)) as session:
        summary = compute(session, settings.home, technology)
    click.echo(f"{summary['sites']} sites: {summary['households_pct']:.1f} % of "
               f"{summary['households']:.0f} households covered ({technology})")
    for row in sorted(summary["communes"], key=lambda r: r["households_pct"])[:10]:
        click.echo(f"  {row['name'] or row['commune']}: {row['households_pct']:.1f} % of "
                   f"households, {row['villages_covered']:.0f}/{row['villages']:.0f} villages")
