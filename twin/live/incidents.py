"""Alarms and incidents in the database: raise, clear, open, assign, progress, close.

An alarm raised by the :class:`~twin.live.alarms.AlarmEngine` is stored in
``live.alarm`` and, when its rule says so, opens an incident at the asset's
location with a first timeline entry.  Network events carry their outage
analysis (``twin.network.service:analyse_outage``; while that service is not
installed, a note saying so).  Pressure drops seen by several sensors within
a rule's ``group_window_s`` are one burst: later sensors join the first
incident, and the likely burst area is estimated again from all of them.

Every change of an incident adds an :class:`~twin.live.models.IncidentEvent`;
nothing here commits (the caller does).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from twin.errors import InvalidInput, NotFound, Problem
from twin.i18n import N_
from twin.models import MODELS

from .alarms import Rule, Transition
from .burst import METHOD, likely_burst_pipes
from .models import INCIDENT_STATUSES, Alarm, AlarmRule, Incident, IncidentEvent
from .outage import outage_report, plain
from .services import downstream_line

__all__ = [
    "EVENT_NOTES",
    "INCIDENT_TITLE",
    "active_alarms",
    "add_event",
    "apply_transitions",
    "assign",
    "close_incident",
    "drop_baselines",
    "get_incident",
    "set_status",
    "sync_rules",
]

SYSTEM = "system"
#: An incident opened by a rule: stored with the rule's English title, shown translated.
INCIDENT_TITLE = "%(title)s: %(asset)s"
#: The notes the timeline gets, by action: stored in English, shown translated.
EVENT_NOTES = {
    "opened": N_("%(title)s on %(asset)s"),
    "alarm": N_("%(title)s also on %(asset)s"),
    "alarm_cleared": N_("%(title)s cleared on %(asset)s"),
    "assigned": N_("assigned to %(owner)s"),
}


def sync_rules(session: Session, rules: Iterable[Rule]) -> int:
    """Store the rules of the data file; rules no longer in the file are disabled."""
    rules = list(rules)
    session.execute(update(AlarmRule).values(enabled=False))
    if rules:
        # An upsert: ingest workers starting together each store the same rules.
        rows = [
            {"rule_id": r.id, "rule_type": r.type, "severity": r.severity, "title": r.title,
             "definition": r.definition, "enabled": True, "loaded_at": datetime.now(UTC)}
            for r in rules
        ]
        stmt = pg_insert(AlarmRule).values(rows)
        kept = {c: stmt.excluded[c] for c in rows[0] if c != "rule_id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["rule_id"], set_=kept))
    session.flush()
    return len(rules)


def active_alarms(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(select(Alarm.rule_id, Alarm.subject).where(Alarm.cleared_at.is_(None)))
    return {(r.rule_id, r.subject) for r in rows}


def drop_baselines(session: Session, rules: Iterable[Rule]) -> dict[tuple[str, str], float]:
    """Last known value of each device watched by a drop rule, to seed its baseline."""
    out = {}
    for rule in rules:
        if rule.type != "drop":
            continue
        rows = session.execute(
            text(
                "SELECT d.device_id, (s.readings ->> :f)::float AS v FROM live.device d "
                "JOIN live.asset_state s ON s.asset_code = d.asset_code "
                "WHERE d.kind = ANY(:kinds) AND s.readings ? :f"
            ),
            {"f": rule.definition["field"], "kinds": list(rule.kinds)},
        )
        out.update({(rule.id, r.device_id): r.v for r in rows})
    return out


def _location(session: Session, table: str, code: str) -> tuple[str | None, str | None]:
    """(EWKT point, commune) of an asset, or (None, None) when it is not found."""
    if table not in MODELS:
        return None, None
    row = session.execute(
        text(
            f"SELECT ST_AsEWKT(ST_PointOnSurface(geom)) AS g, commune FROM assets.{table} "
            "WHERE code = :c"
        ),
        {"c": code},
    ).first()
    return (row.g, row.commune) if row else (None, None)


def add_event(
    session: Session,
    incident: Incident,
    actor: str,
    action: str,
    note: str | None = None,
    data: dict | None = None,
) -> IncidentEvent:
    event = IncidentEvent(
        incident_id=incident.id, actor=actor, action=action, note=note, data=data or {}
    )
    session.add(event)
    session.flush()
    return event


def _open_incident(session: Session, rule: Rule, t: Transition) -> Incident:
    number = session.execute(
        text("SELECT nextval(pg_get_serial_sequence('live.incident', 'id'))")
    ).scalar()
    geom, commune = _location(session, t.asset_table, t.asset_code)
    incident = Incident(
        id=number,
        code=f"INC-{number:06d}",
        title=INCIDENT_TITLE % {"title": rule.title, "asset": t.asset_code},
        rule_id=rule.id,
        severity=rule.severity,
        status="open",
        asset_table=t.asset_table,
        asset_code=t.asset_code,
        commune=commune,
        opened_at=t.at,
        details={"trigger": plain(t)},
        geom=geom,
    )
    session.add(incident)
    session.flush()
    add_event(
        session,
        incident,
        SYSTEM,
        "opened",
        EVENT_NOTES["opened"] % {"title": rule.title, "asset": t.asset_code},
        {"device": t.subject, "value": t.value, **t.details},
    )
    return incident


def _grouping_incident(session: Session, rule: Rule, t: Transition) -> Incident | None:
    window = rule.definition.get("group_window_s")
    if not window:
        return None
    return session.scalars(
        select(Incident)
        .where(
            Incident.rule_id == rule.id,
            Incident.status.in_(("open", "acknowledged", "in_progress")),
            Incident.opened_at >= t.at - timedelta(seconds=window),
        )
        .order_by(Incident.opened_at.desc())
        .limit(1)
    ).first()


def _burst_area(session: Session, incident: Incident) -> dict:
    """Likely burst pipes from the incident's dropped sensors and the sensors that held."""
    from .network import water_graph

    alarms = session.scalars(select(Alarm).where(Alarm.incident_id == incident.id)).all()
    drops = {a.asset_code: a.details.get("drop", 0.0) for a in alarms if a.asset_code}
    steady = (
        session.execute(
            text(
                "SELECT d.asset_code FROM live.device d WHERE d.kind = 'pressure_sensor' AND d.active "
                "AND NOT EXISTS (SELECT 1 FROM live.alarm a WHERE a.subject = d.device_id "
                "AND a.rule_id = :r AND a.cleared_at IS NULL)"
            ),
            {"r": incident.rule_id},
        )
        .scalars()
        .all()
    )
    candidates = likely_burst_pipes(water_graph(session), drops, steady)
    return {
        "sensors_dropped": drops,
        "sensors_steady": len(steady),
        "candidates": [dataclasses.asdict(c) for c in candidates],
        "method": str(METHOD),
    }


def _raise(session: Session, rule: Rule, t: Transition) -> Incident | None:
    alarm = Alarm(
        rule_id=rule.id,
        subject=t.subject,
        asset_code=t.asset_code,
        raised_at=t.at,
        value=t.value,
        details=plain(t.details),
    )
    session.add(alarm)
    session.flush()
    if not rule.opens_incident:
        return None
    incident = _grouping_incident(session, rule, t)
    if incident is None:
        incident = _open_incident(session, rule, t)
    else:
        add_event(
            session,
            incident,
            SYSTEM,
            "alarm",
            EVENT_NOTES["alarm"] % {"title": rule.title, "asset": t.asset_code},
            {"device": t.subject, "value": t.value, **plain(t.details)},
        )
    alarm.incident_id = incident.id
    session.flush()
    if rule.type == "drop" and rule.network == "water":
        area = _burst_area(session, incident)
        incident.details = {**incident.details, "burst_area": area}
        pipes = [c["pipe"] for c in area["candidates"][:1]]
        incident.outage = outage_report(session, "water", pipes)
    elif rule.network == "power":
        line = downstream_line(session, t.asset_code)
        incident.outage = outage_report(session, "power", [line or t.asset_code])
        incident.outage["opened_device"] = t.asset_code
    elif rule.network:
        incident.outage = outage_report(session, rule.network, [t.asset_code])
    if incident.outage and incident.outage.get("customers_affected") is not None:
        incident.details = {
            **incident.details,
            "customers_affected": incident.outage["customers_affected"],
        }
    return incident


def _clear(session: Session, rule: Rule, t: Transition) -> None:
    alarm = session.scalars(
        select(Alarm).where(
            Alarm.rule_id == rule.id, Alarm.subject == t.subject, Alarm.cleared_at.is_(None)
        )
    ).first()
    if alarm is None:
        return
    alarm.cleared_at = t.at
    if alarm.incident_id is not None:
        incident = session.get(Incident, alarm.incident_id)
        add_event(
            session,
            incident,
            SYSTEM,
            "alarm_cleared",
            EVENT_NOTES["alarm_cleared"] % {"title": rule.title, "asset": t.asset_code},
            {"device": t.subject, "value": t.value},
        )


def apply_transitions(
    session: Session, transitions: Iterable[Transition], rules: Mapping[str, Rule]
) -> list[Incident]:
    """Store raised/cleared alarms; returns the incidents opened or joined."""
    touched = []
    for t in transitions:
        rule = rules[t.rule_id]
        if t.raised:
            incident = _raise(session, rule, t)
            if incident is not None:
                touched.append(incident)
        else:
            _clear(session, rule, t)
    session.flush()
    return touched


def get_incident(session: Session, code: str) -> Incident:
    wanted = str(code).strip().upper()  # INC-000042, typed in any case
    incident = session.scalars(select(Incident).where(Incident.code == wanted)).first()
    if incident is None:
        raise NotFound(f"incident {code!r} not found")
    return incident


def assign(session: Session, code: str, owner: str, *, actor: str) -> Incident:
    incident = get_incident(session, code)
    incident.owner = owner
    if incident.status == "open":
        incident.status = "acknowledged"
    note = EVENT_NOTES["assigned"] % {"owner": owner}
    add_event(session, incident, actor, "assigned", note, {"owner": owner})
    return incident


def set_status(
    session: Session, code: str, status: str, *, actor: str, note: str | None = None
) -> Incident:
    if status not in INCIDENT_STATUSES or status == "closed":
        raise InvalidInput(
            f"incident {code}",
            [
                Problem(
                    "status",
                    "allowed_values",
                    f"{status!r} is not one of {', '.join(INCIDENT_STATUSES[:-1])} (close with a note)",
                    code,
                )
            ],
        )
    incident = get_incident(session, code)
    if incident.status == "closed":
        raise InvalidInput(
            f"incident {code}",
            [Problem("status", "closed", "a closed incident cannot change", code)],
        )
    incident.status = status
    add_event(session, incident, actor, "status", note, {"status": status})
    return incident


def close_incident(session: Session, code: str, note: str, *, actor: str) -> Incident:
    """Close with a closing note (required: what was found and done)."""
    if not note or not note.strip():
        raise InvalidInput(
            f"incident {code}",
            [Problem("closing_note", "required", "say what was found and done", code)],
        )
    incident = get_incident(session, code)
    incident.status = "closed"
    incident.closing_note = note.strip()
    incident.closed_at = datetime.now(UTC)
    add_event(session, incident, actor, "closed", note.strip())
    return incident
