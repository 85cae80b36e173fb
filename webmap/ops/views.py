"""Operations centre pages (role viewer and up); incident actions need 'operate'."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext

from twin import maintenance, photos
from twin.auth import has, require
from twin.coverage import TARGET_PCT, coverage_gaps
from twin.errors import InvalidInput, Problem
from twin.live import (
    BURST_METHOD,
    INCIDENT_STATUSES,
    KPIS,
    TRENDS,
    asset_state_counts,
    assign_incident,
    close_incident,
    completeness,
    faults_located,
    faulty_circuits,
    fiber_gaps,
    get_incident,
    incident_checklist,
    incident_events,
    kpi_rows,
    open_incident_counts,
    open_incidents_located,
    outage_note_of,
    quality_trend,
    renewal_ranking,
    set_incident_status,
    trees_at_risk,
)
from twin.live import tick_step as tick_incident_step

from ..auth.setup import current_principal
from ..db import get_session
from ..formatting import count, local_time
from ..i18n import current_language, shown
from ..outage import messages as outage_words
from ..pages import with_vendored_assets
from ..rate_limits import charge
from . import labels
from .tables import TABLES, rows_of, to_csv, twin_home

__all__ = ["bp"]

bp = Blueprint("ops", __name__, url_prefix="/ops", template_folder="templates", static_folder=None)
CHART_JS = ("chart.js", "dist/chart.umd.js")


bp.record_once(with_vendored_assets)


@bp.before_request
def _viewer_and_up():
    who = current_principal()
    if who.anonymous and request.endpoint == "ops.chart_js":
        return None
    if (
        who.anonymous
        and request.method == "GET"
        and not request.path.endswith((".csv", ".json", ".geojson"))
    ):
        return redirect(url_for("auth.login", next=request.full_path))
    require(who, "read", "the operations centre")
    return None


def _chart_js_url() -> str:
    """Chart.js from node_modules: through /vendor when that area is installed."""
    if "vendor" in current_app.blueprints:
        return url_for("vendor.vendor_file", target="/".join(CHART_JS))
    return url_for("ops.chart_js")


@bp.get("/chart.umd.js")
def chart_js():
    folder = Path(current_app.root_path).parent / "node_modules" / CHART_JS[0]
    return send_from_directory(folder, CHART_JS[1], max_age=24 * 3600)


@bp.context_processor
def _helpers():
    who = current_principal()
    return {
        "kpis": [
            replace(
                k,
                title=gettext(k.title),
                unit=gettext(k.unit),
                definition=gettext(k.definition),
                formula=gettext(k.formula),
            )
            for k in KPIS
        ],
        "can_operate": has(who, "operate"),
        "can_see_jobs": has(who, "jobs"),
        "me": who.name,
        "chart_js_url": _chart_js_url,
        "incident_status": labels.incident_status,
        "incident_title": labels.incident_title,
        "event_action": labels.event_action,
        "event_note": labels.event_note,
        "severity": labels.severity,
        "live_status": labels.live_status,
        "feature_label": labels.feature_label,
        "area_name": labels.area_name,
        "device_kinds": labels.device_kinds,
        "outage_word": outage_words.word,
        "step_reason": outage_words.reason,
    }


@bp.get("/")
def dashboard():
    session = get_session()
    level = "province" if request.args.get("level") == "province" else "commune"
    states = asset_state_counts(session)
    open_incidents = open_incident_counts(session)
    rows = kpi_rows(session, level=level)
    keys = [k.key for k in KPIS]
    shown = [r for r in rows if request.args.get("all") or any(r[k] is not None for k in keys)]
    return render_template(
        "ops/dashboard.html",
        level=level,
        rows=shown,
        hidden=len(rows) - len(shown),
        states=states,
        open_incidents=open_incidents,
        completeness=completeness(session),
        trends={name: gettext(title) for name, (title, *_) in TRENDS.items()},
    )


def _stored(text: str | None, note) -> str | None:
    """A text stored from ``note`` in the reader's language; another text as it is."""
    return shown(note) if note is not None else text


def _readable(note):
    """``note`` with its time and amount written the reader's way."""
    values = dict(note.values)
    if isinstance(values.get("when"), datetime):
        values["when"] = local_time(values["when"])
    if isinstance(values.get("vnd"), int | float):
        values["vnd"] = count(values["vnd"])
    return replace(note, values=values)


@bp.get("/decisions")
def decisions_page():
    session = get_session()
    renewals, renewal_method = renewal_ranking(session)
    gaps, gap_note = fiber_gaps(session, home=twin_home())
    coverage, coverage_at = coverage_gaps(twin_home())
    trees, tree_note = trees_at_risk(session, lang=current_language())
    return render_template(
        "ops/decisions.html",
        renewals=renewals,
        renewal_method=shown(renewal_method),
        gaps=gaps,
        gap_note=shown(_readable(gap_note)),
        gap_missing=gap_note.missing,
        fiber_page=url_for("fiber.page") if "fiber" in current_app.blueprints else None,
        circuits=faulty_circuits(session),
        trees=trees,
        tree_note=shown(tree_note),
        risks=labels.tree_risks(),
        risk_reasons=labels.tree_risk_reasons(),
        coverage=coverage,
        coverage_at=local_time(coverage_at) if coverage_at else None,
        coverage_target=TARGET_PCT,
    )


@bp.get("/trend/<name>.json")
def trend(name: str):
    if name not in TRENDS:
        abort(404)
    hours = min(max(request.args.get("hours", 48, type=int), 1), 24 * 90)
    return jsonify(quality_trend(get_session(), name, hours=hours))


@bp.get("/export/<name>.csv")
def export(name: str):
    if name not in TABLES:
        abort(404)
    charge("export")
    body = to_csv(rows_of(get_session(), name))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )


@bp.get("/incidents")
def incident_list():
    status = request.args.get("status", "active")
    mine = request.args.get("mine") == "1"
    rows = [
        r
        for r in rows_of(get_session(), "incidents")
        if (
            status == "all"
            or (status == "active" and r["status"] != "closed")
            or r["status"] == status
        )
        and (not mine or r["owner"] == current_principal().name)
    ]
    return render_template(
        "ops/incidents.html", incidents=rows, status=status, mine=mine, statuses=INCIDENT_STATUSES
    )


@bp.get("/incidents/<code>")
def incident_detail(code: str):
    session = get_session()
    incident = get_incident(session, code)
    events = incident_events(session, incident.id)
    area = incident.details.get("burst_area") or {}
    method = area.get("method")
    report = incident.outage or {}
    return render_template(
        "ops/incident.html",
        incident=incident,
        events=events,
        burst_method=_stored(method, BURST_METHOD if method == str(BURST_METHOD) else None),
        outage_note=_stored(report.get("note"), outage_note_of(report.get("note") or "")),
        statuses=INCIDENT_STATUSES[:-1],
        outage_json=json.dumps(incident.outage, indent=2, ensure_ascii=False),
        incident_photos=photos.photos_of(session, "incident", str(incident.id)),
        can_add_photo=has(current_principal(), "inspect"),
    )


@bp.post("/incidents/<code>/<action>")
def incident_action(code: str, action: str):
    who = current_principal()
    require(who, "operate", f"change incident {code}")
    session = get_session()
    form = request.form
    if action == "assign":
        assign_incident(session, code, form.get("owner") or who.name, actor=who.name)
    elif action == "status":
        set_incident_status(
            session, code, form.get("status", ""), actor=who.name, note=form.get("note") or None
        )
    elif action == "close":
        close_incident(session, code, form.get("note", ""), actor=who.name)
        maintenance.close_repairs_of(session, code.strip().upper(), form.get("note", ""),
                                     user=who.name)
    else:
        abort(404)
    session.commit()
    return redirect(url_for("ops.incident_detail", code=code))


def _checklist_json(found: dict) -> dict:
    steps = [
        {**s, "at": s["at"].isoformat(), "at_local": local_time(s["at"])} if s.get("at") else s
        for s in found["steps"]
    ]
    return {**found, "steps": steps}


@bp.get("/incidents/<code>/steps.json")
def incident_steps(code: str):
    """The incident's checklist: each device operation, who ticked it off and when."""
    return jsonify(_checklist_json(incident_checklist(get_session(), code)))


@bp.post("/incidents/<code>/steps")
def tick_step(code: str):
    """Tick a step off (``{"order": 1, "device": "...", "done": true}``), recorded on the timeline."""
    who = current_principal()
    require(who, "operate", f"tick a step of incident {code}")
    body = request.get_json(silent=True) or {}
    order, device, done = body.get("order"), body.get("device"), body.get("done", True)
    if not isinstance(order, int) or not isinstance(device, str) or not isinstance(done, bool):
        raise InvalidInput(
            f"incident {code}",
            [Problem("step", "shape", 'give {"order": number, "device": code, "done": true}')],
        )
    session = get_session()
    found = tick_incident_step(session, code, order, device, done=done, actor=who.name)
    session.commit()
    return jsonify(_checklist_json(found))


@bp.get("/map")
def incident_map():
    return render_template("ops/map.html", mine=request.args.get("mine") == "1")


@bp.get("/incidents.geojson")
def incidents_geojson():
    mine = request.args.get("mine") == "1"
    owner = current_principal().name if mine else None
    found = open_incidents_located(get_session(), owner=owner)
    for feature in found["features"]:
        feature["properties"]["title"] = labels.incident_title(feature["properties"])
        feature["properties"]["status_label"] = labels.incident_status(
            feature["properties"]["status"]
        )
    return jsonify(found)


@bp.get("/faults.geojson")
def faults_geojson():
    """Assets whose live state is a fault or an open breaker, located."""
    found = faults_located(get_session())
    for feature in found["features"]:  # words for the popup, in the reader's language
        props = feature["properties"]
        props["asset_label"] = labels.feature_label(props["asset_table"])
        props["status_label"] = labels.live_status(props["status"])
    return jsonify(found)
