"""``twin fiber plan``: design, phase and store the fibre rollout of the twin."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from twin.config import Settings

__all__ = ["plan"]


@click.command(name="plan")
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="Horizon N: the year by which both targets should be met.",
)
@click.option(
    "--budget-per-year",
    "budget",
    type=click.FloatRange(min=0),
    default=None,
    metavar="VND",
    help="Annual budget in VND (default: the least that meets both targets by N).",
)
@click.option(
    "--redundant-above",
    type=click.IntRange(min=1),
    default=None,
    metavar="HOUSEHOLDS",
    help="Villages with at least this many households get a second, disjoint path.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also export to this .gpkg or .geojson (CSV tables beside it).",
)
@click.option(
    "--costs",
    "costs_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of prices and rules to lay over the defaults (key,value[,unit]).",
)
@click.option(
    "--plan-id",
    default="fiber-plan",
    show_default=True,
    help="Name of the plan; a new run replaces its planned assets.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds for the Steiner search.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the search.")
@click.option(
    "--household-target",
    type=click.FloatRange(0, 1),
    default=0.8,
    show_default=True,
    help="Share of households to cover.",
)
@click.option("--no-write", is_flag=True, help="Do not write the planned assets to the twin.")
@click.option(
    "--order-limit",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Steps of the build order to print (0: all).",
)
@click.pass_obj
def plan(
    settings: Settings,
    years,
    budget,
    redundant_above,
    out,
    costs_file,
    plan_id,
    time_limit,
    seed,
    household_target,
    no_write,
    order_limit,
):
    """Plan the fibre rollout to every unconnected village.

    Prints the bill of quantities, the phase table, the targets and the
    build order; writes the plan to the twin as planned telecom assets and
    its files to $TWIN_HOME/fiber/PLAN_ID/.
    """
    from tqdm import tqdm

    from twin.db.engine import get_engine

    from .costs import load_costs
    from .plan import PlanOptions
    from .service import run_plan

    settings = settings or Settings.from_env()
    options = PlanOptions(
        years=years,
        budget_per_year_vnd=budget,
        redundant_above=redundant_above,
        household_target_share=household_target,
        time_limit_s=time_limit,
        seed=seed,
    )
    costs = load_costs(costs_file)
    with tqdm(total=100, desc="planning", unit="%", leave=False) as bar:

        def progress(message, done, total):
            bar.set_description(message)
            bar.update(done - bar.n)

        run = run_plan(
            get_engine(settings),
            settings.home,
            options,
            plan_id=plan_id,
            user="twin fiber plan",
            costs=costs,
            write=not no_write,
            progress=progress,
        )
    _report(run, plan_id, order_limit)
    if out is not None:
        _export(run, out)


def _report(run, plan_id: str, order_limit: int) -> None:
    """Print the plan, what was written to the twin and where its files are."""
    from .report import plan_report

    click.echo(plan_report(run.plan, order_limit=order_limit or None))
    click.echo("")
    if run.written:
        w = run.written
        click.echo(
            f"written to the twin (plan {plan_id}): {w['telecom_access_node']} access nodes, "
            f"{w['telecom_cabinet']} cabinets and closures, {w['telecom_cable']} cables "
            f"(replacing {w['removed']})"
        )
    click.echo(f"files: {run.folder}")


def _export(run, out: Path) -> None:
    from .export import write_csv_tables, write_plan_file

    out.parent.mkdir(parents=True, exist_ok=True)
    saved = run.folder / f"{run.plan.plan_id}{out.suffix.lower()}"
    if saved.is_file():
        shutil.copyfile(saved, out)
    else:
        write_plan_file(run.plan, out)
    tables = write_csv_tables(run.plan, out.parent, out.stem)
    click.echo(f"exported: {out} and {len(tables)} CSV tables ({out.stem}_*.csv)")
