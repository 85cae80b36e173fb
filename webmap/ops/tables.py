"""Every table the operations pages show, by name, as plain rows (for HTML and CSV)."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy.orm import Session

from twin import people_csv
from twin.coverage import coverage_gaps
from twin.live import (
    asset_state_rows,
    completeness,
    faulty_circuits,
    fiber_gaps,
    incident_rows,
    kpi_rows,
    quarantine_rows,
    renewal_ranking,
    trees_at_risk,
)

__all__ = ["TABLES", "rows_of", "to_csv", "twin_home"]


def twin_home():
    """``TWIN_HOME`` of the app: where the saved fiber plans are."""
    return current_app.config["TWIN_SETTINGS"].home


TABLES = {
    "kpi_commune": lambda s: kpi_rows(s, level="commune"),
    "kpi_province": lambda s: kpi_rows(s, level="province"),
    "renewals": lambda s: renewal_ranking(s)[0],
    "fiber_gaps": lambda s: fiber_gaps(s, home=twin_home())[0],
    "coverage_gaps": lambda s: coverage_gaps(twin_home())[0],
    "faulty_circuits": faulty_circuits,
    "trees_at_risk": lambda s: trees_at_risk(s)[0],
    "completeness": completeness,
    "incidents": incident_rows,
    "asset_state": asset_state_rows,
    "quarantine": quarantine_rows,
}


def rows_of(session: Session, name: str) -> list[dict]:
    return TABLES[name](session)


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = people_csv.dict_writer(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
