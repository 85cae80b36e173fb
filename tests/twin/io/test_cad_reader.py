"""Drawings read through the CAD mapping: types, attributes from labels, positions."""

from __future__ import annotations

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import text

from tests.twin.io.cad_drawings import CRS, HYDRANT, LAT0, LON0, PIPES, VALVE, X0, Y0, water_drawing
from twin.errors import InvalidInput
from twin.io.cad import read_cad
from twin.io.importer import import_features
from twin.io.mapping import Mapping
from twin.io.readers import read_source


def _tables(source):
    return {t.table: t for t in source.tables}


def test_the_starter_mapping_reads_pipes_valves_and_hydrants(tmp_path):
    source = read_cad(water_drawing(tmp_path / "net.dxf"))
    tables = _tables(source)
    assert sorted(tables) == ["water_hydrant", "water_pipe", "water_valve"]
    pipes = tables["water_pipe"]
    assert [list(g.coords) for g in pipes.geometry] == list(PIPES.values())
    assert pipes.columns["diameter_mm"].tolist() == ["110", "160"]
    valve = tables["water_valve"]
    assert list(valve.geometry[0].coords) == [VALVE]
    assert valve.columns["code"].tolist() == ["V-01"]
    cad = valve.columns["extra"][0]["cad"]
    assert (cad["layer"], cad["block"], cad["rotation_deg"]) == ("CAP_NUOC", "VAN_CHAN", 30.0)
    assert list(tables["water_hydrant"].geometry[0].coords) == [HYDRANT]
    assert any("KHUNG_TEN (1)" in note for note in source.notes)


def test_labels_farther_than_the_tolerance_are_not_taken(tmp_path):
    path = water_drawing(tmp_path / "net.dxf", label_offset=4.0)
    assert "diameter_mm" not in _tables(read_cad(path))["water_pipe"].columns
    near = _tables(read_source(path, label_distance=5.0))["water_pipe"]
    assert near.columns["diameter_mm"].tolist() == ["110", "160"]


def test_a_mapping_of_its_own_with_a_label_pattern(tmp_path):
    path = water_drawing(tmp_path / "net.dxf")
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "cad_layer,block,feature_type,label_pattern,label_attribute\n"
        "cap_nuoc,,water:pipe,^[DØ](\\d+)$,diameter_mm\n"
        "CAP_NUOC,VAN*,water:valve,,\n"
    )
    tables = _tables(read_cad(path, mapping))
    assert sorted(tables) == ["water_pipe", "water_valve"]
    assert tables["water_pipe"].columns["diameter_mm"].tolist() == ["110", "160"]


def test_a_mapping_naming_no_feature_type_is_refused_by_row(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "cad_layer,block,feature_type,label_pattern,label_attribute\n"
        "CAP_NUOC,,water:pipes,,\n"
        "CAP_NUOC,VAN,water:valve,D(\\d+,diameter_mm\n"
    )
    with pytest.raises(InvalidInput) as refused:
        read_cad(water_drawing(tmp_path / "net.dxf"), mapping)
    found = {(p.rule, p.feature) for p in refused.value.problems}
    assert found == {("known_type", "map.csv row 2"), ("regex", "map.csv row 3")}


def test_a_drawing_imports_in_vn2000_where_it_was_drawn(session, tmp_path):
    source = read_cad(water_drawing(tmp_path / "net.dxf"))
    report = import_features(
        session,
        "water",
        source,
        crs=CRS,
        user="cad",
        mapping=Mapping.parse(defaults=["normal_state=open"]),
    )
    assert report.written and report.counts == {
        "water_pipe": 2,
        "water_valve": 1,
        "water_hydrant": 1,
    }
    rows = session.execute(
        text(
            "SELECT diameter_mm, ST_AsText(ST_StartPoint(geom)) FROM assets.water_pipe "
            "ORDER BY diameter_mm"
        )
    ).all()
    assert [r[0] for r in rows] == [110, 160]
    start = shapely.from_wkt(rows[0][1])
    assert (start.x, start.y) == (pytest.approx(LON0, abs=1e-7), pytest.approx(LAT0, abs=1e-7))
    valve = session.execute(
        text("SELECT code, extra->'cad'->>'rotation_deg' FROM assets.water_valve")
    ).one()
    assert tuple(valve) == ("V-01", "30.0")


def test_a_dxf_that_is_no_drawing_is_refused(tmp_path):
    path = tmp_path / "net.dxf"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InvalidInput) as refused:
        read_cad(path)
    assert refused.value.problems[0].rule == "content"


def test_positions_hold_off_the_origin(tmp_path):
    # The check above is at the drawing's first vertex; the others keep their offsets.
    pipes = _tables(read_cad(water_drawing(tmp_path / "net.dxf")))["water_pipe"]
    assert shapely.get_coordinates(pipes.geometry[1])[1].tolist() == [X0 + 120, Y0 + 80]


def test_a_dgn_drawing_reads_its_levels_lines_and_points(tmp_path):
    path = tmp_path / "net.dgn"
    line = shapely.LineString(PIPES["D110"])
    dot = shapely.LineString([VALVE, VALVE])  # DGN has no points: a line of no length
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array([line, dot], dtype=object)),
        [],
        [],
        geometry_type="Unknown",
        crs="EPSG:9214",  # not kept: DGN v7 names no coordinate system
        driver="DGN",
    )
    mapping = tmp_path / "map.csv"
    mapping.write_text("cad_layer,block,feature_type\n0,,water:pipe\n0,,water:junction\n")
    source = read_source(path, cad_map=mapping)
    tables = _tables(source)
    assert source.format == "DGN"
    # DGN v7 stores whole units of resolution (the seed file's: 1 cm on each axis)
    assert tables["water_pipe"].geometry[0].equals_exact(line, 0.015)
    assert tables["water_junction"].geometry[0].equals_exact(shapely.Point(VALVE), 0.015)
