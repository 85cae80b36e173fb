"""``twin import`` of a drawing with a sheet joined, a MapInfo table, a layer without a type."""

from __future__ import annotations

import json

import numpy as np
import pyogrio.raw
import pytest
import shapely

from tests.twin.io.cad_drawings import (
    CRS,
    LAT0,
    LON0,
    VALVE,
    X0,
    Y0,
    water_drawing,
    write_sheet,
)
from twin.crs import transformer


def test_a_drawing_with_a_sheet_joined_by_code(twin, sql, tmp_path):
    drawing = water_drawing(tmp_path / "net.dxf", valve_code="V-07")
    sheet = write_sheet(
        tmp_path / "valves.xlsx",
        code=["V-07", "V-99"],
        normal_state=["closed", "open"],
        valve_type=["butterfly", "gate"],
    )
    args = ("import", drawing, "--layer", "water", "--crs", CRS, "--join", sheet, "--on", "code")
    result = twin(*args)
    assert result.exit_code == 0, result.output
    assert "valves.xlsx: 1 of 1 features with a code joined on code" in result.output
    assert (
        sql("SELECT string_agg(diameter_mm::text, ',' ORDER BY diameter_mm) FROM assets.water_pipe")
        == "110,160"
    )
    assert (
        sql("SELECT normal_state || ' ' || valve_type FROM assets.water_valve WHERE code = 'V-07'")
        == "closed butterfly"
    )
    lon, lat = transformer(CRS, "wgs84").transform(*VALVE)
    assert sql("SELECT ST_X(geom) FROM assets.water_valve") == pytest.approx(lon, abs=1e-8)
    assert sql("SELECT ST_Y(geom) FROM assets.water_valve") == pytest.approx(lat, abs=1e-8)
    assert sql("SELECT min(ST_X(ST_StartPoint(geom))) FROM assets.water_pipe") == pytest.approx(
        LON0, abs=1e-7
    )


def test_a_required_attribute_no_label_gives_is_reported_not_guessed(twin, sql, tmp_path):
    drawing = water_drawing(tmp_path / "net.dxf", label_offset=10.0)
    result = twin("import", drawing, "--layer", "water", "--crs", CRS, "--dry-run", "--json")
    assert result.exit_code != 0
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    rules = {(p["field"], p["rule"]) for p in report["problems"]}
    assert ("diameter_mm", "required") in rules
    assert sql("SELECT count(*) FROM assets.water_pipe") == 0


def test_join_needs_its_key(twin, tmp_path):
    drawing = water_drawing(tmp_path / "net.dxf")
    sheet = write_sheet(tmp_path / "v.xlsx", code=["V-01"], normal_state=["open"])
    result = twin("import", drawing, "--layer", "water", "--crs", CRS, "--join", sheet)
    assert result.exit_code != 0
    assert "--join and --on go together" in result.output


def test_a_mapinfo_table_in_vn2000_is_imported(twin, sql, tmp_path):
    path = tmp_path / "den.tab"
    points = np.array([shapely.Point(X0, Y0), shapely.Point(X0 + 30, Y0)], dtype=object)
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(points),
        [np.array(["led", "sodium"], dtype=object), np.array([60, 150])],
        ["lamp_type", "wattage_w"],
        geometry_type="Point",
        crs="EPSG:9214",
        driver="MapInfo File",
    )
    # MapInfo keeps the projection of VN-2000 but not its datum: the user is told.
    dry = twin("import", path, "--layer", "lighting:light", "--dry-run")
    assert "give --crs vn2000:<province>" in " ".join(dry.output.split())
    result = twin("import", path, "--layer", "lighting:light", "--crs", CRS)
    assert result.exit_code == 0, result.output
    assert (
        sql("SELECT string_agg(lamp_type, ',' ORDER BY wattage_w) FROM assets.lighting_light")
        == "led,sodium"
    )
    west = sql("SELECT ST_AsText(geom) FROM assets.lighting_light WHERE wattage_w = 60")
    assert shapely.from_wkt(west).equals_exact(shapely.Point(LON0, LAT0), 1e-6)


def test_a_layer_without_a_type_takes_the_one_its_geometry_fits(twin, sql, tmp_path):
    path = tmp_path / "trees.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"species_scientific": "Lagerstroemia speciosa"},
            "geometry": {"type": "Point", "coordinates": [LON0, LAT0]},
        }
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = twin("import", path, "--layer", "trees")
    assert result.exit_code == 0, result.output
    assert "taken as trees:tree, the only type of trees with that geometry" in result.output
    assert sql("SELECT count(*) FROM assets.trees_tree") == 1


def test_a_layer_with_several_fitting_types_asks_among_them(twin, tmp_path):
    path = tmp_path / "points.geojson"
    point = {"type": "Point", "coordinates": [LON0, LAT0]}
    features = [{"type": "Feature", "properties": {}, "geometry": point}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = twin("import", path, "--layer", "water")
    assert result.exit_code != 0
    assert "water:valve" in result.output and "water:pipe" not in result.output
