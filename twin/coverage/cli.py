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


@coverage.command("plan")
@click.option("--target", type=click.FloatRange(0, 100), default=100.0, show_default=True,
              help="Share of households to cover (%).")
@click.pass_obj
def plan_command(settings, target):
    """New 4G sites (poles, tall buildings, hilltops), greedy, until TARGET % of households.

    Writes $TWIN_HOME/coverage/plan/ (plan.json and curve.png, the coverage curve).
    """
    from twin.config import Settings
    from twin.coverage import plan
    from twin.db.engine import get_engine, session_scope

    settings = settings or Settings.from_env()
    with session_scope(get_engine(settings)) as session:
        result = plan(session, settings.home, target)
    steps = result["steps"]
    reached = steps[-1]["covered_pct"] if steps else result["start_pct"]
    cost = steps[-1]["cost_vnd"] if steps else 0.0
    click.echo(f"{result['start_pct']:.1f} % of households covered today; {len(steps)} new "
               f"sites reach {reached:.1f} % (target {target:g} %) for {cost:,.0f} VND")
    for i, s in enumerate(steps, 1):
        click.echo(f"  {i:3d}. {s['kind']:<8} {s['code'] or '':<16} {s['lon']:.5f},{s['lat']:.5f}"
                   f"  +{s['households_added']:.0f} households  {s['covered_pct']:.1f} %")
