"""``twin asset import``: every format from the command line, on real public files.

Counts, lengths and topology are checked against the numbers the source
files themselves give (read by hand in the tests, not by the importer).
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.db

FOOT_M = 0.3048
MICROPOLIS = ("--origin", "106.2,21.28", "--units", "ft", "--origin-xy", "4000,4000")


def imported(twin, path, layer: str, *options):
    """``twin asset import <path> --layer <layer> <options>``: the command's result."""
    return twin("asset", "import", path, "--layer", layer, *options)


def test_dry_run_names_every_problem_and_writes_nothing(twin, sql, data_dir):
    result = imported(
        twin,
        data_dir / "import_checks" / "broken_admin_units.geojson",
        "base:admin_unit",
        "--dry-run",
        "--json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    found = {(p.get("feature"), p["field"], p["rule"]) for p in report["problems"]}
    assert found == {
        ("row 2 (BG-BOWTIE)", "geometry", "valid_geometry"),
        ("row 3 (BG-LEVEL)", "level", "allowed_values"),
        ("row 4 (BG-NONAME)", "name", "required"),
        ("row 5 (BG-METRES)", "geometry", "inside_vietnam"),
        ("row 6 (BG-POP)", "population", "type"),
        ("broken_admin_units", "crs", "plausible_crs"),
    }
    assert sql("SELECT count(*) FROM base.base_admin_unit") == 0


def test_the_readable_report_names_feature_field_and_rule(twin, data_dir):
    result = imported(
        twin,
        data_dir / "import_checks" / "broken_admin_units.geojson",
        "base:admin_unit",
        "--dry-run",
    )
    lines = result.stdout.splitlines()
    assert any("row 3 (BG-LEVEL)" in x and "'hamlet' is not one of" in x for x in lines)
    assert any("row 2 (BG-BOWTIE)" in x and "Self-intersection" in x for x in lines)
    assert "dry run: 6 problem(s), nothing written" in result.stderr


def test_one_bad_feature_and_nothing_is_written(twin, sql, data_dir):
    result = imported(
        twin,
        data_dir / "import_checks" / "broken_admin_units.geojson",
        "base:admin_unit",
    )
    assert result.exit_code == 1
    assert "nothing was imported: 6 problem(s)" in result.stderr
    assert "BG-POP" in result.stdout
    assert sql("SELECT count(*) FROM base.base_admin_unit") == 0
    assert sql("SELECT count(*) FROM audit.history") == 0
    assert sql("SELECT count(*) FROM audit.bulk_load") == 0


def test_geojson_administrative_units(twin, sql, data_dir):
    result = imported(
        twin,
        data_dir / "vn_admin" / "24_province_districts.geojson",
        "base:admin_unit",
        "--map",
        "parent=parent_code",
        "--value",
        "level:1=province",
        "--value",
        "level:2=district",
    )
    assert result.exit_code == 0, result.output
    assert (
        sql(
            "SELECT count(*) FROM base.base_admin_unit WHERE level = 'district' "
            "AND parent_code = '24'"
        )
        == 10
    )
    province = sql("SELECT area_m2 FROM base.base_admin_unit WHERE code = '24'")
    districts = sql("SELECT sum(area_m2) FROM base.base_admin_unit WHERE level = 'district'")
    assert districts == pytest.approx(province, rel=0.01)
    assert 3.5e9 < province < 4.2e9  # Bắc Giang: about 3,900 km²
    assert sql("SELECT name FROM base.base_admin_unit WHERE code = '213'") == "Thành phố Bắc Giang"


def test_shapefiles_without_prj_on_a_local_grid(twin, sql, data_dir):
    folder = data_dir / "micropolis_gis"
    steps = [
        (folder / "water_nodes_v0.shp", "water:junction", "--map", "ID=-", "--extra"),
        (
            folder / "valves_v0.shp",
            "water:valve",
            "--map",
            "IDD=-",
            "--default",
            "normal_state=open",
        ),
        (
            folder / "hydrants_v1.shp",
            "water:hydrant",
            "--map",
            "ID=code",
            "--map",
            "X=-",
            "--map",
            "Y=-",
        ),
        (
            folder / "watermains_v0.shp",
            "water:pipe",
            "--map",
            "PIPESIZE=diameter_mm*25.4",
            "--map",
            "PIPEMAT=material",
            "--map",
            "YEAR=install_year",
            "--map",
            "FID_1=-",
            "--map",
            "ID=-",
            "--map",
            "FID_2=-",
            "--extra",
        ),
    ]
    for path, target, *options in steps:
        result = imported(twin, path, target, *MICROPOLIS, *options)
        assert result.exit_code == 0, result.output
    counts = {
        t: sql(f"SELECT count(*) FROM assets.water_{t}")
        for t in ("junction", "valve", "hydrant", "pipe")
    }
    assert counts == {"junction": 1166, "valve": 203, "hydrant": 52, "pipe": 567}
    assert sql("SELECT count(*) FROM assets.water_pipe WHERE diameter_mm = 305") == sum(
        1 for _ in range(148)
    )  # PIPESIZE 12 (inches) on 148 mains
    assert (
        sql(
            "SELECT count(*) FROM assets.water_pipe WHERE material = 'ductile_iron' "
            "AND install_year = 1980"
        )
        == 285
    )
    assert sql("SELECT extra->>'DWFRICTION' FROM assets.water_pipe LIMIT 1") is not None
    assert sql("SELECT sum(features) FROM audit.bulk_load WHERE action = 'import'") == 1988


def test_micropolis_mains_keep_their_length(twin, sql, data_dir):
    import pyogrio.raw
    import shapely

    path = data_dir / "micropolis_gis" / "watermains_v0.shp"
    _, _, wkb, _ = pyogrio.raw.read(path)
    length_ft = float(shapely.length(shapely.from_wkb(wkb)).sum())
    result = imported(
        twin,
        path,
        "water:pipe",
        *MICROPOLIS,
        "--map",
        "PIPESIZE=diameter_mm*25.4",
        "--extra",
    )
    assert result.exit_code == 0, result.output
    assert sql("SELECT sum(length_m) FROM assets.water_pipe") == pytest.approx(
        length_ft * FOOT_M, rel=1e-3
    )
    # No nodes were imported: every end is reported unconnected.
    assert "1,134 line end(s) not connected to a node" in result.stdout


def test_csv_with_wkt_trees(twin, sql, data_dir):
    result = imported(
        twin,
        data_dir / "street_trees" / "zurich_baumkataster_preview.csv",
        "trees:tree",
        "--map",
        "baumnamelat=species_scientific",
        "--map",
        "baumnummer=code",
        "--map",
        "status=-",
        "--extra",
        "--allow-outside-vietnam",
    )
    assert result.exit_code == 0, result.output
    assert sql("SELECT count(*) FROM assets.trees_tree") == 98
    assert (
        sql("SELECT ST_AsText(geom) FROM assets.trees_tree WHERE code = 'OE-5091'")
        == "POINT(8.53794437694996 47.4151666226626)"
    )
    assert (
        sql("SELECT extra->>'pflanzjahr' FROM assets.trees_tree WHERE code = 'OE-5091'") == "2018"
    )


def test_vn2000_coordinates_land_where_expected(twin, sql, tmp_path):
    # The published consistency check (EPSG:6960): WGS 84 21.2731 N, 106.1946 E is
    # E 416 226.772, N 2 353 402.453 in the Bắc Giang 3° zone (EPSG:9214).
    path = tmp_path / "valves.csv"
    path.write_text("code,x,y,normal_state\nV-BG,416226.772,2353402.453,open\n")
    result = imported(twin, path, "water:valve", "--crs", "vn2000:bac-giang")
    assert result.exit_code == 0, result.output
    assert sql("SELECT ST_X(geom) FROM assets.water_valve") == pytest.approx(106.1946, abs=1e-7)
    assert sql("SELECT ST_Y(geom) FROM assets.water_valve") == pytest.approx(21.2731, abs=1e-7)


def _pipe_rows(inp_rows, path):
    return {r[0]: (r[1], r[2], float(r[3])) for r in inp_rows(path)["PIPES"]}


def test_epanet_net3_counts_lengths_and_topology(twin, sql, data_dir, inp_rows):
    path = data_dir / "water_epanet" / "Net3.inp"
    rows = inp_rows(path)
    result = twin(
        "asset", "import", path, "--layer", "water", "--origin", "106.2,21.28", "--units", 60
    )
    assert result.exit_code == 0, result.output
    assert sql("SELECT count(*) FROM assets.water_junction") == len(rows["JUNCTIONS"]) == 92
    assert sql("SELECT count(*) FROM assets.water_tank WHERE tank_kind = 'tank'") == 3
    assert sql("SELECT count(*) FROM assets.water_tank WHERE tank_kind = 'reservoir'") == 2
    assert sql("SELECT count(*) FROM assets.water_pump_station") == len(rows["PUMPS"]) == 2
    pipes = _pipe_rows(inp_rows, path)
    assert (
        sql("SELECT count(*) FROM assets.water_pipe WHERE extra->'epanet' ? 'length_m'")
        == len(pipes)
        == 117
    )
    total_m = sum(length for _, _, length in pipes.values()) * FOOT_M  # GPM: feet
    assert sql(
        "SELECT sum((extra->'epanet'->>'length_m')::float) FROM assets.water_pipe"
    ) == pytest.approx(total_m)
    stored = sql("""
        SELECT json_object_agg(p.code, json_build_array(a.code, b.code))
        FROM assets.water_pipe p
        JOIN (SELECT id, code FROM assets.water_junction UNION ALL
              SELECT id, code FROM assets.water_tank) a ON a.id = p.start_node
        JOIN (SELECT id, code FROM assets.water_junction UNION ALL
              SELECT id, code FROM assets.water_tank) b ON b.id = p.end_node""")
    # Codes are stored in upper case (the model's "River" is RIVER).
    assert {code: tuple(ends) for code, ends in stored.items()} == {
        code.upper(): (a.upper(), b.upper()) for code, (a, b, _) in pipes.items()
    }


def test_epanet_kl_coordinates_in_feet(twin, sql, data_dir, inp_rows):
    path = data_dir / "water_epanet" / "KL.inp"
    pipes = _pipe_rows(inp_rows, path)
    result = imported(
        twin,
        path,
        "water",
        "--origin",
        "106.2,21.28",
        "--units",
        "ft",
        "--code-prefix",
        "KL-",
    )
    assert result.exit_code == 0, result.output
    assert sql("SELECT count(*) FROM assets.water_junction") == 935
    assert sql("SELECT count(*) FROM assets.water_pipe") == len(pipes) == 1274
    assert (
        sql("SELECT count(*) FROM assets.water_pipe WHERE start_node IS NULL OR end_node IS NULL")
        == 0
    )
    assert sql("SELECT count(*) FROM assets.water_pipe WHERE code NOT LIKE 'KL-%'") == 0
    file_m = sum(length for _, _, length in pipes.values()) * FOOT_M
    # KL's coordinates are in feet too, so the drawn network is as long as the model's.
    assert sql("SELECT sum(length_m) FROM assets.water_pipe") == pytest.approx(file_m, rel=0.01)


def test_epanet_without_placement_is_a_problem(twin, data_dir):
    result = twin(
        "asset", "import", data_dir / "water_epanet" / "Net3.inp", "--layer", "water", "--dry-run"
    )
    assert result.exit_code == 1
    assert "crs_required" in result.stdout


def test_swmm_state_plane_model(twin, sql, data_dir, inp_rows):
    path = data_dir / "sewer_swmm" / "model_state_plane.inp"
    rows = inp_rows(path)
    result = imported(
        twin,
        path,
        "drainage",
        "--crs",
        "EPSG:2817",
        "--default",
        "system=sewer",
        "--allow-outside-vietnam",
    )
    assert result.exit_code == 0, result.output
    assert sql("SELECT count(*) FROM assets.drainage_manhole") == len(rows["JUNCTIONS"]) + len(
        rows["STORAGE"]
    )
    assert sql("SELECT count(*) FROM assets.drainage_outfall") == len(rows["OUTFALLS"]) == 1
    assert (
        sql("SELECT count(*) FROM assets.drainage_conduit WHERE system = 'sewer'")
        == len(rows["CONDUITS"])
        == 44
    )
    assert (
        sql(
            "SELECT count(*) FROM assets.drainage_conduit WHERE start_node IS NULL "
            "OR end_node IS NULL"
        )
        == 0
    )
    # Where swmmio's own tests put this model with the EPSG code its title gives
    # (centroid -70.97068, 43.74695).
    lon, lat = (sql(f"SELECT avg(ST_{c}(geom)) FROM assets.drainage_manhole") for c in "XY")
    assert lon == pytest.approx(-70.97068, abs=0.02) and lat == pytest.approx(43.74695, abs=0.02)
    file_m = sum(float(r[3]) for r in rows["CONDUITS"]) * FOOT_M  # MGD: feet
    assert sql(
        "SELECT sum((extra->'swmm'->>'length_m')::float) FROM assets.drainage_conduit"
    ) == pytest.approx(file_m)


def test_swmm_in_the_wrong_place_is_a_wrong_crs(twin, data_dir):
    result = imported(
        twin,
        data_dir / "sewer_swmm" / "model_state_plane.inp",
        "drainage",
        "--crs",
        "EPSG:2817",
        "--default",
        "system=sewer",
        "--dry-run",
        "--json",
    )
    report = json.loads(result.stdout)
    rules = {(c["table"], c["rule"]): c["count"] for c in report["problem_counts"]}
    assert rules[("drainage_conduit", "inside_vietnam")] == 44
    assert rules[("drainage_conduit", "plausible_crs")] == 1


def test_lines_snap_to_nodes_and_loose_ends_are_reported(twin, sql, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("code,lon,lat\nJ1,106.19,21.27\nJ2,106.191,21.27\n")
    assert imported(twin, nodes, "water:junction").exit_code == 0
    lines = tmp_path / "pipes.csv"
    # P1 ends 0.5 m from J1 and J2 (1e-5 degrees of latitude is 1.1 m); P2 ends nowhere.
    lines.write_text(
        "code,diameter_mm,wkt\n"
        'P1,200,"LINESTRING (106.19 21.2700045, 106.191 21.2699955)"\n'
        'P2,200,"LINESTRING (106.191 21.27, 106.192 21.271)"\n'
    )
    result = imported(twin, lines, "water:pipe")
    assert result.exit_code == 0, result.output
    assert (
        sql("SELECT ST_AsText(geom) FROM assets.water_pipe WHERE code = 'P1'")
        == "LINESTRING(106.19 21.27,106.191 21.27)"
    )
    assert (
        sql(
            "SELECT count(*) FROM assets.water_pipe p JOIN assets.water_junction j "
            "ON j.id IN (p.start_node, p.end_node)"
        )
        == 3
    )
    assert "water_pipe P2 (end)" in result.stdout
    assert (
        sql(
            "SELECT count(*) FROM audit.bulk_load b JOIN assets.water_pipe p "
            "ON b.asset_ids @> p.id WHERE p.code IN ('P1', 'P2')"
        )
        == 2
    )


def test_codes_already_in_the_twin_are_problems(twin, tmp_path):
    path = tmp_path / "valves.csv"
    path.write_text("code,lon,lat,normal_state\nV1,106.19,21.27,open\n")
    assert imported(twin, path, "water:valve").exit_code == 0
    result = imported(twin, path, "water:valve", "--dry-run")
    assert "water_valve already has a feature with code 'V1'" in result.stdout
