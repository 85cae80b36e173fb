"""QGIS's OGC API – Features provider (OAPIF) reads the served twin: counts and fields.

An API token reaches QGIS the way a user sets it up: an authentication
configuration of method Basic with the token as password (the API accepts
HTTP Basic with a token, see ``docs/api.md``), named by ``authcfg``.
"""

from __future__ import annotations

import pytest
from shapely.geometry import Point
from sqlalchemy import text

from layers import feature_type
from tests.factories import sample_properties
from tests.twin.qgis.qgis_process import run_qgis
from twin.db.engine import session_scope
from twin.edits import create_feature
from twin.features import PERSONAL_HIDDEN
from twin.qgis import ProjectOptions, write_project

pytestmark = [pytest.mark.db, pytest.mark.slow]

COLLECTIONS = ("water_valve", "water_service_connection", "trees_tree", "base_village")

OPEN = """
authcfg = ""
if ARGS["token"]:
    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("master password of this run", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("twin")
    config.setConfig("username", "token")
    config.setConfig("password", ARGS["token"])
    assert manager.storeAuthenticationConfig(config)
    authcfg = config.id()
project = QgsProject.instance()
path = ARGS["path"]
text = open(path, encoding="utf-8").read().replace("authcfg=AUTHCFG", "authcfg=" + authcfg)
open(path, "w", encoding="utf-8").write(text)
assert project.read(path)
out = {}
for table in ARGS["tables"]:
    layer = project.mapLayer(table + "_twin")
    out[table] = {"valid": layer.isValid(), "count": layer.featureCount(),
                  "fields": [f.name() for f in layer.fields()],
                  "features": sum(1 for _ in layer.getFeatures())}
    if "customer_name" in out[table]["fields"]:
        out[table]["customer_names"] = sorted({str(f["customer_name"])
                                               for f in layer.getFeatures()})
done(out)
"""


@pytest.fixture(scope="module")
def served(api_engine):
    """A few features of each collection read, where no other test puts any; the numbers now."""
    with session_scope(api_engine) as session:
        for table in COLLECTIONS:
            ft = feature_type(table)
            for i in range(3):
                create_feature(session, table, sample_properties(ft),
                               Point(105.3 + i * 1e-3, 20.9 + len(table) * 1e-4), user="t")
    counts = {}
    with api_engine.connect() as conn:
        for table in COLLECTIONS:
            schema = "base" if table.startswith("base_") else "assets"
            counts[table] = conn.execute(text(f"SELECT count(*) FROM {schema}.{table}")).scalar_one()
    return counts


def _open(live_server, tmp_path, tables, token=None):
    path = write_project(tmp_path / "oapif.qgs", ProjectOptions(
        via="oapif", url=live_server, authcfg="AUTHCFG" if token else ""))
    return run_qgis(OPEN, {"path": str(path), "tables": list(tables), "token": token})


def test_each_collection_opens_with_its_count_and_fields(live_server, tokens, served, tmp_path):
    out = _open(live_server, tmp_path, COLLECTIONS, tokens["viewer"])
    for table in COLLECTIONS:
        layer = out[table]
        assert layer["valid"], table
        assert layer["count"] == layer["features"] == served[table], table
        declared = {a.name for a in feature_type(table).attributes if not a.personal}
        assert declared <= set(layer["fields"]), table
    # A viewer's token: personal values are masked by the API, as on the web map.
    assert out["water_service_connection"]["customer_names"] == [PERSONAL_HIDDEN]


def test_without_a_token_only_open_data(live_server, served, tmp_path):
    out = _open(live_server, tmp_path, ("trees_tree", "water_valve"))
    assert out["trees_tree"]["valid"] and out["trees_tree"]["features"] == served["trees_tree"]
    assert out["water_valve"]["features"] == 0
