"""A GeoPackage export carries the twin's styles; QGIS applies them on opening."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.orm import Session

from tests.twin.qgis.conftest import stored_count
from tests.twin.qgis.qgis_process import run_qgis
from twin.io.exporter import export_features

pytestmark = [pytest.mark.db, pytest.mark.slow]

OPEN = """
out = {}
for table in ARGS["tables"]:
    layer = QgsVectorLayer(ARGS["path"] + "|layername=" + table, table, "ogr")
    assert layer.isValid(), table
    field = ARGS["fields"][table]
    out[table] = {
        "renderer": layer.renderer().type(),
        "alias": layer.attributeAlias(layer.fields().indexOf(field)),
        "widget": layer.editorWidgetSetup(layer.fields().indexOf(field)).type(),
        "count": layer.featureCount(),
    }
done(out)
"""


def test_a_gpkg_export_opens_in_qgis_with_its_style(qgis_twin, tmp_path):
    path = tmp_path / "water.gpkg"
    with Session(qgis_twin.engine) as session:
        report = export_features(session, "water", path, fmt="gpkg")
    with sqlite3.connect(path) as db:
        styled = {r[0] for r in db.execute("SELECT f_table_name FROM layer_styles "
                                           "WHERE useAsDefault")}
    assert styled == set(report.counts)
    out = run_qgis(OPEN, {"path": str(path), "tables": ["water_valve", "water_pipe"],
                          "fields": {"water_valve": "normal_state", "water_pipe": "material"}})
    assert out["water_valve"]["renderer"] == "categorizedSymbol"
    assert out["water_valve"]["alias"] == "Trạng thái thường"
    assert out["water_valve"]["widget"] == "ValueMap"
    assert out["water_valve"]["count"] == report.counts["water_valve"]
    assert report.counts["water_valve"] == stored_count(qgis_twin, "water_valve")
    assert out["water_pipe"]["renderer"] == "graduatedSymbol"
    assert out["water_pipe"]["alias"] == "Vật liệu"
