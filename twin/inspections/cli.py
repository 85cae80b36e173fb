"""``twin inspections``: the declared inspection forms and an asset's inspections."""

from __future__ import annotations

import json

import click

from twin.config import Settings

__all__ = ["inspections"]


@click.group()
def inspections():
    """Inspections declared with the layers, and the inspections of an asset."""


@inspections.command("forms")
def forms():
    """List every inspection form: its table, checks and the attribute its rule sets."""
    from . import FORMS

    for table, (ft, form) in FORMS.items():
        checks = ", ".join(a.name for a in form.checks)
        click.echo(f"{table}\t{ft.table}.{form.rule.sets} by {form.rule.method}\t{checks}")
        click.echo(f"\tsource: {form.rule.source}")


@inspections.command("history")
@click.argument("table")
@click.argument("code")
def history(table: str, code: str):
    """Print the inspections of asset CODE of feature type TABLE (newest first) as JSON."""
    from twin.db.engine import get_engine, session_scope

    from . import asset_inspections

    with session_scope(get_engine(Settings.from_env())) as session:
        _, rows = asset_inspections(session, table, code)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
