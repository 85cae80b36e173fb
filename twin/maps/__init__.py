"""What the map shows besides the features: what was clicked, extent, relief.

:mod:`.lookup` answers the map page's questions from the database (the
feature under a click, the data's extent, a commune's name, where the
elevation model is; search is :mod:`twin.search`); :mod:`.hillshade` shades
the elevation model into web-mercator PNG tiles, cached on disk
(:mod:`.filecache`).  ``webmap.map`` only turns the answers into responses.
"""

from .hillshade import MIN_ZOOM, TileCache, empty_tile
from .lookup import commune_name, data_bounds, dem_path, feature_at, metres_per_pixel

__all__ = [
    "MIN_ZOOM",
    "TileCache",
    "commune_name",
    "data_bounds",
    "dem_path",
    "empty_tile",
    "feature_at",
    "metres_per_pixel",
]
