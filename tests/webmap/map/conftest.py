"""A map app on its own database holding a few known features, and users of each role."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from sqlalchemy import create_engine, pool

from layers import feature_type
from tests.databases import scratch_database
from tests.factories import sample_properties
from tests.webmap.map.apptest import add_users, make_app
from twin.db.engine import session_scope
from twin.edits import create_feature

#: Where the sample features lie (lon/lat), a spot in Bắc Giang city.
X, Y = 106.19, 21.27


def _create(session, table, geometry, **props):
    values = sample_properties(feature_type(table), **props)
    return create_feature(session, table, values, geometry, user="seed").feature


def _square(x: float, y: float, half: float) -> Polygon:
    return Polygon(
        [(x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half)]
    )


def _sample_features(engine) -> dict:
    with session_scope(engine) as s:
        ward = Polygon(
            [(X - 0.01, Y - 0.01), (X + 0.01, Y - 0.01), (X + 0.01, Y + 0.01), (X - 0.01, Y + 0.01)]
        )
        commune = _create(
            s,
            "base_admin_unit",
            MultiPolygon([ward]),
            code="ADM-HVT",
            name="Phường Hoàng Văn Thụ",
            level="commune",
            valid_to=None,
        )
        # A province merged on 1 July 2025: the abolished one reaches further west.
        _create(
            s,
            "base_admin_unit",
            MultiPolygon([_square(X - 0.04, Y, 0.05)]),
            code="ADM-OLD",
            name="Tỉnh cũ",
            level="province",
            valid_to=date(2025, 6, 30),
        )
        _create(
            s,
            "base_admin_unit",
            MultiPolygon([_square(X, Y, 0.05)]),
            code="ADM-NEW",
            name="Tỉnh mới",
            level="province",
            valid_from=date(2025, 7, 1),
            valid_to=None,
        )
        road_a = _create(
            s,
            "base_road",
            LineString([(X - 0.004, Y), (X, Y)]),
            name="Đường Hoàng Văn Thụ",
            road_class="street",
        )
        road_b = _create(
            s,
            "base_road",
            LineString([(X, Y), (X + 0.004, Y)]),
            name="Đường Hoàng Văn Thụ",
            road_class="street",
        )
        valve = _create(s, "water_valve", Point(X, Y + 0.001), normal_state="open")
        pipe = _create(
            s, "water_pipe", LineString([(X, Y + 0.001), (X + 0.003, Y + 0.001)]), diameter_mm=150
        )
        light = _create(
            s,
            "lighting_light",
            Point(X + 0.002, Y - 0.002),
            wattage_w=1234.5,
            lamp_type="led",
            install_year=2019,
        )
        meter = _create(
            s,
            "water_service_connection",
            Point(X - 0.002, Y + 0.002),
            address="Số 12 Ngô Quyền",
            customer_name="Nguyễn Văn A",
            phone="0900000000",
        )
    return {
        "commune": commune,
        "roads": [road_a, road_b],
        "valve": valve,
        "pipe": pipe,
        "light": light,
        "meter": meter,
    }


@pytest.fixture(scope="session")
def map_db_url(db_url):
    with scratch_database(db_url, "twin_map") as url:
        yield url


@pytest.fixture(scope="session")
def map_engine(map_db_url):
    engine = create_engine(map_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def samples(map_engine) -> dict:
    """Known features by role in the tests, as stored (GeoJSON Feature dicts)."""
    add_users(map_engine)
    return _sample_features(map_engine)


@pytest.fixture(scope="session")
def app(map_db_url, samples, tmp_path_factory):
    return make_app(map_db_url, tmp_path_factory.mktemp("map-home"))


@pytest.fixture
def client(app):
    return app.test_client()
