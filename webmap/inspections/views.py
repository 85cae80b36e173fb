"""Inspection pages and API: the forms of an asset, its history, the collections.

``/inspections/<table>/<code>`` is the page a crew opens on a phone: the
asset, the forms its type declares and every inspection made on it;
``POST /api/inspections/<table>/<code>/<form>`` records one (JSON: answers,
the asset version it was made on, time, place, the phone's key).  The
collections at ``/api/inspections/collections/<form table>/items`` are the
inspections of one form as GeoJSON (OGC API – Features items), or CSV with
``f=csv``.  Any signed-in role reads; crews, editors and admins inspect.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from twin import inspections, photos
from twin.auth import has, require
from twin.errors import InvalidInput, Problem

from ..api.http import json_body
from ..api.record_csv import csv_response
from ..auth.setup import current_principal
from ..db import get_session

__all__ = ["bp"]

bp = Blueprint("inspections", __name__, template_folder="templates",
               static_folder="static", static_url_path="/inspections/static")
_MAX_PAGE = 1000


@bp.get("/inspections/sw.js")
def service_worker():
    """The worker from this folder, so its scope is the inspection pages (``/inspections/``)."""
    response = send_from_directory(bp.static_folder, "sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/inspections/manifest.webmanifest")
def manifest():
    """What makes the inspection pages an app a phone can install."""
    icons = [{"src": url_for(".static", filename=f"icon-{n}.png"), "sizes": f"{n}x{n}",
              "type": "image/png"} for n in (192, 512)]
    body = {"name": _("Twin inspections"), "short_name": _("Inspections"),
            "start_url": url_for(".queue_page"), "scope": "/inspections/",
            "display": "standalone", "background_color": "#f5f7fa", "theme_color": "#12263a",
            "icons": icons}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/inspections/")
def queue_page():
    """The app's start: what waits on this phone, and the forms' collections."""
    _reader("reading inspections")
    who = current_principal()
    return render_template("inspections/start.html", forms=inspections.FORMS, me=who.name,
                           can_see_jobs=has(who, "jobs"))


def _reader(action: str) -> None:
    require(current_principal(), "read", action)


@bp.get("/inspections/<table>/<code>")
def asset_page(table: str, code: str):
    _reader(f"reading the inspections of {table}")
    ft, forms = inspections.forms_of(table)
    session = get_session()
    feature, rows = inspections.asset_inspections(session, table, code)
    who = current_principal()
    by_table = {inspections.table_name(ft, form): form for form in forms}
    pictures = {f"{r['properties']['form']}/{r['id']}": photos.photos_of(
        session, "inspection", f"{r['properties']['form']}/{r['id']}") for r in rows}
    return render_template(
        "inspections/asset.html", ft=ft, forms=forms, feature=feature, rows=rows,
        by_table=by_table, pictures=pictures,
        asset_photos=photos.photos_of(session, "asset", f"{table}/{feature['id']}"),
        can_inspect=has(who, "inspect"), me=who.name, can_see_jobs=has(who, "jobs"))


@bp.get("/api/inspections/<table>/<code>")
def asset_history(table: str, code: str):
    _reader(f"reading the inspections of {table}")
    feature, rows = inspections.asset_inspections(get_session(), table, code)
    return jsonify({"asset": feature, "inspections": rows})


def _time(raw) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput("bad inspection time", [
            Problem("inspected_at", "datetime", f"{raw!r} is not an ISO 8601 time")]) from None


def _sent(body) -> inspections.Inspection:
    if not isinstance(body, dict):
        raise InvalidInput("bad inspection", [Problem("body", "json", "a JSON object")])
    version = body.get("asset_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("bad inspection", [
            Problem("asset_version", "required", "the asset version the inspection saw")])
    client_id = body.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or not 8 <= len(client_id)
                                  <= 64):
        raise InvalidInput("bad inspection", [
            Problem("client_id", "length", "8 to 64 characters")])
    answers = body.get("answers") or {}
    if not isinstance(answers, dict):
        raise InvalidInput("bad inspection", [Problem("answers", "json", "a JSON object")])
    made_on = body.get("made_on_version")
    if made_on is not None and (not isinstance(made_on, int) or isinstance(made_on, bool)):
        raise InvalidInput("bad inspection", [
            Problem("made_on_version", "integer", "the version the inspection was made on")])
    return inspections.Inspection(answers, version, _time(body.get("inspected_at")),
                                  body.get("location"), client_id, made_on)


@bp.post("/api/inspections/<table>/<code>/<form>")
def record(table: str, code: str, form: str):
    who = current_principal()
    require(who, "inspect", f"inspecting {table}")
    inspections.form_of(table, form)
    done = inspections.record_inspection(get_session(), table, code, form, _sent(json_body()),
                                         user=who.name)
    get_session().commit()
    body = {"inspection": done.inspection, "asset": done.feature, "repeated": done.repeated}
    return jsonify(body), 200 if done.repeated else 201


@bp.get("/api/inspections/collections")
def collections():
    _reader("reading inspections")
    return jsonify({"collections": [
        {"id": table, "title": f"{ft.en}: {form.en}", "description": form.rule.source,
         "itemType": "feature",
         "links": [{"href": url_for(".items", table=table, _external=True), "rel": "items",
                    "type": "application/geo+json"}]}
        for table, (ft, form) in inspections.FORMS.items()]})


def _int_arg(name: str, default: int, top: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) > top:
        raise InvalidInput(f"bad {name}", [Problem(name, "range", f"0 to {top}")])
    return int(raw)


@bp.get("/api/inspections/collections/<table>/items")
def items(table: str):
    _reader("reading inspections")
    limit, offset = _int_arg("limit", 100, _MAX_PAGE), _int_arg("offset", 0, 10**9)
    rows, matched = inspections.inspection_page(get_session(), table, limit=limit,
                                                offset=offset)
    if request.args.get("f") == "csv":
        return csv_response(table, rows)
    links = [{"href": url_for(".items", table=table, limit=limit, offset=offset,
                              _external=True), "rel": "self", "type": "application/geo+json"}]
    if offset + limit < matched:
        links.append({"href": url_for(".items", table=table, limit=limit,
                                      offset=offset + limit, _external=True),
                      "rel": "next", "type": "application/geo+json"})
    return Response(json.dumps({"type": "FeatureCollection", "features": rows,
                           "numberMatched": matched, "numberReturned": len(rows),
                           "links": links}, ensure_ascii=False),
                    mimetype="application/geo+json")
