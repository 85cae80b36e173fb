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
