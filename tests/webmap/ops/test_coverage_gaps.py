"""The decisions page lists the communes furthest from the mobile coverage target."""

from __future__ import annotations

import csv
import io

import pytest

from tests.webmap.ops.conftest import login
from twin.coverage.store import save_summary

pytestmark = pytest.mark.db


def _summary() -> dict:
    def commune(code, name, hh, done, villages, villages_done):
        return {"commune": code, "name": name, "households": hh, "households_covered": done,
                "households_pct": round(100 * done / hh, 1), "buildings_pct": 50.0,
                "villages": villages, "villages_covered": villages_done}

    return {"technology": "all", "sites": 3, "computed_at": "2026-12-07T01:00:00+00:00",
            "communes": [commune("C1", "Xã Một", 1000.0, 400.0, 5.0, 2.0),
                         commune("C2", "Xã Hai", 500.0, 500.0, 3.0, 3.0),
                         commune("C3", "Xã Ba", 2000.0, 1900.0, 8.0, 7.0)],
            "villages": [], "households": 3500.0, "households_covered": 2800.0,
            "households_pct": 80.0}


def test_without_a_run_the_page_says_how_to_make_one(ops_client):
    login(ops_client, "viewer")
    html = ops_client.get("/ops/decisions").get_data(as_text=True)
    assert 'id="coverage-gaps"' in html and "twin coverage compute" in html
    assert "Chưa tính vùng phủ sóng" in html


def test_communes_short_of_the_target_come_first(ops_app, ops_client):
    save_summary(ops_app.config["TWIN_SETTINGS"].home, "all", _summary())
    login(ops_client, "viewer")
    html = ops_client.get("/ops/decisions?lang=en").get_data(as_text=True)
    table = html.split('id="coverage-gaps"')[1].split("</table>")[0]
    assert table.index("Xã Một") < table.index("Xã Ba")
    assert "Xã Hai" not in table  # already at the target
    assert "07/12/2026 08:00" in html  # computed at, in Vietnam's time
    rows = list(csv.DictReader(io.StringIO(
        ops_client.get("/ops/export/coverage_gaps.csv").get_data(as_text=True))))
    assert [r["commune"] for r in rows] == ["C1", "C3"]
    assert rows[0]["households_to_target"] == "600"
