"""``twin demo``: load the demo city of Bắc Giang and report on its networks."""

from __future__ import annotations

import json

import click
from sqlalchemy import create_engine, pool

from ..config import Settings
from ..db import migrate
from ..db.engine import database_url
from .scales import SCALES

__all__ = ["demo"]


@click.group()
def demo():
    """The demo twin: a generated town in the real geography of Bắc Giang."""


@demo.command("load")
@click.option(
    "--scale",
    default="city",
    show_default=True,
    type=click.Choice(list(SCALES)),
    help="small: a few blocks (tests); city: Bắc Giang city; province: ≥ 1 M assets.",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=int,
    help="Same seed, same city (codes and geometry).",
)
@click.option("--replace", is_flag=True, help="Wipe the features already in the twin first.")
@click.option("--no-history", is_flag=True, help="Do not record the loads in audit.bulk_load.")
@click.pass_obj
def load_cmd(settings: Settings, scale, seed, replace, no_history):
    """Generate the demo twin and load it with COPY (progress bar, report at the end)."""
    from .load import load

    url = database_url(settings)
    migrate.upgrade(url)
    load(
        url,
        scale=scale,
        seed=seed,
        home=settings.home,
        echo=click.echo,
        replace=replace,
        history=not no_history,
    )


@demo.command("report")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def report_cmd(settings: Settings, as_json):
    """Connectivity of every network layer and features without a commune."""
    from .report import format_report, network_report

    engine = create_engine(database_url(settings), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            report = network_report(conn)
    finally:
        engine.dispose()
    click.echo(json.dumps(report, indent=1) if as_json else format_report(report))


@demo.command("conflicts")
@click.option("--scale", default="city", show_default=True, type=click.Choice(list(SCALES)))
@click.option("--seed", default=1, show_default=True, type=int)
def conflicts_cmd(scale, seed):
    """The inconsistencies planted in the demo zoning plans, as JSON."""
    from .generate import planted_conflicts

    click.echo(json.dumps(planted_conflicts(seed, scale), ensure_ascii=False, indent=1))
