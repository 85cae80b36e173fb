"""An outage lists the cameras behind the power customers and access nodes it cuts off."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.live.cameras import cut_customer_codes
from twin.live.outage import outage_report

pytestmark = pytest.mark.db


def test_customer_codes_are_found_at_any_depth():
    report = {"stages": [{"customers": {"customer_nodes": ["A", "B"]}}],
              "customers": {"customer_nodes": ["C"]}, "other": ["D"]}
    assert cut_customer_codes(report) == {"A", "B", "C"}


def _camera(session, column):
    return session.execute(text(
        f"SELECT code, {column} AS supply FROM assets.video_camera "
        f"WHERE {column} IS NOT NULL ORDER BY code LIMIT 1")).one()


@pytest.mark.parametrize(("utility", "column", "cut"), [("power", "power_customer", "power"),
                                                      ("telecom", "telecom_access", "telecom")])
def test_a_cut_supply_lists_its_cameras(demo_engine, utility, column, cut):
    with Session(demo_engine) as session:
        camera = _camera(session, column)
        outcome = outage_report(session, utility, [camera.supply])
    assert outcome["available"], outcome
    listed = {c["code"]: c for c in outcome["cameras"]}
    assert camera.code in listed
    assert listed[camera.code]["cut"] == cut
