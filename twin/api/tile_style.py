"""MapLibre style documents (``style.json``) for the vector tiles, derived from ``layers/``.

The web map and any MapLibre or QGIS client draw the tiles from the same
document, so a colour or a width declared once in a layer's :class:`Style`
shows the same everywhere.  Zooms are MapLibre's: its vector tiles are 512
pixels wide, so a type declared from (Leaflet, 256-pixel) zoom 15 is drawn
from style zoom 14, out of tiles made with ``detail=1``
(:func:`twin.api.tiles.tile_statement`).  Each feature type becomes style layers named
after its table (source layer = the table, as in the tiles):

* points: one ``circle`` layer (radius, colour by value, grey outline);
* lines: a grey casing under pale lines (streets on the light ground), the
  line itself (colour by value, width by class), and planned lines dashed;
* areas: a ``fill`` and its outline.

Abandoned assets are drawn faded, as on the Leaflet map before.  Base-map
types with a ``name`` get a label layer on top; the style names no glyph
server, so MapLibre draws the letters with the browser's own fonts (the
page needs no network and Vietnamese diacritics render as typed).
"""

from __future__ import annotations

from dataclasses import dataclass

from layers import feature_type, layer
from twin.declare import FeatureType, Style

from .tiles import tile_attributes

__all__ = ["SOURCE_MAX_ZOOM", "TileSource", "draw_order", "style_document", "style_layers"]

#: Deepest tiles a style asks for; MapLibre enlarges them past it (4096 units over
#: a 512-pixel tile at zoom 17 is 7 cm on the ground in Vietnam).
SOURCE_MAX_ZOOM = 17

_GEOMETRY_ORDER = {"MultiPolygon": 0, "Polygon": 0, "LineString": 1, "Point": 2}
#: Lines paler than this (0 black .. 1 white) get a grey casing, as streets do.
_PALE = 0.75
_CASING = "#a7a39b"
_FADED = 0.45
_LABEL_FONT = ["Noto Sans Regular"]


@dataclass(frozen=True)
class TileSource:
    """A vector tile source of a style: its id, tile URL template and feature types."""

    id: str
    tiles: str
    feature_types: tuple[FeatureType, ...]


def draw_order(tables) -> list[str]:
    """Tables sorted to draw areas, then lines, then points; base map before assets."""
    return sorted(
        tables,
        key=lambda t: (
            _GEOMETRY_ORDER[feature_type(t).geometry],
            layer(feature_type(t).layer).asset,
            t,
        ),
    )


def _lightness(hex_color: str) -> float:
    n = int(hex_color[1:], 16)
    return (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255


def _color(s: Style):
    if not (s.by and s.colors):
        return s.color
    expression: list = ["match", ["to-string", ["get", s.by]]]
    for value, color in s.colors.items():
        expression += [value, color]
    return [*expression, s.color]


def _width(s: Style, extra: float = 0.0):
    """Line width in pixels: by class of ``s.by`` (upper bounds ``s.breaks``) or fixed."""
    if not (s.by and s.breaks):
        return s.weight + extra
    widths = s.widths or (s.weight,) * len(s.breaks)
    value = ["to-number", ["get", s.by]]
    expression: list = ["case", ["==", ["get", s.by], None], s.weight + extra]
    for high, width in zip(s.breaks[:-1], widths[:-1], strict=False):
        expression += [["<=", value, high], width + extra]
    return [*expression, widths[-1] + extra]


def _opacity(full: float):
    return ["case", ["==", ["get", "status"], "abandoned"], full * _FADED, full]


def _palest(s: Style) -> float:
    colors = [s.color, *s.colors.values()] if s.by and s.colors else [s.color]
    return max(_lightness(c) for c in colors)


def _base(ft: FeatureType, source: str, suffix: str, kind: str) -> dict:
    return {
        "id": f"{ft.table}{suffix}",
        "type": kind,
        "source": source,
        "source-layer": ft.table,
        "minzoom": max(0, ft.min_zoom - 1),
        "metadata": {"twin:table": ft.table, "twin:layer": ft.layer},
    }


def _point_layers(ft: FeatureType, source: str) -> list[dict]:
    s = ft.style
    paint = {
        "circle-radius": s.radius,
        "circle-color": _color(s),
        "circle-opacity": _opacity(0.95),
        "circle-stroke-color": "#333333",
        "circle-stroke-width": 0.6,
        "circle-stroke-opacity": _opacity(1.0),
    }
    return [{**_base(ft, source, "", "circle"), "paint": paint}]


def _line_layers(ft: FeatureType, source: str) -> list[dict]:
    s = ft.style
    layout = {"line-cap": "round", "line-join": "round"}
    paint = {"line-color": _color(s), "line-width": _width(s), "line-opacity": _opacity(0.95)}
    planned = ["==", ["get", "status"], "planned"]
    layers = []
    if _palest(s) >= _PALE:
        casing = {"line-color": _CASING, "line-width": _width(s, 2), "line-opacity": _opacity(1)}
        layers.append({**_base(ft, source, "-casing", "line"), "layout": layout, "paint": casing})
    layers.append(
        {
            **_base(ft, source, "", "line"),
            "filter": ["!", planned],
            "layout": layout,
            "paint": paint,
        }
    )
    dashed = {**paint, "line-dasharray": [3, 2]}
    layers.append(
        {
            **_base(ft, source, "-planned", "line"),
            "filter": planned,
            "layout": layout,
            "paint": dashed,
        }
    )
    return layers


def _area_layers(ft: FeatureType, source: str) -> list[dict]:
    """A fill (none when declared transparent: boundaries) and the outline."""
    s = ft.style
    outline = {"line-color": _color(s), "line-width": s.weight, "line-opacity": _opacity(1.0)}
    layers = [{**_base(ft, source, "-outline", "line"), "paint": outline}]
    if s.fill_opacity > 0:  # an invisible fill still costs every pixel it covers
        fill = {"fill-color": _color(s), "fill-opacity": _opacity(s.fill_opacity)}
        layers.insert(0, {**_base(ft, source, "", "fill"), "paint": fill})
    return layers


def _label_layer(ft: FeatureType, source: str) -> dict:
    along = ft.geometry == "LineString"
    layout = {
        "text-field": ["get", "name"],
        "text-font": _LABEL_FONT,
        "text-size": 12,
        "symbol-placement": "line" if along else "point",
        "text-max-width": 8,
    }
    if not along:
        layout["text-offset"] = [0, 1.1]
        layout["text-anchor"] = "top"
    paint = {"text-color": "#333333", "text-halo-color": "#ffffff", "text-halo-width": 1.5}
    return {**_base(ft, source, "-label", "symbol"), "layout": layout, "paint": paint}


_BY_GEOMETRY = {
    "Point": _point_layers,
    "LineString": _line_layers,
    "Polygon": _area_layers,
    "MultiPolygon": _area_layers,
}


def _labelled(ft: FeatureType) -> bool:
    """Base-map points and lines with a name (roads, rivers, villages, facilities)."""
    return (
        not layer(ft.layer).asset
        and ft.geometry != "MultiPolygon"
        and "name" in tile_attributes(ft)
    )


def style_layers(sources: list[TileSource]) -> list[dict]:
    """The style layers of ``sources`` in draw order: areas, lines, points, then labels."""
    source_of = {ft.table: src.id for src in sources for ft in src.feature_types}
    ordered = [feature_type(t) for t in draw_order(source_of)]
    drawn = [sl for ft in ordered for sl in _BY_GEOMETRY[ft.geometry](ft, source_of[ft.table])]
    labels = [_label_layer(ft, source_of[ft.table]) for ft in ordered if _labelled(ft)]
    return drawn + labels


def style_document(name: str, sources: list[TileSource], *, center=None, zoom=None) -> dict:
    """A MapLibre style (version 8) drawing ``sources`` as ``layers/`` declares.

    ``center`` is ``(lon, lat)`` and ``zoom`` the view a client opens on.
    """
    document = {
        "version": 8,
        "name": name,
        "metadata": {"twin:generated-from": "layers"},
        "sources": {
            src.id: {
                "type": "vector",
                "tiles": [src.tiles],
                "minzoom": max(0, min(ft.min_zoom for ft in src.feature_types) - 1),
                "maxzoom": SOURCE_MAX_ZOOM,
            }
            for src in sources
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": "#f8f4f0"}},
            *style_layers(sources),
        ],
    }
    if center is not None:
        document["center"] = list(center)
    if zoom is not None:
        document["zoom"] = zoom
    return document
