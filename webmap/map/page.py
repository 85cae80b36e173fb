"""The folium map of the map page, built from local assets only.

Folium draws the Leaflet map and its raster layers (the DEM hillshade and an
optional online basemap); the vector layers, panels and editing tools are
the map page's own scripts, started by :class:`MapApp` once the map exists.
Folium's default links to CDNs are replaced by the files served under
``/vendor`` so that the page works with no network.
"""

from __future__ import annotations

import math

import folium
from branca.element import MacroElement
from folium.template import Template

from twin.maps import MIN_ZOOM

from ..assets import local_folium_assets
from ..headers import with_nonce

__all__ = ["MapApp", "build_map", "map_parts", "view_of"]

#: Where the map opens when the database holds no administrative units.
DEFAULT_CENTER = (21.2731, 106.1946)
DEFAULT_ZOOM = 14


class LocalMap(folium.Map):
    """A folium map whose JavaScript and CSS come from this app, never from a CDN."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Instance attributes: folium's class-level lists are shared and mutable.
        self.default_js, self.default_css = local_folium_assets()


class MapApp(MacroElement):
    """Starts the page's scripts on the folium map with the page configuration."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Twin.start({{ this._parent.get_name() }}, {{ this.config|tojson }}, {
          {%- for key, layer in this.rasters.items() %}
          {{ key|tojson }}: {{ layer.get_name() }},
          {%- endfor %}
        });
        {% endmacro %}
    """)

    def __init__(self, config: dict, rasters: dict):
        super().__init__()
        self._name = "MapApp"
        self.config = config
        self.rasters = rasters


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_of(bounds, *, width_px: int = 1100, height_px: int = 800, max_zoom: int = 18):
    """Centre ``(lat, lon)`` and whole zoom showing ``((south, west), (north, east))``.

    Computed on the server so that the map opens at its final view and no
    tile is fetched for a view that is immediately left.
    """
    if not bounds:
        return DEFAULT_CENTER, DEFAULT_ZOOM
    (south, west), (north, east) = bounds
    centre_y = (_mercator_y(south) + _mercator_y(north)) / 2
    centre = (math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2), (west + east) / 2)
    span_x = max(east - west, 1e-9) / 360
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-9) / (2 * math.pi)
    zoom = math.floor(min(math.log2(width_px / 256 / span_x), math.log2(height_px / 256 / span_y)))
    return centre, max(0, min(max_zoom, zoom))


def build_map(
    config: dict,
    *,
    bounds=None,
    hillshade_url: str | None = None,
    hillshade_native_zoom: int = 17,
    online_basemap: dict | None = None,
    coverage: dict | None = None,
) -> LocalMap:
    """The folium map: canvas rendering, the raster layers, then the page scripts.

    The map opens on ``bounds`` ``((south, west), (north, east))`` when given
    (a view kept in the address, ``#zoom/lat/lon``, wins in the browser).
    ``online_basemap`` ``{"url", "attribution"}`` adds an optional raster
    basemap the user may switch on (off by default: the page needs no network).
    ``coverage`` ``{"url", "bounds", "native_zoom"}`` adds the last computed
    mobile coverage as a tile layer (off by default).
    """
    centre, zoom = view_of(bounds)
    m = LocalMap(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=20,
    )
    rasters = _raster_layers(online_basemap, hillshade_url, hillshade_native_zoom, coverage)
    for layer in rasters.values():
        layer.add_to(m)
    MapApp(config, rasters).add_to(m)
    return m


def _raster_layers(online_basemap, hillshade_url, hillshade_native_zoom, coverage) -> dict:
    """The raster layers the page may show, by name, in drawing order."""
    rasters = {}
    if online_basemap:
        rasters["online"] = folium.TileLayer(
            online_basemap["url"],
            attr=online_basemap.get("attribution", ""),
            name="online",
            overlay=False,
            show=False,
            max_zoom=20,
            max_native_zoom=19,
        )
    if hillshade_url:
        rasters["hillshade"] = folium.TileLayer(
            hillshade_url,
            attr="DEM",
            name="hillshade",
            overlay=True,
            show=True,
            opacity=1.0,
            max_zoom=20,
            max_native_zoom=hillshade_native_zoom,
            min_zoom=MIN_ZOOM,
        )
    if coverage:
        b = coverage["bounds"]
        rasters["coverage"] = folium.TileLayer(
            coverage["url"],
            attr="DEM, cell sites",
            name="coverage",
            overlay=True,
            show=False,
            opacity=0.8,
            max_zoom=20,
            max_native_zoom=coverage["native_zoom"],
            bounds=[[b["south"], b["west"]], [b["north"], b["east"]]],
        )
    return rasters


def map_parts(m: folium.Map) -> dict:
    """Header, body and script of the rendered map, for the page template.

    Folium's inline ``<script>`` and ``<style>`` blocks in the header get the
    request's nonce (the Content-Security-Policy runs no other); the page
    template gives the script part its own nonced ``<script>``.
    """
    figure = m.get_root()
    figure.render()
    return {
        "header": with_nonce(figure.header.render()),
        "html": figure.html.render(),
        "script": figure.script.render(),
    }
