"""The qgis views: one per feature type, personal fields and generated columns left out."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from layers import feature_types
from twin.db.qgis_views import SCHEMA, personal_columns, view_columns

pytestmark = pytest.mark.db


def test_every_feature_type_has_a_view_without_its_personal_fields(session):
    rows = session.execute(text(
        "SELECT table_name, array_agg(column_name::text) FROM information_schema.columns "
        "WHERE table_schema = :s GROUP BY table_name"), {"s": SCHEMA}).all()
    views = dict(rows)
    assert set(views) == {ft.table for ft in feature_types()}
    for ft in feature_types():
        assert set(views[ft.table]) == set(view_columns(ft)), ft.table
        assert not set(views[ft.table]) & set(personal_columns(ft)), ft.table
    assert "customer_name" not in views["water_service_connection"]
    assert "length_m" not in views["water_pipe"]


def test_views_take_the_defaults_of_their_tables(session):
    defaults = dict(session.execute(text(
        "SELECT column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = :s AND table_name = 'water_valve'"), {"s": SCHEMA}).all())
    assert "asset_id_seq" in defaults["id"]
    assert defaults["version"] == "1" and defaults["status"].startswith("'in_service'")


@pytest.mark.parametrize("role, table, privilege, allowed", [
    ("twin_role_viewer", "qgis.water_valve", "SELECT", True),
    ("twin_role_viewer", "qgis.water_valve", "UPDATE", False),
    ("twin_role_viewer", "assets.water_valve", "SELECT", False),
    ("twin_role_editor", "qgis.water_valve", "INSERT", True),
    ("twin_role_editor", "qgis.base_road", "UPDATE", False),
    ("twin_role_planner", "qgis.base_road", "UPDATE", True),
    ("twin_role_planner", "qgis.water_valve", "DELETE", False),
    ("twin_role_crew", "qgis.water_pipe", "UPDATE", False),
    ("twin_role_admin", "assets.water_service_connection", "SELECT", True),
    ("twin_role_admin", "assets.water_service_connection", "UPDATE", False),
])
def test_what_each_group_may_do(session, role, table, privilege, allowed):
    has = session.execute(text("SELECT has_table_privilege(:r, :t, :p)"),
                          {"r": role, "t": table, "p": privilege}).scalar_one()
    assert has is allowed


def test_the_crew_may_set_only_the_state_of_devices(session):
    def may(column):
        return session.execute(text(
            "SELECT has_column_privilege('twin_role_crew', 'qgis.water_valve', :c, 'UPDATE')"),
            {"c": column}).scalar_one()
    assert may("normal_state") and may("status")
    assert not may("operator") and not may("geom")


def test_no_group_is_the_owner_or_reads_personal_fields_but_admin(session):
    owner = session.execute(text("SELECT current_user")).scalar_one()
    for role in ("viewer", "crew", "editor", "planner", "admin"):
        group = f"twin_role_{role}"
        assert not session.execute(text("SELECT pg_has_role(:g, :o, 'MEMBER')"),
                                   {"g": group, "o": owner}).scalar_one()
        sees = session.execute(text(
            "SELECT has_column_privilege(:g, 'assets.water_service_connection', 'phone', "
            "'SELECT')"), {"g": group}).scalar_one()
        assert sees is (role == "admin")
