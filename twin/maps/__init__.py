"""What the map shows besides the features: what was clicked, search, extent, relief.

:mod:`.lookup` answers the map page's questions from the database (the
feature under a click, a search by code, name or address, the data's
extent, a commune's name, where the elevation model is); :mod:`.hillshade`
shades the elevation model into web-mercator PNG tiles, cached on disk
(:mod:`.filecache`).  ``webmap.map`` only turns the answers into responses.
"""

from .hillshade import MIN_ZOOM, TileCache, empty_tile
from .lookup import commune_name, data_bounds, dem_path, feature_at, fold, metres_per_pixel, search

__all__ = [
    "MIN_ZOOM",
    "TileCache",
    "commune_name",
    "data_bounds",
    "dem_path",
    "empty_tile",
    "feature_at",
    "fold",
    "metres_per_pixel",
    "search",
]
