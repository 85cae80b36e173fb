"""``twin maintenance``: recurring plans and the open work orders from the command line."""

from __future__ import annotations

import json
from datetime import date

import click

from twin.config import Settings

__all__ = ["maintenance"]


@click.group()
def maintenance():
    """Maintenance work: recurring plans and work orders."""


@maintenance.command("plan")
@click.argument("table")
@click.option("--every", "every_months", type=int, required=True, help="months between visits")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="plan the assets due by this day")
@click.option("--title", required=True, help="what the crew is to do")
@click.option("--commune", default=None, help="only the assets of this commune (code)")
@click.option("--user", default="planner", show_default=True)
def plan(table: str, every_months: int, until, title: str, commune: str | None, user: str):
    """One work order of the TABLE assets not inspected in the last N months."""
    from twin.db.engine import get_engine, session_scope

    from . import plan_recurring

    with session_scope(get_engine(Settings.from_env())) as session:
        order = plan_recurring(session, table, every_months=every_months, title=title,
                               until=until.date(), user=user, commune=commune)
    if order is None:
        click.echo(f"no {table} asset is due by {until.date().isoformat()}")
    else:
        click.echo(f"work order {order['id']}: {len(order['assets'])} assets from "
                   f"{order['planned_start']}")


@maintenance.command("list")
@click.option("--all", "everything", is_flag=True, help="closed work orders too")
def listing(everything: bool):
    """Print the open (or all) work orders as JSON."""
    from twin.db.engine import get_engine, session_scope

    from . import work_orders

    with session_scope(get_engine(Settings.from_env())) as session:
        rows = work_orders(session, open_only=not everything)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=date.isoformat))
