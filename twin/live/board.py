"""What the operations centre reads: counts, incidents, events, faults, tables.

Plain rows and GeoJSON dicts for the pages of ``webmap.ops``, which only
add words in the reader's language; every query of those pages lives here.
"""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.models import MODELS

from .alarms import load_rules

__all__ = [
    "alarm_rule_titles",
    "asset_state_counts",
    "asset_state_rows",
    "faults_located",
    "incident_events",
    "incident_rows",
    "open_incident_counts",
    "open_incidents_located",
    "quarantine_rows",
]


@cache
def _shipped_rules() -> dict:
    """The rules file shipped with the twin, read once per process."""
    return {r.id: r for r in load_rules()}


def alarm_rule_titles(session: Session, language: str) -> dict[str, tuple[str, str]]:
    """``rule_id -> (English title, title in language)`` of the stored alarm rules.

    A rule stored without a title in ``language`` takes the shipped rules
    file's, if it is the same rule (same English title); else its English one.
    """
    shipped = _shipped_rules()
    rows = session.execute(
        text("SELECT rule_id, title, definition ->> :key FROM live.alarm_rule"),
        {"key": f"title_{language}"},
    )
    titles = {}
    for rule_id, title, shown in rows:
        same = shipped.get(rule_id)
        if shown is None and same is not None and same.title == title:
            shown = same.title_in(language)
        titles[rule_id] = (title, shown or title)
    return titles


def asset_state_counts(session: Session) -> list:
    """``(asset_table, status, n)`` of the live state of every asset."""
    return session.execute(text(
        "SELECT asset_table, status, count(*) AS n FROM live.asset_state "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )).all()


def open_incident_counts(session: Session) -> dict[str, int]:
    """Incidents not closed, by severity."""
    return dict(session.execute(text(
        "SELECT severity, count(*) FROM live.incident WHERE status <> 'closed' GROUP BY 1"
    )).all())


def incident_events(session: Session, incident_id: int) -> list:
    """The events of an incident, oldest first (``at, actor, action, note, data``)."""
    return session.execute(text(
        "SELECT at, actor, action, note, data FROM live.incident_event WHERE incident_id = :i "
        "ORDER BY at, id"
    ), {"i": incident_id}).all()


def _features(rows) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(r.geometry),
                "properties": {k: v for k, v in r._mapping.items() if k != "geometry"},
            }
            for r in rows
            if r.geometry
        ],
    }


def open_incidents_located(session: Session, *, owner: str | None = None) -> dict:
    """The incidents not closed (only ``owner``'s when given) as a FeatureCollection."""
    rows = session.execute(text(
        "SELECT code, title, rule_id, severity, status, owner, asset_code, "
        "to_char(opened_at, 'YYYY-MM-DD HH24:MI') AS opened, ST_AsGeoJSON(geom) AS geometry "
        "FROM live.incident WHERE status <> 'closed' AND (CAST(:me AS text) IS NULL OR owner = :me)"
    ), {"me": owner}).all()
    return _features(rows)


def faults_located(session: Session) -> dict:
    """Assets whose live state is a fault or an open breaker, as a FeatureCollection."""
    tables = session.execute(text(
        "SELECT DISTINCT asset_table FROM live.asset_state WHERE status IN ('fault', 'open')"
    )).scalars().all()
    rows = []
    for table in tables:
        if table not in MODELS:
            continue
        rows += session.execute(text(
            f"SELECT s.asset_code AS code, s.asset_table, s.status, "
            f"to_char(s.last_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS since, "
            f"s.readings::text AS readings, "
            f"ST_AsGeoJSON(a.geom) AS geometry FROM live.asset_state s "
            f"JOIN assets.{table} a ON a.code = s.asset_code "
            f"WHERE s.asset_table = :t AND s.status IN ('fault', 'open')"
        ), {"t": table}).all()
    return _features(rows)


def _rows(session: Session, sql: str) -> list[dict]:
    return [dict(r._mapping) for r in session.execute(text(sql))]


def incident_rows(session: Session) -> list[dict]:
    """Every incident, newest first, with its commune's name (the incidents table)."""
    return _rows(session,
        "SELECT i.code, i.title, i.rule_id, i.severity, i.status, i.owner, i.asset_table, "
        "i.asset_code, coalesce(u.name, i.commune) AS commune, i.opened_at, i.closed_at, "
        "i.closing_note, (i.details ->> 'customers_affected')::int AS customers "
        "FROM live.incident i "
        "LEFT JOIN base.base_admin_unit u ON u.code = i.commune ORDER BY i.opened_at DESC")


def asset_state_rows(session: Session) -> list[dict]:
    """The live state of every asset (the asset state table)."""
    return _rows(session,
        "SELECT asset_code, asset_table, status, last_ts, device_id, readings::text AS readings "
        "FROM live.asset_state ORDER BY asset_table, asset_code")


def quarantine_rows(session: Session) -> list[dict]:
    """The newest 10,000 rejected messages (the quarantine table)."""
    return _rows(session,
        "SELECT received_at, topic, reason, device_id, msg_id, payload FROM live.quarantine "
        "ORDER BY id DESC LIMIT 10000")
