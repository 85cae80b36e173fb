"""The work order's map: the affected lines and the devices to operate.

Folium draws the Leaflet map (from this app's own Leaflet, never a CDN); the
data travels as one JSON block the page's script reads as text.  The same
page can be downloaded as one self-contained file for a crew phone without
network: Leaflet, the scripts and the data are then inlined, and a policy in
the file itself lets only those inline blocks run.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from shapely.geometry import mapping, shape

from ..assets import LEAFLET_CSS, LEAFLET_JS
from ..headers import with_nonce
from ..map.page import LocalMap, view_of

__all__ = ["inline_assets", "map_data", "map_parts"]

#: Simplification tolerance in degrees (about two metres): plenty for a
#: printed map, and it keeps the offline file small.
SIMPLIFY_DEG = 2e-5
#: Coordinate decimals kept (about ten centimetres).
DECIMALS = 6

_STATIC = Path(__file__).resolve().parent / "static"
_LINES = {"LineString", "MultiLineString"}


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(c, DECIMALS) for c in coords]
    return [_rounded(c) for c in coords]


def _simplified(geometry: dict) -> dict:
    simple = mapping(shape(geometry).simplify(SIMPLIFY_DEG, preserve_topology=False))
    return {"type": simple["type"], "coordinates": _rounded(simple["coordinates"])}


def map_data(report: dict) -> dict:
    """``{"lines", "devices"}``: simplified affected lines, the steps' device points."""
    lines = [
        {
            "type": "Feature",
            "geometry": _simplified(f["geometry"]),
            "properties": {k: f["properties"].get(k) for k in ("role", "utility", "code")},
        }
        for f in report.get("map", {}).get("features", [])
        if f["geometry"]["type"] in _LINES
    ]
    devices = [
        {
            "order": s["order"],
            "device": s["device"],
            "action": s["action"],
            "lonlat": _rounded(list(s["lonlat"])),
        }
        for s in report["work_order"]["steps"]
        if s.get("lonlat")
    ]
    return {"lines": {"type": "FeatureCollection", "features": lines}, "devices": devices}


def _bounds(data: dict):
    points = [d["lonlat"] for d in data["devices"]]
    for feature in data["lines"]["features"]:
        coords = feature["geometry"]["coordinates"]
        parts = coords if feature["geometry"]["type"] == "MultiLineString" else [coords]
        points.extend(p for part in parts for p in part)
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lats), min(lons)), (max(lats), max(lons))


def map_parts(data: dict) -> dict:
    """Folium's map: ``header`` (nonced styles), ``html`` (the map div), ``script``.

    Leaflet itself is left to the template (linked, or inlined offline); the
    page's viewport meta is the template's own.
    """
    centre, zoom = view_of(_bounds(data), width_px=700, height_px=450)
    m = LocalMap(location=centre, zoom_start=zoom, tiles=None, control_scale=True)
    m.default_js, m.default_css = [], []
    figure = m.get_root()
    figure.render()
    header = "".join(
        line for line in figure.header.render().splitlines(keepends=True) if "<meta" not in line
    )
    return {
        "header": Markup(with_nonce(header)),
        "html": Markup(figure.html.render()),
        "script": Markup(figure.script.render()),
        "name": m.get_name(),
    }


def _inline(path: Path) -> Markup:
    """A trusted file's text for an inline block (a ``</`` would end the block early)."""
    return Markup(path.read_text(encoding="utf-8").replace("</", "<\\/"))


def inline_assets(node_modules: str, app_static: str) -> dict:
    """The texts the offline file inlines: Leaflet's JS and CSS, the page scripts."""
    modules = Path(node_modules)
    return {
        "leaflet_js": _inline(modules.joinpath(*LEAFLET_JS)),
        "leaflet_css": _inline(modules.joinpath(*LEAFLET_CSS)),
        "dom_js": _inline(Path(app_static) / "dom.js"),
        "workorder_js": _inline(_STATIC / "workorder.js"),
    }
