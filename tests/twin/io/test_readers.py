"""Readers: every format becomes source tables with what the file says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely

from twin.errors import InvalidInput
from twin.io.readers import read_source

DATA = Path(__file__).resolve().parents[2] / "data"
FOOT_M = 0.3048


def test_shapefile_without_prj_declares_no_crs():
    source = read_source(DATA / "micropolis_gis" / "watermains_v0.shp")
    (table,) = source.tables
    assert source.crs is None and "declares no coordinate system" in source.notes[0]
    assert len(table) == 567
    assert set(table.columns) == {
        "FID_1",
        "ID",
        "FID_2",
        "YEAR",
        "PIPESIZE",
        "PIPEMAT",
        "DWFRICTION",
    }
    assert set(shapely.get_type_id(table.geometry)) == {1}  # LineString


def test_geojson_declares_wgs84():
    source = read_source(DATA / "vn_admin" / "24_province_districts.geojson")
    assert source.crs.to_epsg() == 4326
    assert source.tables[0].columns["name"][0] == "Tỉnh Bắc Giang"


def test_csv_with_a_wkt_column():
    (table,) = read_source(DATA / "street_trees" / "zurich_baumkataster_preview.csv").tables
    assert len(table) == 98
    assert "WKT" not in table.columns
    x, y = shapely.get_x(table.geometry), shapely.get_y(table.geometry)
    assert (8.4 < x).all() and (x < 8.7).all() and (47.3 < y).all() and (y < 47.5).all()


def test_csv_with_lon_lat_columns(tmp_path):
    path = tmp_path / "valves.csv"
    path.write_text("code,lon,lat,normal_state\nV1,106.19,21.27,open\nV2,106.2,21.28,closed\n")
    (table,) = read_source(path).tables
    assert shapely.get_coordinates(table.geometry).tolist() == [[106.19, 21.27], [106.2, 21.28]]
    assert table.columns["normal_state"].tolist() == ["open", "closed"]


def test_csv_without_geometry_is_refused(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("code,name\nA,x\n")
    with pytest.raises(InvalidInput) as err:
        read_source(path)
    assert err.value.problems[0].rule == "required"
    assert "WKT column" in err.value.problems[0].message


def test_geopackage_layers_all_or_the_one_named(tmp_path):
    path = tmp_path / "two.gpkg"
    for name in ("water_junction", "water_valve"):
        pyogrio.raw.write(
            path,
            shapely.to_wkb(shapely.points([106.19], [21.27])),
            [np.array(["x"], dtype=object)],
            ["code"],
            layer=name,
            driver="GPKG",
            geometry_type="Point",
            crs="EPSG:4326",
        )
    assert [t.name for t in read_source(path).tables] == ["water_junction", "water_valve"]
    assert [t.name for t in read_source(path, source_layer="water_valve").tables] == ["water_valve"]
    with pytest.raises(InvalidInput) as err:
        read_source(path, source_layer="pipes")
    assert "water_junction, water_valve" in err.value.problems[0].message


def test_epanet_sections_become_feature_types(inp_rows):
    path = DATA / "water_epanet" / "Net3.inp"
    rows = inp_rows(path)
    source = read_source(path)
    tables = {t.name: t for t in source.tables}
    assert source.local and source.crs is None
    assert len(tables["junctions"]) == len(rows["JUNCTIONS"]) == 92
    assert len(tables["tanks and reservoirs"]) == len(rows["TANKS"]) + len(rows["RESERVOIRS"])
    assert len(tables["pumps"]) == len(rows["PUMPS"]) == 2
    # Each pump is a point between two stub pipes that keep the network connected.
    assert len(tables["pipes"]) == len(rows["PIPES"]) + 2 * len(rows["PUMPS"])
    assert tables["pipes"].table == "water_pipe"
    lengths = {r[0]: float(r[3]) * FOOT_M for r in rows["PIPES"]}  # GPM model: feet
    pipes = tables["pipes"]
    for code, extra in zip(pipes.columns["code"], pipes.columns["extra"], strict=True):
        if code in lengths:
            assert extra["epanet"]["length_m"] == pytest.approx(lengths[code])
        else:
            assert extra["epanet"]["stub_of"].startswith("pump ")


def test_epanet_pipe_geometry_joins_its_nodes(inp_rows):
    path = DATA / "water_epanet" / "Net3.inp"
    coords = {r[0]: (float(r[1]), float(r[2])) for r in inp_rows(path)["COORDINATES"]}
    pipes = next(t for t in read_source(path).tables if t.name == "pipes")
    starts, ends = pipes.ends
    checked = 0
    for line, (ta, a), (tb, b) in zip(pipes.geometry, starts, ends, strict=True):
        if "water_pump_station" not in (ta, tb):  # stubs end at the pump's own point
            assert line.coords[0] == coords[a] and line.coords[-1] == coords[b]
            checked += 1
    assert checked == 117


def test_swmm_sections_become_drainage_types(inp_rows):
    path = DATA / "sewer_swmm" / "model_state_plane.inp"
    rows = inp_rows(path)
    tables = {t.name: t for t in read_source(path).tables}
    assert len(tables["junctions"]) == len(rows["JUNCTIONS"]) + len(rows["STORAGE"])
    assert len(tables["outfalls"]) == len(rows["OUTFALLS"])
    assert len(tables["conduits"]) == len(rows["CONDUITS"]) == 44
    first = rows["XSECTIONS"][0]
    conduits = tables["conduits"]
    i = conduits.columns["code"].tolist().index(first[0])
    assert conduits.columns["shape"][i] == "circular"
    assert conduits.columns["diameter_mm"][i] == round(float(first[2]) * FOOT_M * 1000)


def test_an_inp_that_is_no_model_is_refused(tmp_path):
    path = tmp_path / "x.inp"
    path.write_text("[TITLE]\nnothing\n")
    with pytest.raises(InvalidInput) as err:
        read_source(path)
    assert err.value.problems[0].rule == "known_format"


def test_a_broken_epanet_model_names_the_parser_error(tmp_path):
    path = tmp_path / "bad.inp"
    path.write_text("[JUNCTIONS]\nJ1 ten\n[PIPES]\nP1 J1 J2 100 200 100 0 Open\n[END]\n")
    with pytest.raises(InvalidInput) as err:
        read_source(path)
    assert err.value.problems[0].rule == "epanet_syntax"
