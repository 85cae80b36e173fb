"""Loading the small demo city into its own database: rows, history, DEM, report."""

from __future__ import annotations

import pytest
import rasterio
import shapely
from sqlalchemy import create_engine, pool, text

from layers import feature_types
from twin.demo.geo import to_metric
from twin.demo.load import asset_count, ft_schema, load_if_empty
from twin.demo.records import codes_of

pytestmark = pytest.mark.db


def test_every_feature_is_loaded_with_its_code(demo_small, demo_engine, small_city):
    with demo_engine.connect() as conn:
        assert asset_count(conn) == small_city.count()
        batch = next(small_city.of("water_valve"))
        codes = codes_of("water_valve", batch.ids)
        found = conn.execute(
            text("SELECT count(*) FROM assets.water_valve WHERE code = ANY(:c)"), {"c": codes}
        ).scalar()
    assert found == len(codes)
    assert demo_small.result.total == small_city.count()


def test_every_feature_is_in_a_recorded_load(demo_engine, small_city):
    with demo_engine.connect() as conn:
        loads = conn.execute(
            text(
                "SELECT sum(features), count(DISTINCT feature_type) FROM audit.bulk_load "
                "WHERE action = 'import' AND changed_by = 'demo'"
            )
        ).one()
        outside = sum(
            conn.execute(
                text(
                    f"SELECT count(*) FROM {ft_schema(ft)}.{ft.table} t WHERE NOT EXISTS ("
                    "SELECT 1 FROM audit.bulk_load b WHERE b.feature_type = :t "
                    "AND b.asset_ids @> t.id)"
                ),
                {"t": ft.table},
            ).scalar()
            for ft in feature_types()
        )
    assert loads[0] == small_city.count() and loads[1] > 10
    assert outside == 0


def test_networks_are_connected_and_every_feature_in_a_commune(demo_small):
    report = demo_small.result.report
    assert report["without_commune"] == {}
    for name, r in report["networks"].items():
        assert r["dangling_ends"] == 0, name
        assert r["components_without_source"] == 0, name
    assert report["networks"]["water"]["components"] == 1
    assert any("dangling" in m for m in demo_small.messages)


def test_edges_reference_nodes_in_the_database(demo_engine):
    with demo_engine.connect() as conn:
        orphans = conn.execute(
            text("""
            SELECT count(*) FROM assets.water_pipe p
            WHERE NOT EXISTS (SELECT 1 FROM assets.water_valve v WHERE v.id = p.start_node)
              AND NOT EXISTS (SELECT 1 FROM assets.water_junction j WHERE j.id = p.start_node)
              AND NOT EXISTS (SELECT 1 FROM assets.water_treatment_plant t
                              WHERE t.id = p.start_node)
              AND NOT EXISTS (SELECT 1 FROM assets.water_tank t WHERE t.id = p.start_node)
              AND NOT EXISTS (SELECT 1 FROM assets.water_hydrant h WHERE h.id = p.start_node)
              AND NOT EXISTS (SELECT 1 FROM assets.water_pump_station s
                              WHERE s.id = p.start_node)""")
        ).scalar()
    assert orphans == 0


def test_current_communes_and_former_units(demo_engine):
    with demo_engine.connect() as conn:
        rows = dict(
            conn.execute(
                text(
                    "SELECT level || (valid_to IS NULL)::text, count(*) FROM base.base_admin_unit "
                    "GROUP BY 1"
                )
            ).all()
        )
        inside = conn.execute(
            text(
                "SELECT count(*) FROM assets.power_customer c JOIN base.base_admin_unit a "
                "ON a.code = c.commune AND a.level = 'commune' AND a.valid_to IS NULL "
                "AND ST_Intersects(a.geom, c.geom)"
            )
        ).scalar()
        customers = conn.execute(text("SELECT count(*) FROM assets.power_customer")).scalar()
    assert rows["communetrue"] == 99 and rows["provincetrue"] == 1
    assert rows["districtfalse"] == 18 and rows["communefalse"] == 316
    assert inside == customers


def test_dem_file_is_registered_with_its_crs_and_bounds(demo_small, demo_engine):
    with demo_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT path, crs, resolution_m, ST_Contains(bounds, ("
                "  SELECT ST_Centroid(ST_Collect(geom)) FROM assets.drainage_manhole)) AS covers "
                "FROM base.raster_layer WHERE name = 'dem'"
            )
        ).one()
    assert row.covers and row.crs == "EPSG:9214" and row.resolution_m == 5.0
    with rasterio.open(demo_small.home / row.path) as dem:
        assert dem.crs.to_epsg() == 9214
        assert dem.res == (5.0, 5.0)
        z = dem.read(1)
    assert 0 < z.min() < 5 < z.max() < 60


def test_rims_agree_with_the_dem(demo_small, demo_engine):
    with demo_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ST_X(geom), ST_Y(geom), rim_elevation_m, invert_elevation_m "
                "FROM assets.drainage_manhole ORDER BY id LIMIT 50"
            )
        ).all()
    points = to_metric(shapely.points([(r[0], r[1]) for r in rows]))
    with rasterio.open(demo_small.home / "rasters" / "dem.tif") as dem:
        sampled = [v[0] for v in dem.sample(shapely.get_coordinates(points).tolist())]
    assert all(abs(s - r[2]) < 0.5 and r[3] < s for s, r in zip(sampled, rows, strict=True))


def _written(url: str) -> tuple[int, int]:
    """Features in the twin and bulk loads recorded: what a load would change."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            loads = conn.execute(text("SELECT count(*) FROM audit.bulk_load")).scalar()
            return asset_count(conn), loads
    finally:
        engine.dispose()


def test_load_if_empty_does_nothing_the_second_time(demo_small_url):
    """The second start writes nothing (how fast it is belongs in the benchmarks)."""
    before = _written(demo_small_url)
    assert before[0] > 0 and before[1] > 0
    messages = []
    assert load_if_empty(demo_small_url, scale="small", echo=messages.append) is None
    assert messages == ["demo city: the database already holds features, nothing loaded"]
    assert _written(demo_small_url) == before
