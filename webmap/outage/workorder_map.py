"""The work order's map: the affected lines and the devices to operate.

Folium draws the Leaflet map (from this app's own Leaflet, never a CDN); the
data travels as one JSON block the page's script reads as text.  The same
page can be downloaded as one self-contained file for a crew phone without
network: Leaflet, the scripts and the data are then inlined, and a policy in
the file itself lets only those inline blocks run.  The twin's own base map
around the outage (roads, rivers, buildings, names: :mod:`twin.maps`) travels
in the same JSON block, so the map needs no tile server, and a legend lists
what is drawn.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup
from shapely.geometry import mapping, shape

from layers import feature_type
from twin.maps import BASE_TYPES, base_map_features, base_map_styles

from ..assets import LEAFLET_CSS, LEAFLET_JS
from ..headers import with_nonce
from ..i18n import label
from ..map.catalog import legend
from ..map.page import LocalMap, view_of

__all__ = ["inline_assets", "legend_sections", "map_data", "map_parts", "with_base_map"]

#: Simplification tolerance in degrees (about two metres): plenty for a
#: printed map, and it keeps the offline file small.
SIMPLIFY_DEG = 2e-5
#: Coordinate decimals kept (about ten centimetres).
DECIMALS = 6

_STATIC = Path(__file__).resolve().parent / "static"
_LINES = {"LineString", "MultiLineString"}
#: The outage's own colours, as workorder.js draws them: failed, isolated, other roles.
OUTAGE_COLOURS = {"failed": "#d62728", "isolated": "#ff7f0e", "affected": "#9467bd"}
DEVICE_COLOUR = "#1f77b4"
_META = re.compile(r"<meta\b[^>]*>\s*")
_SWATCH = {"Point": "point", "LineString": "line", "Polygon": "area", "MultiPolygon": "area"}


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


def with_base_map(data: dict, session) -> dict:
    """``data`` with the base map around its lines and devices (``base``, ``base_styles``)."""
    bounds = _bounds(data)
    if bounds is None:
        return data
    (south, west), (north, east) = bounds
    base = base_map_features(session, (west, south, east, north))
    return {**data, "base": base, "base_styles": base_map_styles()}


def legend_sections(words: dict) -> list[dict]:
    """The legend under the map: the base map's types (from their declarations), the outage.

    ``words`` are the outage page's messages; each entry is ``{label, kind, color, width}``.
    """
    base = []
    for table in BASE_TYPES:
        ft = feature_type(table)
        entries = legend(ft) if table == "base_road" else [{"label": label(ft)}]
        base += [
            {"kind": _SWATCH[ft.geometry], "color": ft.style.color, "width": ft.style.weight,
             "casing": table == "base_road", **e}
            for e in entries
        ]
    outage = [
        {"label": words["assets"], "kind": "line", "color": OUTAGE_COLOURS["failed"], "width": 6},
        {"label": words["isolated"], "kind": "line", "color": OUTAGE_COLOURS["isolated"],
         "width": 4},
        {"label": words["affected"], "kind": "line", "color": OUTAGE_COLOURS["affected"],
         "width": 4},
        {"label": words["to_operate"], "kind": "point", "color": DEVICE_COLOUR, "width": 2},
    ]
    return [
        {"title": words["base_map"], "entries": base},
        {"title": words["the_outage"], "entries": outage},
    ]


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
    # Folium's viewport meta spans lines: the whole element goes, the page has its own.
    header = _META.sub("", figure.header.render())
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
