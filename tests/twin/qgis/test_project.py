"""The generated project opened by the real QGIS through a personal login."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine
from sqlalchemy import text

from layers import feature_types
from tests.twin.qgis.conftest import service_file, stored_count
from tests.twin.qgis.qgis_process import run_qgis
from twin.config import Settings
from twin.db.engine import session_scope
from twin.qgis import options_for, write_project

pytestmark = [pytest.mark.db, pytest.mark.slow]

OPEN = """
project = QgsProject.instance()
assert project.read(ARGS["path"]), "project not read"
layers = project.mapLayers().values()
counts = {l.id(): l.featureCount() for l in layers if l.type() == QgsMapLayerType.VectorLayer}
result = {
    "invalid": sorted(l.id() for l in layers if not l.isValid()),
    "counts": counts,
    "crs": project.crs().authid(),
    "groups": [g.name() for g in project.layerTreeRoot().children() if g.nodeType() == 0],
    "renderer": project.mapLayer("water_valve_twin").renderer().type(),
    "categories": [c.value() for c in project.mapLayer("water_valve_twin").renderer().categories()],
    "alias": project.mapLayer("water_pipe_twin").attributeAlias(
        project.mapLayer("water_pipe_twin").fields().indexOf("diameter_mm")),
    "value_map": project.mapLayer("water_valve_twin").editorWidgetSetup(
        project.mapLayer("water_valve_twin").fields().indexOf("normal_state")).type(),
    "id_editable": not project.mapLayer("water_pipe_twin").editFormConfig().readOnly(
        project.mapLayer("water_pipe_twin").fields().indexOf("id")),
    "snapping": project.snappingConfig().individualLayerSettings(
        project.mapLayer("water_pipe_twin")).enabled(),
    "tolerance": project.snappingConfig().individualLayerSettings(
        project.mapLayer("water_pipe_twin")).tolerance(),
    "lang": QgsExpressionContextUtils.projectScope(project).variable("twin_lang"),
}
done(result)
"""


def _project(twin, tmp_path, **overrides):
    settings = Settings(home=tmp_path, database_url=twin.url, snap_tolerance_m=1.5)
    with session_scope(twin.engine) as session:
        opts = options_for(session, settings, **overrides)
    return write_project(tmp_path / "twin.qgz", opts)


def test_every_layer_opens_valid_with_a_viewer_login(qgis_twin, tmp_path):
    path = _project(qgis_twin, tmp_path)
    out = run_qgis(OPEN, {"path": str(path)}, env=service_file(tmp_path, qgis_twin, "viewer"))
    assert out["invalid"] == []
    assert len(out["counts"]) == len(feature_types())
    for table in qgis_twin.counts:
        assert out["counts"][f"{table}_twin"] == stored_count(qgis_twin, table), table
    assert out["crs"] == "EPSG:9214"  # VN-2000, Bắc Giang's 3° zone
    assert "Cấp nước" in out["groups"] and "Nền địa lý" in out["groups"]
    assert out["renderer"] == "categorizedSymbol"
    assert set(out["categories"]) >= {"open", "closed"}
    assert out["alias"] == "Đường kính (mm)"
    assert out["value_map"] == "ValueMap"
    assert out["id_editable"] is False
    assert out["snapping"] is True and out["tolerance"] == 1.5
    assert out["lang"] == "vi"


def test_english_variant(qgis_twin, tmp_path):
    path = _project(qgis_twin, tmp_path, lang="en")
    out = run_qgis(OPEN, {"path": str(path)}, env=service_file(tmp_path, qgis_twin, "viewer"))
    assert out["alias"] == "Diameter (mm)"
    assert "Water supply" in out["groups"]
    assert out["lang"] == "en"


HILLSHADE = """
project = QgsProject.instance()
assert project.read(ARGS["path"])
dem = project.mapLayer("dem_hillshade_twin")
done({"valid": dem.isValid(), "renderer": dem.renderer().type(),
      "invalid": sorted(l.id() for l in project.mapLayers().values() if not l.isValid())})
"""


def test_the_registered_dem_is_drawn_as_a_hillshade(qgis_twin, tmp_path):
    (tmp_path / "rasters").mkdir()
    tif = tmp_path / "rasters" / "dem.tif"
    heights = np.add.outer(np.arange(20.0), np.arange(20.0)).astype("float32")
    with rasterio.open(tif, "w", driver="GTiff", width=20, height=20, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(0.001, 0, 106.19, 0, -0.001, 21.28)) as f:
        f.write(heights, 1)
    register = text(
        "INSERT INTO base.raster_layer (name, path, crs, resolution_m, bounds) VALUES "
        "('dem', 'rasters/dem.tif', 'EPSG:4326', 100, "
        "ST_MakeEnvelope(106.19, 21.26, 106.21, 21.28, 4326))")
    with qgis_twin.engine.begin() as conn:
        conn.execute(register)
    try:
        path = _project(qgis_twin, tmp_path)
    finally:
        with qgis_twin.engine.begin() as conn:
            conn.execute(text("DELETE FROM base.raster_layer WHERE name = 'dem'"))
    out = run_qgis(HILLSHADE, {"path": str(path)},
                   env=service_file(tmp_path, qgis_twin, "viewer"))
    assert out == {"valid": True, "renderer": "hillshade", "invalid": []}
