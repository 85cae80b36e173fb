"""What the map shows besides the features: what was clicked, extent, relief.

:mod:`.lookup` answers the map page's questions from the database (the
feature under a click, the data's extent, a commune's name, where the
elevation model is; search is :mod:`twin.search`); :mod:`.hillshade` shades
the elevation model into web-mercator PNG tiles, cached on disk
(:mod:`.filecache`), read onto each tile's grid by :mod:`.warped` (safe on
the server's threads); :mod:`.tiles` joins the vector tiles of every shown
feature type into one, kept in memory until the twin's data changes;
:mod:`.basemap` gives the base map around a place as GeoJSON for pages that
draw with no server (the work order).  ``webmap`` only turns the answers
into responses.
"""

from .basemap import BASE_TYPES, base_map_features, base_map_styles
from .hillshade import MIN_ZOOM, TileCache, empty_tile
from .lookup import commune_name, data_bounds, dem_path, feature_at, metres_per_pixel
from .tiles import TileMemo, combined_tile

__all__ = [
    "BASE_TYPES",
    "MIN_ZOOM",
    "TileCache",
    "TileMemo",
    "base_map_features",
    "base_map_styles",
    "combined_tile",
    "commune_name",
    "data_bounds",
    "dem_path",
    "empty_tile",
    "feature_at",
    "metres_per_pixel",
]
