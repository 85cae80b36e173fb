import json

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from click.testing import CliRunner
from shapely import LineString

from twin.cli import cli

from .own_db import own_db_url  # noqa: F401
from .places import at, shifted

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("zoning-cli")]


def write(path, geometries, layer, **fields):
    pyogrio.raw.write(
        path,
        shapely.to_wkb(np.array(geometries, dtype=object)),
        [np.array(values, dtype=object) for values in fields.values()],
        list(fields),
        layer=layer,
        crs="EPSG:9214",
        geometry_type=geometries[0].geom_type,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    general = folder / "general.gpkg"
    write(general, [at(0, 0, 100, 100), at(100, 0, 400, 100)], "zones", kyhieu=["CX", "ODT"])
    write(general, [shifted(LineString([(-50, 50), (450, 50)]))], "red_lines", ten=["Road A"])
    legend = folder / "legend.csv"
    legend.write_text("legend_code,code\nCX,DKV\n")
    zoning = folder / "zoning.gpkg"
    write(
        zoning,
        [at(0, 0, 40, 100), at(40, 0, 100, 100), at(100, 0, 200, 100)],
        "zones",
        landuse=["ODT", "DKV", "XYZ"],
        zone_id=["o1", "o2", "o3"],
    )
    return {"general": general, "legend": legend, "zoning": zoning, "folder": folder}


@pytest.fixture
def twin(own_db_url, tmp_path):  # noqa: F811
    runner = CliRunner()
    env = {"DATABASE_URL": own_db_url, "TWIN_HOME": str(tmp_path)}

    def run(*args, code=0):
        result = runner.invoke(cli, [str(a) for a in args], env=env)
        assert result.exit_code == code, result.output
        return result.output

    return run


def test_import_check_decide_report(twin, files):
    out = twin(
        "zoning", "import", files["general"], "--level", "general", "--name", "GEN",
        "--legend", files["legend"], "--status", "approved",
        "--decision", "123/QĐ-UBND", "--decision-date", "2024-05-01",
    )  # fmt: skip
    assert "plan GEN version 1 (general, approved) from EPSG:9214: 2 zones, 1 red lines" in out
    out = twin("zoning", "import", files["zoning"], "--level", "zoning", "--name", "ZON")
    assert "codes not in the national list nor the legend: XYZ" in out
    assert "* GEN@1  general  approved" in twin("zoning", "plans")

    report = json.loads(twin("zoning", "check", "--plan", "ZON", "--json"))
    assert report["run"]["counts"] == {
        "unknown_code": 1,
        "land_use_conflict": 1,
        "road_not_followed": 1,
    }
    features = {f["properties"]["kind"]: f for f in report["findings"]["features"]}
    conflict = features["land_use_conflict"]
    assert conflict["properties"]["involved"] == ["zone:GEN/zones:1", "zone:ZON/o1"]
    assert conflict["geometry"]["type"] == "MultiPolygon"

    out = twin(
        "zoning", "decide", conflict["id"], "--status", "accepted",
        "--note", "the park moves north in revision 2", "--user", "planner1",
    )  # fmt: skip
    assert "accepted by planner1" in out
    out = twin("zoning", "check", "--plan", "ZON")
    assert "land_use_conflict       1  (1 decided earlier)" in out
    assert "accepted" in twin("zoning", "findings", "--kind", "land_use_conflict")

    out_dir = files["folder"] / "report"
    twin("zoning", "report", "--out", out_dir)
    info = pyogrio.read_info(out_dir / "conflicts.gpkg", layer="conflicts")
    assert (info["features"], info["crs"]) == (3, "EPSG:4326")
    summary = (out_dir / "summary.csv").read_text().splitlines()
    assert "ZON,land_use_conflict,1,0,0,1" in "\n".join(summary)
    assert "Plan reconciliation" in (out_dir / "summary.html").read_text()


def test_user_errors_name_the_rule_and_exit_1(twin, files):
    out = twin(
        "zoning", "decide", "999999", "--status", "accepted", "--note", "x", "--user", "u", code=1
    )
    assert "no finding 999999" in out
    out = twin("zoning", "check", "--plan", "NOPE", code=1)
    assert "no plan named 'NOPE'" in out
    out = twin(
        "zoning", "import", files["zoning"], "--level", "zoning", "--name", "BAD",
        "--code-field", "colour", code=1,
    )  # fmt: skip
    assert "--code-field" in out
