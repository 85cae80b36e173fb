"""QGIS (Debian's ``python3-qgis``) adds the twin's vector tiles through their style URL.

The layer is made the way a QGIS user adds "Vector tiles" with a style URL:
an XYZ source whose ``styleUrl`` is ``/tiles/base/style.json``.  QGIS
converts the MapLibre style into its own renderer, fetches the tiles over
HTTP from the served twin and draws them: the river seeded here must come
out in the colour its declaration gives.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from shapely.geometry import LineString

from layers import feature_type
from tests.factories import sample_properties
from tests.twin.qgis.qgis_process import run_qgis
from twin.db.engine import session_scope
from twin.edits import create_feature

pytestmark = [pytest.mark.db, pytest.mark.slow]

#: A river across the middle of the view drawn below, where no other test puts features.
RIVER = LineString([(104.9, 19.95), (105.1, 19.95)])
VIEW = (104.95, 19.9, 105.05, 20.0)  # west, south, east, north

DRAW = """
uri = "styleUrl=" + ARGS["style"] + "&type=xyz&zmin=0&zmax=17&url=" + ARGS["tiles"]
layer = QgsVectorTileLayer(uri, "twin base map")
out = {"valid": layer.isValid()}
message, loaded = layer.loadDefaultStyle()
out["style_loaded"] = loaded
renderer = layer.renderer()
styles = renderer.styles() if renderer is not None else []
out["style_layers"] = sorted({s.layerName() for s in styles})
river = [s for s in styles if s.layerName() == "base_river" and s.geometryType() == 1]
out["river_colour"] = river[0].symbol().color().name() if river else None
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
west, south, east, north = ARGS["view"]
to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                     QgsCoordinateReferenceSystem("EPSG:3857"),
                                     QgsProject.instance())
settings.setExtent(to_mercator.transformBoundingBox(QgsRectangle(west, south, east, north)))
settings.setOutputSize(QSize(256, 256))
settings.setBackgroundColor(QColor("white"))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
colours = {}
for x in range(0, 256, 2):
    for y in range(0, 256, 2):
        name = QColor(image.pixel(x, y)).name()
        colours[name] = colours.get(name, 0) + 1
out["colours"] = colours
done(out)
"""
PRELUDE = "from qgis.PyQt.QtCore import QSize\nfrom qgis.PyQt.QtGui import QColor\n"


@pytest.fixture(scope="module")
def river(api_engine):
    ft = feature_type("base_river")
    with session_scope(api_engine) as session:
        create_feature(session, "base_river", sample_properties(ft), RIVER, user="t")


def test_qgis_draws_the_tiles_through_the_style_url(live_server, river):
    style = f"{live_server}/tiles/base/style.json"
    tiles = quote(
        f"{live_server}/map/tiles/{{z}}/{{x}}/{{y}}.mvt?size=512&t=base_river,base_road",
        safe="",
    )
    out = run_qgis(PRELUDE + DRAW, {"style": style, "tiles": tiles, "view": VIEW})
    assert out["valid"] and out["style_loaded"], out
    assert {"base_river", "base_road", "base_building"} <= set(out["style_layers"])
    declared = feature_type("base_river").style.color
    assert out["river_colour"] == declared
    drawn = out["colours"].get(declared, 0)
    assert drawn > 20, f"the river's colour is not on the map QGIS drew: {out['colours']}"
