"""Outage analysis on the web: JSON for the map, the crew page, the work order.

``POST /outage/analyse`` answers with the summary of an outage
(:func:`twin.network.summarise_outage`; ``?detail=full`` gives the
full report of :func:`twin.network.analyse_outage` instead), and
``/outage/list/<name>`` and ``/outage/highlight.json`` give its lists a page
at a time and the affected area to draw;
``/outage/workorder`` prints the crew's work order with its map (``.csv``
downloads it, ``offline=1`` saves it as one self-contained file);
``/outage/criticality.geojson`` and ``/outage/topology.geojson`` are map
layers; ``/outage/`` is the crew page, and ``outage/partial.html`` with
``static/outage.js`` is what the map page includes to offer the same
analysis from its asset panel.  Outage analysis needs the ``outage``
capability (crew and above).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from twin.auth import has, require
from twin.errors import InvalidInput, Problem
from twin.network import (
    RANKED_UTILITIES,
    UTILITIES,
    analyse_outage,
    criticality_features,
    network_extent,
    network_features,
    outage_highlight,
    outage_list,
    outage_simulated,
    summarise_outage,
    table_utilities,
    topology_features,
    workorder_csv,
)

from .. import assets
from ..auth.setup import current_principal
from ..db import get_session
from ..formatting import local_time
from ..rate_limits import charge
from .messages import messages, reason, word
from .workorder_map import inline_assets, legend_sections, map_data, map_parts, with_base_map

__all__ = ["bp"]

bp = Blueprint(
    "outage", __name__, url_prefix="/outage", template_folder="templates", static_folder="static"
)

#: Lines and devices sent per table for the crew page's map view.
NETWORK_LIMIT = 4000


def _allowed() -> bool:
    return has(current_principal(), "outage")


@bp.record_once
def _setup(state) -> None:
    assets.init_app(state.app)
    state.app.jinja_env.globals.update(
        outage_messages=messages,
        outage_network_tables=table_utilities,
        outage_allowed=_allowed,
        outage_reason=reason,
        outage_word=word,
    )


def _require_outage(action: str) -> None:
    require(current_principal(), "outage", action)


def _codes_from_query() -> tuple[list[str], list[str]]:
    codes = [c for value in request.args.getlist("code") for c in value.split(",") if c]
    unavailable = [c for v in request.args.getlist("unavailable") for c in v.split(",") if c]
    return codes, unavailable


def _utility_arg(allowed) -> str:
    layer = request.args.get("layer", "water")
    if layer not in allowed:
        raise InvalidInput(
            "unknown network",
            [Problem("layer", "allowed_values", f"{layer!r} is not one of {', '.join(allowed)}")],
        )
    return layer


@bp.get("/")
def page():
    principal = current_principal()
    if principal.anonymous:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    _require_outage("opening the crew page")
    return render_template("outage/page.html", extent=network_extent(get_session()))


@bp.post("/analyse")
def analyse():
    _require_outage("outage analysis")
    charge("analysis")
    body = request.get_json(silent=True) or {}
    codes = body.get("codes") or ([body["code"]] if body.get("code") else [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise InvalidInput(
            "bad request", [Problem("codes", "list_of_text", "give a list of asset codes")]
        )
    unavailable = body.get("unavailable") or []
    if request.args.get("detail") == "full":
        return jsonify(analyse_outage(get_session(), codes, unavailable=unavailable))
    return jsonify(summarise_outage(get_session(), codes, unavailable=unavailable))


@bp.get("/list/<name>")
def outage_list_page(name: str):
    """A page of one list of an outage (customers, streets, facilities, features)."""
    _require_outage("reading an outage's lists")
    charge("outage_page")
    codes, unavailable = _codes_from_query()
    page = request.args.get("page", 1, type=int)
    size = request.args.get("size", 50, type=int)
    utility = request.args.get("utility") or None
    return jsonify(
        outage_list(
            get_session(),
            codes,
            name,
            unavailable=unavailable,
            page=page,
            size=size,
            utility=utility,
        )
    )


@bp.get("/highlight.json")
def highlight():
    """The affected area to draw over the map, light (see ``report_map.highlight``)."""
    _require_outage("drawing an outage")
    charge("outage_page")
    codes, unavailable = _codes_from_query()
    return jsonify(outage_highlight(get_session(), codes, unavailable=unavailable))


@bp.get("/simulated.json")
def simulated():
    """Water pressure after the closures and the ties' load flows, asked after the summary."""
    _require_outage("simulating an outage")
    charge("analysis")
    codes, unavailable = _codes_from_query()
    return jsonify(outage_simulated(get_session(), codes, unavailable=unavailable))


def _report_from_query() -> dict:
    charge("analysis")
    codes, unavailable = _codes_from_query()
    return analyse_outage(get_session(), codes, unavailable=unavailable)


def _download_name(report: dict, suffix: str) -> str:
    return "workorder-" + "-".join(report["assets"])[:80] + suffix


@bp.get("/workorder")
def workorder():
    """The printable work order with its map; ``offline=1`` downloads it as one file."""
    _require_outage("printing a work order")
    report = _report_from_query()
    offline = request.args.get("offline") == "1"
    data = with_base_map(map_data(report), get_session())
    page = render_template(
        "outage/workorder.html",
        report=report,
        query=urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "offline"]),
        printed=local_time(datetime.now(UTC)),
        map=map_parts(data),
        map_data=data,
        legend=legend_sections(messages()),
        offline=offline,
        inline=(
            inline_assets(current_app.config["NODE_MODULES"], current_app.static_folder)
            if offline
            else None
        ),
    )
    if not offline:
        return page
    return Response(
        page,
        mimetype="text/html",
        headers={
            "Content-Disposition": f'attachment; filename="{_download_name(report, ".html")}"'
        },
    )


@bp.get("/workorder.csv")
def workorder_download():
    _require_outage("downloading a work order")
    report = _report_from_query()
    name = _download_name(report, ".csv")
    return Response(
        "\ufeff" + workorder_csv(report),  # the BOM lets spreadsheets read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/network.geojson")
def network_geojson():
    require(current_principal(), "read", "reading the networks")
    try:
        bbox = tuple(float(v) for v in request.args["bbox"].split(","))
    except (KeyError, ValueError):
        bbox = ()
    if len(bbox) != 4:
        raise InvalidInput(
            "bad bounding box",
            [Problem("bbox", "four_numbers", "west,south,east,north in degrees")],
        )
    wanted = [u for u in request.args.get("layers", "water,power").split(",") if u in UTILITIES]
    return jsonify(network_features(get_session(), bbox, wanted, limit=NETWORK_LIMIT))


@bp.get("/criticality.geojson")
def criticality_layer():
    _require_outage("reading the criticality ranking")
    utility = _utility_arg(RANKED_UTILITIES)
    top = max(1, min(request.args.get("top", 50, type=int), 1000))
    charge("analysis")
    return jsonify(criticality_features(get_session(), utility, top=top))


@bp.get("/topology.geojson")
def topology_layer():
    _require_outage("reading the topology check")
    utility = _utility_arg(UTILITIES)
    charge("analysis")
    home = current_app.config["TWIN_SETTINGS"].home
    return jsonify(topology_features(get_session(), utility, home=home))
