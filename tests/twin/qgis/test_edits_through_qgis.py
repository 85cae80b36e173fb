"""Edits made in QGIS through its PostGIS provider, with personal logins.

The database keeps the rules for every client: a value outside the declared
ones is refused, a viewer cannot write, an editor can.  The version and
history test needs the database's versioning triggers (a part of issue 16
built beside this one).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import ProgrammingError

from tests.twin.qgis.conftest import login_url, service_file, stored_count
from tests.twin.qgis.qgis_process import run_qgis

pytestmark = [pytest.mark.db, pytest.mark.slow]

EDIT = """
uri = "service='twin' key='id' srid=4326 type=%s table=\\"qgis\\".\\"%s\\" (geom)" % (
    ARGS["type"], ARGS["table"])
layer = QgsVectorLayer(uri, ARGS["table"], "postgres")
assert layer.isValid(), "layer not valid"
fields = [f.name() for f in layer.fields()]
caps = layer.dataProvider().capabilities()
result = {"fields": fields, "count": layer.featureCount(),
          "can_change": bool(caps & QgsVectorDataProvider.ChangeAttributeValues),
          "can_add": bool(caps & QgsVectorDataProvider.AddFeatures)}
request = QgsFeatureRequest(QgsExpression("code = '%s'" % ARGS["code"]))
feature = next(layer.getFeatures(request))
layer.startEditing()
result["changed"] = all([
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf(name), value)
    for name, value in ARGS["values"].items()])
result["committed"] = layer.commitChanges()
result["errors"] = layer.commitErrors()
done(result)
"""


ADD = """
uri = "service='twin' key='id' srid=4326 type=Point table=\\"qgis\\".\\"water_valve\\" (geom)"
layer = QgsVectorLayer(uri, "valve", "postgres")
assert layer.isValid(), "layer not valid"
layer.startEditing()
feature = QgsVectorLayerUtils.createFeature(
    layer, QgsGeometry.fromPointXY(QgsPointXY(106.2, 21.28)),
    {layer.fields().indexOf("code"): ARGS["code"],
     layer.fields().indexOf("normal_state"): "open"})
layer.addFeature(feature)
done({"committed": layer.commitChanges(), "errors": layer.commitErrors()})
"""


def _code(twin, table: str) -> str:
    schema = "base" if table.startswith("base_") else "assets"
    with twin.engine.connect() as conn:
        return conn.execute(text(f'SELECT code FROM {schema}."{table}" ORDER BY code LIMIT 1')
                            ).scalar_one()


def _edit(twin, tmp_path, role, table, values, *, geometry="Point"):
    code = _code(twin, table)
    out = run_qgis(EDIT, {"table": table, "type": geometry, "code": code, "values": values}, env=service_file(tmp_path, twin, role))
    return code, out


def _row(twin, table: str, code: str):
    with twin.engine.connect() as conn:
        return conn.execute(text(f'SELECT * FROM assets."{table}" WHERE code = :c'),
                            {"c": code}).mappings().one()


def test_a_value_outside_the_allowed_ones_is_refused(qgis_twin, tmp_path):
    code, out = _edit(qgis_twin, tmp_path, "editor", "water_valve", {"normal_state": "half"})
    assert out["committed"] is False
    assert any("normal_state_allowed" in e for e in out["errors"]), out["errors"]
    assert _row(qgis_twin, "water_valve", code)["normal_state"] != "half"


def test_an_editor_login_writes(qgis_twin, tmp_path):
    code, out = _edit(qgis_twin, tmp_path, "editor", "water_valve",
                      {"normal_state": "closed", "operator": "QGIS"})
    assert out["committed"] is True, out["errors"]
    row = _row(qgis_twin, "water_valve", code)
    assert (row["normal_state"], row["operator"]) == ("closed", "QGIS")


def test_a_viewer_login_cannot_write(qgis_twin, tmp_path):
    code, out = _edit(qgis_twin, tmp_path, "viewer", "water_valve", {"operator": "viewer"})
    assert (out["can_change"], out["can_add"]) == (False, False)  # QGIS asked the database
    assert not (out["changed"] and out["committed"])
    assert _row(qgis_twin, "water_valve", code)["operator"] != "viewer"
    viewer = create_engine(login_url(qgis_twin, "viewer"), poolclass=pool.NullPool)
    with viewer.connect() as conn:
        for statement in ("UPDATE qgis.water_valve SET operator = 'viewer'",
                          "DELETE FROM qgis.water_valve",
                          "UPDATE assets.water_valve SET operator = 'viewer'"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text(statement))
            conn.rollback()
    viewer.dispose()


def test_a_viewer_login_does_not_see_personal_fields(qgis_twin, tmp_path):
    code, out = _edit(qgis_twin, tmp_path, "viewer", "water_service_connection", {})
    assert out["count"] == stored_count(qgis_twin, "water_service_connection")
    assert "meter_id" in out["fields"]
    assert "customer_name" not in out["fields"] and "phone" not in out["fields"]
    viewer = create_engine(login_url(qgis_twin, "viewer"), poolclass=pool.NullPool)
    with viewer.connect() as conn:
        for statement in ("SELECT customer_name FROM assets.water_service_connection",
                          "SELECT * FROM audit.history"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text(statement))
            conn.rollback()
    viewer.dispose()


def test_an_admin_login_reads_personal_fields_in_the_tables(qgis_twin):
    admin = create_engine(login_url(qgis_twin, "admin"), poolclass=pool.NullPool)
    with admin.connect() as conn:
        names = conn.execute(text("SELECT customer_name FROM assets.water_service_connection"))
        assert set(names.scalars()) == {"Nguyễn Văn A"}
        with pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("DELETE FROM assets.water_service_connection"))
    admin.dispose()


def test_an_editor_login_adds_a_feature_with_the_defaults_of_the_table(qgis_twin, tmp_path):
    out = run_qgis(ADD, {"code": "WTR-VLV-QGIS01"}, env=service_file(tmp_path, qgis_twin, "editor"))
    assert out["committed"] is True, out["errors"]
    row = _row(qgis_twin, "water_valve", "WTR-VLV-QGIS01")
    assert row["id"] > 0 and row["version"] >= 1 and row["status"] == "in_service"


def test_the_crew_sets_only_the_state_of_devices(qgis_twin, tmp_path):
    _, out = _edit(qgis_twin, tmp_path, "crew", "water_valve", {"normal_state": "open"})
    assert out["committed"] is True, out["errors"]
    _, out = _edit(qgis_twin, tmp_path, "crew", "water_valve", {"operator": "crew"})
    assert out["committed"] is False


def test_an_edit_from_qgis_bumps_the_version_and_is_in_the_history(qgis_twin, tmp_path):
    """Needs the versioning triggers of the database (issue 16, the other part)."""
    code = _code(qgis_twin, "water_valve")
    before = _row(qgis_twin, "water_valve", code)["version"]
    _, out = _edit(qgis_twin, tmp_path, "editor", "water_valve", {"owner": "QGIS owner"})
    assert out["committed"] is True, out["errors"]
    row = _row(qgis_twin, "water_valve", code)
    assert row["version"] == before + 1
    login = qgis_twin.logins["editor"][1]
    with qgis_twin.engine.connect() as conn:
        last = conn.execute(text(
            "SELECT action, changed_by, version FROM audit.history "
            "WHERE feature_type = 'water_valve' AND code = :c ORDER BY id DESC LIMIT 1"),
            {"c": code}).mappings().one()
    assert (last["action"], last["version"]) == ("update", before + 1)
    assert last["changed_by"] in (login, qgis_twin.logins["editor"][0])
