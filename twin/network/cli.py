"""``twin network``: check, segments, criticality and outage."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.orm import Session

from twin.config import Settings
from twin.db.engine import get_engine
from twin.declare import normal_code
from twin.network.checks import dem_path, network_problems, problems_geojson
from twin.network.graph import UTILITIES
from twin.network.places import asset_tables
from twin.network.rankings import (
    RANKED_UTILITIES,
    criticality,
    criticality_geojson,
    segments_report,
)
from twin.network.records import network_tables, utility_of_table
from twin.network.registry import registry_for
from twin.network.service import analyse_outage, outage_summary
from twin.network.workorder import format_report, workorder_csv

__all__ = ["network", "outage"]


@contextmanager
def _session(settings: Settings):
    with Session(get_engine(settings)) as session:
        try:
            yield session
        finally:
            session.rollback()


def _load_with_progress(registry, utilities) -> dict:
    """Load (or refresh) ``utilities`` with a progress bar per table read."""
    from tqdm import tqdm

    tables = sum(len(network_tables(u).all) for u in utilities)
    with tqdm(total=tables, desc="loading networks", unit="table", leave=False) as bar:

        def on_table(table, rows):
            bar.set_postfix_str(f"{table}: {rows} rows")
            bar.update(1)

        with registry.graphs(utilities, on_table=on_table) as graphs:
            return graphs


@contextmanager
def _analysis_progress():
    """A progress bar per step of an analysis, for ``on_progress(step, done, total)``."""
    from tqdm import tqdm

    bars = {}

    def on_progress(step: str, done: int, total: int) -> None:
        if step not in bars:
            bars[step] = tqdm(total=total, desc=step, leave=False)
        bars[step].update(done - bars[step].n)

    try:
        yield on_progress
    finally:
        for bar in bars.values():
            bar.close()


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))


def _write_json(path: str, data) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@click.group()
def network():
    """Topology of the utility networks: checks, valve segments, criticality."""


@network.command("check")
@click.option(
    "--layer",
    "layers",
    multiple=True,
    type=click.Choice(UTILITIES),
    help="Network to check (repeatable; default: every network).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option(
    "--geojson",
    "geojson_out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the located problems as GeoJSON for the map.",
)
@click.pass_obj
def check_cmd(settings: Settings, layers, as_json, geojson_out):
    """Report components, dangling and unsnapped ends, duplicate nodes, loops in
    radial feeders, drainage cycles and reversed slopes, each located."""
    utilities = list(layers) or list(UTILITIES)
    with _session(settings) as session:
        registry = registry_for(session)
        graphs = _load_with_progress(registry, utilities)
        dem = dem_path(session, settings.home)
        found = {u: network_problems(session, graphs[u], dem=dem) for u in utilities}
    features = [f for u in utilities for f in problems_geojson(graphs[u], found[u])["features"]]
    if geojson_out:
        _write_json(geojson_out, {"type": "FeatureCollection", "features": features})
    if as_json:
        _echo_json({u: [p.to_dict() for p in found[u]] for u in utilities})
        return
    for u in utilities:
        counts: dict[str, int] = {}
        for p in found[u]:
            counts[p.kind] = counts.get(p.kind, 0) + 1
        summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "no problems"
        click.echo(f"{u:<9} {summary}")
        for p in [p for p in found[u] if p.severity == "error"][:20]:
            click.echo(f"  {p.kind:<24} {p.code:<18} {p.message}")
    if dem is None:
        click.echo("(no DEM registered: drainage slopes checked on inverts only)")


@network.command("segments")
@click.option(
    "--layer",
    default="water",
    show_default=True,
    type=click.Choice(["water"]),
    help="Network whose valve segments to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every segment as JSON.")
@click.pass_obj
def segments_cmd(settings: Settings, layer, as_json):
    """Every valve segment: its pipes and junctions by code and its bounding valves."""
    with _session(settings) as session:
        registry = registry_for(session)
        _load_with_progress(registry, [layer])
        report = segments_report(registry.isolation_model())
    if as_json:
        _echo_json(report)
        return
    sizes = sorted(report["segments"], key=lambda s: -s["length_m"])
    click.echo(f"{len(report['segments'])} valve segments, {len(report['valves'])} valves")
    for s in sizes[:10]:
        click.echo(
            f"  segment {s['id']:>5}: {len(s['pipes']):>5} pipes {s['length_m']:>10.0f} m "
            f"{s['customers']:>5} customers, {len(s['valves'])} valves"
        )


@network.command("criticality")
@click.option("--layer", default="water", show_default=True, type=click.Choice(RANKED_UTILITIES))
@click.option("--top", default=20, show_default=True, type=int, help="Entries to keep.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option(
    "--geojson",
    "geojson_out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the ranked segments as GeoJSON lines for the map.",
)
@click.pass_obj
def criticality_cmd(settings: Settings, layer, top, as_json, geojson_out):
    """Rank valve segments (water) or switchable sections (power) by the
    households and critical facilities their outage would cut."""
    with _session(settings) as session:
        registry = registry_for(session)
        _load_with_progress(registry, [layer])
        with _analysis_progress() as on_progress:
            G, seg, entries = criticality(registry, layer, top=top, on_progress=on_progress)
        if geojson_out:
            _write_json(geojson_out, criticality_geojson(session, G, seg, entries))
    if as_json:
        _echo_json([{"rank": i, **e.to_dict()} for i, e in enumerate(entries, start=1)])
        return
    for i, e in enumerate(entries, start=1):
        click.echo(
            f"{i:>3}. score {e.score:>9.0f}  households {e.households_isolated:>6} isolated "
            f"{e.households_cut_off:>6} cut off  critical {e.critical_facilities:>2}  "
            f"devices {', '.join(e.devices[:4])}{' ...' if len(e.devices) > 4 else ''}"
        )


@click.command("outage")
@click.argument("codes", nargs=-1, required=True)
@click.option(
    "--unavailable", multiple=True, help="Valve or switch that cannot be operated now (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "--summary",
    "as_summary",
    is_flag=True,
    help="Print the light summary the web page gets as JSON (lists paged on the web).",
)
@click.option(
    "--workorder-csv",
    "csv_out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the crew's work order as CSV.",
)
@click.pass_obj
def outage(settings: Settings, codes, unavailable, as_json, as_summary, csv_out):
    """Analyse the failure of ASSET_CODE(s): isolation or switching, customers
    per street, critical facilities, cascade, and the crew's work order.
    Codes may be typed in any case."""
    codes = [normal_code(c) for c in codes]
    with _session(settings) as session:
        registry = registry_for(session)
        utilities = {utility_of_table(t) for t in asset_tables(session, codes).values()}
        if "power" in utilities:
            utilities = set(UTILITIES)
        _load_with_progress(registry, sorted(u for u in utilities if u))
        if as_summary:
            _echo_json(outage_summary(session, codes, unavailable=unavailable))
            return
        report = analyse_outage(session, codes, unavailable=unavailable)
    if csv_out:
        Path(csv_out).write_text(workorder_csv(report), encoding="utf-8")
    if as_json:
        _echo_json(report)
    else:
        click.echo(format_report(report))


network.add_command(outage)
