"""``twin zoning``: import plans, check them, decide on conflicts, export a report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from tqdm import tqdm

from twin.config import Settings
from twin.db.engine import get_engine, session_scope
from twin.zoning.model import DECISION_STATUSES, LEVELS, PLAN_STATUSES

__all__ = ["zoning"]


@click.group()
def zoning():
    """Urban plans: import, reconcile with each other and with the assets, decide, report."""


def _session(settings: Settings):
    return session_scope(get_engine(settings))


@zoning.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(LEVELS), required=True, help="Plan level.")
@click.option("--name", required=True, help="Plan name; importing it again adds a version.")
@click.option("--title", help="Full title of the plan.")
@click.option("--code-field", help="Field of the land-use code (default: usual names).")
@click.option(
    "--legend",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV legend_code,code mapping the plan's legend to national codes.",
)
@click.option("--crs", help="CRS of the file when it declares none (vn2000:bac-giang ...).")
@click.option(
    "--boundary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of the plan boundary (ranh giới lập quy hoạch): gaps are measured inside it.",
)
@click.option(
    "--boundary-layer",
    help="Drawings: the layer of the plan boundary (default RANH_GIOI, RGQH, BOUNDARY ...).",
)
@click.option(
    "--zone-layer",
    "zone_layers",
    multiple=True,
    help="Drawings: a layer of zones (repeatable; default every other layer).",
)
@click.option("--decision", "decision_number", help="Number of the approving decision.")
@click.option(
    "--decision-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Its date (YYYY-MM-DD)."
)
@click.option("--status", type=click.Choice(PLAN_STATUSES), default="draft", show_default=True)
@click.option("--user", default="cli", show_default=True, help="Who imports.")
@click.pass_obj
def import_cmd(settings: Settings, file: Path, legend, decision_date, user, **fields):
    """Import a plan from a GeoPackage, Shapefile, GeoJSON or DXF/DGN drawing FILE
    (VN-2000 or WGS 84), with its boundary when it has one."""
    from twin.zoning.codes import national_code
    from twin.zoning.reading import read_legend, read_plan_file
    from twin.zoning.store import plan_row, save_plan

    day: date | None = decision_date.date() if decision_date else None
    mapping = read_legend(legend) if legend else None
    read = read_plan_file(
        file,
        name=fields.pop("name"),
        level=fields.pop("level"),
        code_field=fields.pop("code_field"),
        crs=fields.pop("crs"),
        boundary=fields.pop("boundary"),
        boundary_layer=fields.pop("boundary_layer"),
        zone_layers=fields.pop("zone_layers"),
        legend=mapping,
        decision_date=day,
        **fields,
    )
    plan = read.plan
    with _session(settings) as session:
        plan_id = save_plan(session, plan, crs=read.crs, source=file.name, user=user)
        version = plan_row(session, plan_id).version
    for note in read.notes:
        click.echo(f"note: {note}")
    unknown = sorted(
        {z.code or "(none)" for z in plan.zones if not national_code(z.code, plan.legend)}
    )
    click.echo(
        f"plan {plan.id} version {version} ({plan.level}, {plan.status}) from {read.crs_text}: "
        f"{len(plan.zones)} zones, {len(plan.red_lines)} red lines, {len(plan.corridors)} corridors"
        + (", a boundary" if plan.boundary is not None else "")
    )
    if unknown:
        click.echo(f"codes not in the national list nor the legend: {', '.join(unknown)}")


@zoning.command("plans")
@click.pass_obj
def plans_cmd(settings: Settings):
    """List the plans and their versions (* marks the versions in force)."""
    from twin.zoning.store import plan_summaries

    with _session(settings) as session:
        for p in plan_summaries(session):
            decision = (
                f" decision {p['decision_number']} of {p['decision_date']}"
                if p["decision_number"]
                else ""
            )
            click.echo(
                f"{'*' if p['in_force'] else ' '} {p['name']}@{p['version']}  {p['level']:<8} "
                f"{p['status']:<10} {p['zones']:>7} zones{decision}"
            )


def _resolve(session, names, *, fallback):
    from twin.zoning.store import find_plan

    return [find_plan(session, name) for name in names] if names else fallback()


@zoning.command("check")
@click.option(
    "--plan",
    "plan_names",
    multiple=True,
    help="Plan to check (NAME or NAME@VERSION); repeatable. Default: every plan in force.",
)
@click.option(
    "--against",
    "against_names",
    multiple=True,
    help="Higher-level plan to check against; repeatable. Default: higher plans in force.",
)
@click.option(
    "--assets/--no-assets",
    default=True,
    show_default=True,
    help="Also check the assets near the plans.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run and its findings as JSON.")
@click.option("--user", default="cli", show_default=True)
@click.pass_obj
def check_cmd(settings: Settings, plan_names, against_names, assets, as_json, user):
    """Check plans against each other, higher plans and the assets; store the findings."""
    from twin.zoning import run_store, store
    from twin.zoning.service import default_against, run_check

    with _session(settings) as session:
        plans = _resolve(session, plan_names, fallback=lambda: store.plans_in_force(session))
        against = _resolve(session, against_names, fallback=lambda: default_against(session, plans))
        with tqdm(total=1, desc="zoning check", unit="step", disable=None) as bar:

            def progress(message, done, total):
                bar.total = total
                bar.n = done
                bar.set_postfix_str(str(message))

            outcome = run_check(
                session, plans, against, with_assets=assets, user=user, progress=progress
            )
        run = outcome.run
        if as_json:
            rows = run_store.run_findings(session, run.id)
            click.echo(json.dumps(_run_json(run, rows), ensure_ascii=False))
            return
    _print_summary(run, outcome)


def _run_json(run, rows) -> dict:
    from twin.zoning.run_store import finding_feature

    return {
        "run": {
            "id": run.id,
            "plan_ids": list(run.plan_ids),
            "against_ids": list(run.against_ids),
            "with_assets": run.with_assets,
            "asset_count": run.asset_count,
            "crs": run.crs,
            "counts": run.counts,
            "kept_decisions": run.kept_decisions,
            "stale_decisions": run.stale_decisions,
            "timings_s": run.timings,
        },
        "findings": {"type": "FeatureCollection", "features": [finding_feature(f) for f in rows]},
    }


def _print_summary(run, outcome) -> None:
    click.echo(f"run {run.id}: {len(outcome.findings)} findings in {run.crs}")
    width = max([len(kind) for kind in outcome.counts] + [4])
    for kind, count in outcome.counts.items():
        decided = sum(1 for f in outcome.findings if f.kind == kind and f.status != "open")
        click.echo(
            f"  {kind:<{width}} {count:>7}" + (f"  ({decided} decided earlier)" if decided else "")
        )
    if run.stale_decisions:
        click.echo(
            f"{run.stale_decisions} earlier decisions no longer match a conflict (changed or gone)"
        )
    click.echo(f"total time {sum(run.timings.values()):.1f} s")


@zoning.command("findings")
@click.option("--run", "run_id", type=int, help="Run id (default: the latest).")
@click.option("--kind", help="Only this kind.")
@click.option("--status", type=click.Choice(["open", *DECISION_STATUSES]), help="Only this status.")
@click.pass_obj
def findings_cmd(settings: Settings, run_id, kind, status):
    """List the findings of a run, with their ids for 'decide'."""
    from twin.zoning import run_store

    with _session(settings) as session:
        run_id = run_id or run_store.latest_run(session).id
        for f in run_store.run_findings(session, run_id):
            if (kind and f.kind != kind) or (status and f.status != status):
                continue
            size = (
                f"{f.area_m2:.0f} m²"
                if f.area_m2 is not None
                else f"{f.length_m:.1f} m"
                if f.length_m is not None
                else ""
            )
            click.echo(
                f"{f.id:>8} {f.kind:<26} {f.severity:<6} {f.status:<8} {size:>12}  {' '.join(f.involved)}"
            )


@zoning.command("decide")
@click.argument("finding_id", type=int)
@click.option("--status", type=click.Choice(DECISION_STATUSES), required=True)
@click.option("--note", required=True, help="Why: kept in the history of the conflict.")
@click.option("--user", required=True, help="The planner deciding.")
@click.pass_obj
def decide_cmd(settings: Settings, finding_id, status, note, user):
    """Mark a finding resolved or accepted; later runs keep it while the conflict is unchanged."""
    from twin.zoning.run_store import decide_finding

    with _session(settings) as session:
        finding = decide_finding(session, finding_id, status, note, user=user)
        click.echo(
            f"finding {finding.id} ({finding.kind}) {finding.status} by {user}: {finding.note}"
        )


@zoning.command("report")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--run", "run_id", type=int, help="Run id (default: the latest).")
@click.pass_obj
def report_cmd(settings: Settings, out_dir: Path, run_id):
    """Write the conflicts (GeoPackage, WGS 84), a CSV and an HTML summary per plan and kind."""
    from twin.zoning import run_store
    from twin.zoning.report import write_report

    with _session(settings) as session:
        run_id = run_id or run_store.latest_run(session).id
        paths = write_report(session, run_id, out_dir)
    for role, path in paths.items():
        click.echo(f"{role:<13} {path}")
