"""Every table the operations pages show, by name, as plain rows (for HTML and CSV)."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin import people_csv
from twin.coverage import coverage_gaps
from twin.live import decisions, kpi, quality

__all__ = ["TABLES", "rows_of", "to_csv", "twin_home"]


def twin_home():
    """``TWIN_HOME`` of the app: where the saved fiber plans are."""
    return current_app.config["TWIN_SETTINGS"].home


def _query(sql: str):
    """A table straight from one SQL query."""

    def rows(session: Session) -> list[dict]:
        return [dict(r._mapping) for r in session.execute(text(sql))]

    return rows


_incidents = _query(
    "SELECT i.code, i.title, i.rule_id, i.severity, i.status, i.owner, i.asset_table, "
    "i.asset_code, coalesce(u.name, i.commune) AS commune, i.opened_at, i.closed_at, "
    "i.closing_note, (i.details ->> 'customers_affected')::int AS customers FROM live.incident i "
    "LEFT JOIN base.base_admin_unit u ON u.code = i.commune ORDER BY i.opened_at DESC"
)
_state = _query(
    "SELECT asset_code, asset_table, status, last_ts, device_id, readings::text AS readings "
    "FROM live.asset_state ORDER BY asset_table, asset_code"
)
_quarantine = _query(
    "SELECT received_at, topic, reason, device_id, msg_id, payload FROM live.quarantine "
    "ORDER BY id DESC LIMIT 10000"
)


TABLES = {
    "kpi_commune": lambda s: kpi.kpi_rows(s, level="commune"),
    "kpi_province": lambda s: kpi.kpi_rows(s, level="province"),
    "renewals": lambda s: decisions.renewal_ranking(s)[0],
    "fiber_gaps": lambda s: decisions.fiber_gaps(s, home=twin_home())[0],
    "coverage_gaps": lambda s: coverage_gaps(twin_home())[0],
    "faulty_circuits": decisions.faulty_circuits,
    "completeness": quality.completeness,
    "incidents": _incidents,
    "asset_state": _state,
    "quarantine": _quarantine,
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
