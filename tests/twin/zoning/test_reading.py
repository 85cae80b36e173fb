import json

import numpy as np
import pyogrio.raw
import pytest
import shapely
from shapely import LineString, MultiLineString

from twin.errors import InvalidInput
from twin.zoning.reading import read_legend, read_plan_file

from .places import at, lonlat, shifted


def write(path, geometries, layer=None, crs=None, **fields):
    geometries = np.array(geometries, dtype=object)
    pyogrio.raw.write(
        path,
        shapely.to_wkb(geometries),
        [np.array(values, dtype=object) for values in fields.values()],
        list(fields),
        layer=layer,
        crs=crs,
        geometry_type=geometries[0].geom_type,
    )


def test_geopackage_layers_become_zones_red_lines_and_corridors(tmp_path):
    path = tmp_path / "plan.gpkg"
    write(path, [at(0, 0, 50, 50), at(50, 0, 90, 50)], "zones", "EPSG:9214", kyhieu=["ODT", "CX"])
    road = shifted(MultiLineString([[(0, 60), (40, 60)], [(60, 60), (90, 60)]]))
    write(path, [road], "red_lines", "EPSG:9214", ten_duong=["Road A"])
    power = shifted(LineString([(0, 80), (90, 80)]))
    write(path, [power], "hanh_lang", "EPSG:9214", kind=["power"], width_m=["30"])

    read = read_plan_file(path, name="Z", level="zoning", legend={"CX": "DKV"}, status="approved")
    plan = read.plan
    assert (read.crs_text, read.crs.to_epsg()) == ("EPSG:9214", 9214)
    assert [(z.id, z.code) for z in plan.zones] == [("zones:1", "ODT"), ("zones:2", "CX")]
    assert [(r.id, r.road_name) for r in plan.red_lines] == [
        ("red_lines:1", "Road A"),
        ("red_lines:1.2", "Road A"),
    ]
    assert [(c.kind, c.width_m) for c in plan.corridors] == [("power", 30.0)]
    assert (plan.status, dict(plan.legend)) == ("approved", {"CX": "DKV"})


def test_geojson_without_crs_in_lon_lat_is_read_as_wgs84(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"zone_id": f"o{n}", "LandUse": code},
            "geometry": shapely.geometry.mapping(lonlat(at(n * 50, 0, n * 50 + 50, 50))),
        }
        for n, code in enumerate(["ODT", "DGD"])
    ]
    path = tmp_path / "plan.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    read = read_plan_file(path, name="Z", level="detailed")
    assert [(z.id, z.code) for z in read.plan.zones] == [("o0", "ODT"), ("o1", "DGD")]
    assert read.crs.to_epsg() == 4326


def test_shapefile_with_a_named_code_field_and_a_crs_override(tmp_path):
    path = tmp_path / "plan.shp"
    write(path, [at(0, 0, 10, 10)], crs="EPSG:9214", MDSD=["TMD"])
    path.with_suffix(".prj").unlink()  # as files often come: no CRS
    with pytest.raises(InvalidInput, match="--crs"):
        read_plan_file(path, name="Z", level="zoning", code_field="MDSD")
    read = read_plan_file(path, name="Z", level="zoning", code_field="MDSD", crs="vn2000:bac-giang")
    assert read.plan.zones[0].code == "TMD"
    assert read.plan.zones[0].geometry.equals(at(0, 0, 10, 10))


def test_zones_without_a_code_field_are_refused_with_the_fields_named(tmp_path):
    path = tmp_path / "plan.gpkg"
    write(path, [at(0, 0, 10, 10)], "zones", "EPSG:9214", colour=["red"])
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(path, name="Z", level="zoning")
    (problem,) = caught.value.problems
    assert (problem.field, problem.rule) == ("--code-field", "required")
    assert "colour" in problem.message


def test_legend_maps_to_national_codes_only(tmp_path):
    good = tmp_path / "legend.csv"
    good.write_text("legend_code,code,name\nCX,DKV,cây xanh\nNO,ODT,nhà ở\n", encoding="utf-8")
    assert read_legend(good) == {"CX": "DKV", "NO": "ODT"}
    bad = tmp_path / "bad.csv"
    bad.write_text("legend_code,code\nCX,GREEN\n")
    with pytest.raises(InvalidInput) as caught:
        read_legend(bad)
    assert [p.rule for p in caught.value.problems] == ["known_code"]
