"""The map page and the small JSON and image endpoints its scripts use.

``/map/`` is the page; ``/map/layers.json`` the layer catalogue derived from
``layers/``; ``/map/identify`` what is under a click; ``/map/search`` codes,
roads, communes and addresses; ``/map/panel/<table>/<code>`` a feature's
attribute panel; ``/map/hillshade/z/x/y.png`` the DEM's hillshade;
``/map/imports`` file uploads.  Reads of features go through the same
rules as the feature API; every write goes through the feature API itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from layers import feature_type, feature_types
from twin import coverage, maps, simulation
from twin.api import MAX_ZOOM, USER_FIELDS, bad_parameter, check_tile, history_of, tile_address
from twin.auth import require, require_read, sees_personal
from twin.errors import NotFound
from twin.features import get_feature
from twin.maps import TileCache, TileMemo, combined_tile, empty_tile
from twin.search import search as search_features

from .. import assets
from ..body_limits import upload_body
from ..db import get_session
from ..i18n import current_language
from ..rate_limits import charge
from . import panel
from .access import (
    actions_for,
    anonymous_layers,
    current_principal,
    page_user,
    readable_layers,
)
from .catalog import layer_catalog, shown_tables
from .messages import script_messages
from .page import build_map, map_parts, view_of
from .uploads import ImportJobs, require_import

__all__ = ["bp"]

bp = Blueprint(
    "map", __name__, url_prefix="/map", template_folder="templates", static_folder="static"
)

_CLICK_TOLERANCE_PX = 8


@bp.record_once
def _setup(state) -> None:
    assets.init_app(state.app)
    state.app.config.setdefault("MAP_TILE_URL", "/tiles/{layer}/{z}/{x}/{y}.mvt")
    state.app.config.setdefault("MAP_ONLINE_BASEMAP", None)
    state.app.config.setdefault("MAP_RENDERER", "auto")
    state.app.config.setdefault("MAP_DEM_PATH", None)
    state.app.config.setdefault("MAP_TILE_MEMORY_BYTES", 256 * 1024 * 1024)
    state.app.config.setdefault(
        "MAP_HILLSHADE_CACHE_BYTES", state.app.config["TWIN_SETTINGS"].hillshade_cache_bytes
    )
    # Templates other areas contribute to the map page (their panels and scripts);
    # one whose area is not installed is skipped.
    state.app.config.setdefault("MAP_PAGE_PARTIALS", ["outage/partial.html"])
    state.app.extensions["twin_map_tiles"] = TileMemo(state.app.config["MAP_TILE_MEMORY_BYTES"])
    state.app.extensions["twin_import_jobs"] = ImportJobs(state.app.extensions["twin_jobs"])


#: How the map page draws its vector tiles: MapLibre GL (WebGL), 2D canvases (canvas.js),
#: or ``auto``: WebGL unless the browser's WebGL runs in software (see docs/map.md).
RENDERERS = ("auto", "webgl", "canvas")


def _renderer() -> str:
    """The renderer asked for (``?renderer=``), else the app's ``MAP_RENDERER``."""
    asked = request.args.get("renderer")
    return asked if asked in RENDERERS else current_app.config["MAP_RENDERER"]


def _page_config(principal) -> dict:
    prefix = request.script_root
    return {
        "language": current_language(),
        "renderer": _renderer(),
        "user": page_user(principal),
        "urls": {
            "layers": f"{prefix}/map/layers.json",
            "identify": f"{prefix}/map/identify",
            "search": f"{prefix}/map/search",
            "tiles": f"{prefix}/map/tiles/{{z}}/{{x}}/{{y}}.mvt",
            "style": f"{prefix}/tiles/style.json",
            "panel": f"{prefix}/map/panel",
            "imports": f"{prefix}/map/imports",
            "collections": f"{prefix}/collections",
            "me": f"{prefix}/me",
            "login": f"{prefix}/login",
            "logout": f"{prefix}/logout",
            "water_runs": f"{prefix}/api/simulation/water/runs",
            "drainage_runs": f"{prefix}/api/simulation/drainage/runs",
            "power_runs": f"{prefix}/api/simulation/power/runs",
        },
        "water_peak_h": simulation.peak_hour_s() // 3600,
        "power_limits": dataclasses.asdict(simulation.power_limits()),
        "messages": script_messages(),
    }


def _dem_path() -> Path | None:
    configured = current_app.config.get("MAP_DEM_PATH")
    if configured:
        return Path(configured)
    return maps.dem_path(get_session(), current_app.config["TWIN_SETTINGS"].home)


def _early(config: dict, principal, bounds) -> dict:
    """What early.js needs to ask for the first view's tiles and the catalogue at once."""
    center, zoom = view_of(bounds)
    return {
        "tiles": config["urls"]["tiles"],
        "tables": ",".join(shown_tables(readable_layers(principal))),
        "center": center,
        "zoom": zoom,
        "renderer": config["renderer"],
        "layers": config["urls"]["layers"],
    }


@bp.get("/")
def index():
    principal = current_principal()
    dem = _dem_path()
    hillshade = dem is not None
    config = _page_config(principal)
    bounds = maps.data_bounds(get_session())
    m = build_map(
        config,
        bounds=bounds,
        hillshade_url=f"{request.script_root}/map/hillshade/{{z}}/{{x}}/{{y}}.png"
        if hillshade
        else None,
        hillshade_native_zoom=_hillshade_cache(dem).native_zoom if hillshade else 17,
        online_basemap=current_app.config["MAP_ONLINE_BASEMAP"],
        coverage=_coverage_overlay(),
    )
    return render_template(
        "map/index.html",
        parts=map_parts(m),
        user=page_user(principal),
        renderer=config["renderer"],
        early=_early(config, principal, bounds),
    )


def _coverage_file() -> Path | None:
    """The last computed coverage's received-power file (``twin coverage compute``)."""
    found = coverage.folder(current_app.config["TWIN_SETTINGS"].home, "all") / coverage.RSRP_FILE
    return found if found.is_file() else None


def _coverage_overlay() -> dict | None:
    summary = coverage.read_summary(current_app.config["TWIN_SETTINGS"].home, "all")
    rsrp = _coverage_file()
    if summary is None or "bounds" not in summary or rsrp is None:
        return None
    url = url_for("map.coverage_tile", z=0, x=0, y=0).replace("/0/0/0.png", "/{z}/{x}/{y}.png")
    return {"url": url + f"?v={coverage.tile_version(rsrp)}", "bounds": summary["bounds"],
            "native_zoom": coverage.tiles_native_zoom(rsrp)}


@bp.get("/coverage/<int:z>/<int:x>/<int:y>.png")
def coverage_tile(z: int, x: int, y: int):
    """A tile of the last computed mobile coverage, drawn from its received-power file."""
    check_tile(z, x, y, min_zoom=0, max_zoom=MAX_ZOOM)
    rsrp = _coverage_file()
    if rsrp is None:
        raise NotFound("no mobile coverage computed yet: run twin coverage compute")
    response = Response(
        coverage.coverage_png(rsrp, z, x, y, coverage.shown_threshold_dbm()), mimetype="image/png"
    )
    response.set_etag(f"{coverage.tile_version(rsrp)}-{z}-{x}-{y}")
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/layers.json")
def layers_json():
    catalog = layer_catalog(request.script_root + current_app.config["MAP_TILE_URL"])
    readable = readable_layers(current_principal())
    catalog["layers"] = [lyr for lyr in catalog["layers"] if lyr["name"] in readable]
    return jsonify(catalog)


def _tile_format(fmt: str, expected: str) -> None:
    if fmt != expected:
        raise NotFound(f"these tiles are served as .{expected} only, not .{fmt[:10]}")


@bp.get("/tiles/<z>/<x>/<y>.<fmt>")
def tiles(z: str, x: str, y: str, fmt: str):
    """One vector tile holding every feature type the page shows (``?t=table,...``).

    One request per tile for the whole map instead of one per layer; see
    :mod:`twin.maps.tiles`.  ``?size=512`` makes the 512-pixel tiles of
    WebGL clients (the page's MapLibre layer and ``/tiles/style.json``).
    """
    z, x, y = tile_address(z, x, y)
    _tile_format(fmt, "mvt")
    detail = {"256": 0, "512": 1}.get(request.args.get("size", "256"))
    if detail is None:
        raise bad_parameter("size", "choice", "tiles are 256 or 512 pixels wide")
    readable = readable_layers(current_principal())
    wanted = {t for t in request.args.get("t", "").split(",") if _known(t)}
    tables = [t for t in wanted if feature_type(t).layer in readable]
    memo = current_app.extensions["twin_map_tiles"]
    gzipped = request.accept_encodings["gzip"] > 0
    data = combined_tile(get_session(), tables, z, x, y, memo, detail=detail, gzipped=gzipped)
    response = Response(data, mimetype="application/vnd.mapbox-vector-tile")
    if gzipped and data:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/identify")
def identify():
    lon, lat = request.args.get("lon", type=float), request.args.get("lat", type=float)
    zoom = request.args.get("zoom", type=float)
    if lon is None or lat is None or zoom is None:
        abort(400, "lon, lat and zoom are required")
    if not 0 <= zoom <= MAX_ZOOM:
        raise bad_parameter("zoom", "range", f"zoom must be in 0..{MAX_ZOOM}")
    readable = readable_layers(current_principal())
    tables = [t for t in request.args.get("tables", "").split(",") if t]
    tables = [
        t
        for t in tables
        if _known(t) and feature_type(t).layer in readable and feature_type(t).min_zoom <= zoom
    ]
    tolerance = _CLICK_TOLERANCE_PX * maps.metres_per_pixel(lat, zoom)
    hit = maps.feature_at(get_session(), lon, lat, tables=tables, tolerance_m=tolerance)
    return jsonify({"feature": hit})


def _known(table: str) -> bool:
    try:
        feature_type(table)
    except KeyError:
        return False
    return True


@bp.get("/search")
def search():
    principal = current_principal()
    readable = readable_layers(principal)
    charge("search")
    tables = [ft.table for ft in feature_types() if ft.layer in readable]
    results = search_features(get_session(), request.args.get("q", ""), readable_tables=tables)
    return jsonify({"results": results})


@bp.get("/panel/<table>/<code>")
def feature_panel(table: str, code: str):
    if not _known(table):
        abort(404)
    principal = current_principal()
    ft = feature_type(table)
    require_read(principal, ft, anonymous_layers=anonymous_layers())
    session = get_session()
    personal = not sees_personal(principal)
    feature = get_feature(session, table, code, hide_personal=personal)
    props = feature["properties"]
    if principal.anonymous:  # user names are not for anonymous readers
        for name in USER_FIELDS:
            props.pop(name, None)
    hidden = {a.name for a in ft.attributes if a.personal} if personal else set()
    history = history_of(session, table, code, personal=hidden, users=not principal.anonymous)
    return render_template(
        "map/panel.html",
        ft=ft,
        feature=feature,
        status=panel.status_of(props),
        core=panel.core_rows(ft, props, commune_name=maps.commune_name(session, props)),
        rows=panel.attribute_rows(ft, props),
        history=panel.history_rows(table, history),
        actions=actions_for(principal, table),
    )


def _hillshade_cache(dem: Path) -> TileCache:
    caches = current_app.extensions.setdefault("twin_hillshade", {})
    cache = caches.get(dem)
    if cache is None:
        home = current_app.config["TWIN_SETTINGS"].home
        budget = current_app.config["MAP_HILLSHADE_CACHE_BYTES"]
        cache = caches[dem] = TileCache(Path(home) / "cache" / "hillshade", dem, max_bytes=budget)
    return cache


@bp.get("/hillshade/<z>/<x>/<y>.<fmt>")
def hillshade_tile(z: str, x: str, y: str, fmt: str):
    """A hillshade tile, its address checked against the grid before the DEM is even looked up."""
    tile_address(z, x, y)
    _tile_format(fmt, "png")
    dem = _dem_path()
    if dem is None:
        raise NotFound("this twin has no elevation model, so no hillshade")
    cache = _hillshade_cache(dem)
    z, x, y = tile_address(z, x, y, min_zoom=cache.min_zoom, max_zoom=cache.native_zoom)
    if not cache.covers(z, x, y):
        data = empty_tile()
    elif (data := cache.kept(z, x, y)) is None:
        charge("hillshade")
        data = cache.tile(z, x, y)
    response = Response(data, mimetype="image/png")
    response.cache_control.max_age = 3600
    return response


def _jobs() -> ImportJobs:
    return current_app.extensions["twin_import_jobs"]


@bp.post("/imports")
@upload_body
def import_start():
    principal = current_principal()
    require(principal, "read", _("importing a file"))
    table = request.args.get("table") or request.form.get("table", "")
    require_import(principal, table)  # the API's write rule, before the file is read
    upload = request.files.get("file")
    if upload is None:
        abort(400, "a file is required")
    job = _jobs().start(upload, table=table, crs=request.form.get("crs"), principal=principal)
    return jsonify(job.to_dict()), 202


@bp.get("/imports/<job_id>")
def import_status(job_id: str):
    return jsonify(_jobs().get(job_id, current_principal().name).to_dict())


@bp.post("/imports/<job_id>/commit")
def import_commit(job_id: str):
    principal = current_principal()
    require(principal, "read", _("importing a file"))
    return jsonify(_jobs().commit(job_id, principal).to_dict()), 202
