"""The outage blueprint: analysis JSON, rights, work order, map layers, crew page."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, pool, text

from tests.webmap.map.apptest import login

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


def _count(summary: dict, key: str) -> int:
    """Length of a list of the engine's report (the summary cuts long ones)."""
    return summary["analysis_counts"].get(key, len(summary["analysis"][key]))


def test_crew_analyses_a_pipe(crew, pipe):
    response = crew.post(
        "/outage/analyse", json={"codes": [pipe]}, headers={"X-CSRFToken": crew.csrf}
    )
    assert response.status_code == 200
    report = response.get_json()
    assert report["assets"] == [pipe] and report["utility"] == "water"
    highlight = crew.get(f"/outage/highlight.json?code={pipe}").get_json()
    drawn = {
        f["properties"]["code"]
        for f in highlight["features"]
        if f["properties"]["role"] == "valve_to_close"
    }
    assert drawn == set(report["analysis"]["valves_to_close"])


def test_a_code_typed_in_lower_case_is_the_same_asset(crew, pipe):
    response = crew.post(
        "/outage/analyse", json={"codes": [pipe.lower()]}, headers={"X-CSRFToken": crew.csrf}
    )
    assert response.status_code == 200
    assert response.get_json()["assets"] == [pipe]


def test_the_work_order_is_printed_in_vietnam_time(crew, pipe):
    before = datetime.now(UTC) + timedelta(hours=7)
    html = crew.get(f"/outage/workorder?code={pipe.lower()}").get_data(as_text=True)
    after = datetime.now(UTC) + timedelta(hours=7)
    shown = {t.strftime("%d/%m/%Y %H:%M") for t in (before, after)}
    assert any(s in html for s in shown), shown


def test_unavailable_valves_push_the_isolation_further(crew, pipe):
    first = crew.post(
        "/outage/analyse", json={"codes": [pipe]}, headers={"X-CSRFToken": crew.csrf}
    ).get_json()
    stuck = first["analysis"]["valves_to_close"][0]
    second = crew.post(
        "/outage/analyse",
        json={"codes": [pipe], "unavailable": [stuck]},
        headers={"X-CSRFToken": crew.csrf},
    ).get_json()
    assert second["unavailable"] == [stuck]
    assert stuck in second["analysis"]["unavailable_valves"]
    assert _count(second, "isolated_edges") > _count(first, "isolated_edges")


@pytest.mark.parametrize(
    ("user", "status"), [(None, 401), ("vera", 403)], ids=["anonymous", "viewer"]
)
def test_outage_analysis_needs_the_crew_role(app, pipe, user, status):
    client = app.test_client()
    headers = {"X-CSRFToken": login(client, user)} if user else {}
    response = client.post("/outage/analyse", json={"codes": [pipe]}, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_browser_writes_need_the_csrf_token(crew, pipe):
    response = crew.post("/outage/analyse", json={"codes": [pipe]})
    assert response.status_code == 403


def test_bad_requests_are_problems(crew):
    headers = {"X-CSRFToken": crew.csrf}
    assert crew.post("/outage/analyse", json={"codes": "X"}, headers=headers).status_code == 422
    unknown = crew.post("/outage/analyse", json={"codes": ["NOPE-1"]}, headers=headers)
    assert unknown.status_code == 404 and "NOPE-1" in unknown.get_json()["detail"]
    assert crew.get("/outage/network.geojson?bbox=1,2").status_code == 422
    assert crew.get("/outage/criticality.geojson?layer=telecom").status_code == 422


def test_work_order_prints_and_downloads_the_same_steps(crew, pipe):
    report = crew.post(
        "/outage/analyse", json={"codes": [pipe]}, headers={"X-CSRFToken": crew.csrf}
    ).get_json()
    valves = [s["device"] for s in report["work_order"]["steps"]]
    page = crew.get(f"/outage/workorder?code={pipe}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert [v for v in valves if f'data-device="{v}"' in html] == valves
    assert f">{report['customers']['customers']:,}<".replace(",", ".") in html  # 1.234 in vi
    download = crew.get(f"/outage/workorder.csv?code={pipe}")
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["code"] for r in rows if r["section"] == "step"] == valves


def test_map_layers_of_criticality_and_topology(crew):
    ranked = crew.get("/outage/criticality.geojson?layer=water&top=3").get_json()
    assert [f["properties"]["rank"] for f in ranked["features"]] == [1, 2, 3]
    problems = crew.get("/outage/topology.geojson?layer=power").get_json()
    assert problems["type"] == "FeatureCollection"
    assert problems["features"], "the demo's power network has planted problems"
    assert {f["properties"]["utility"] for f in problems["features"]} == {"power"}


def test_network_lines_of_a_bounding_box(crew, network_demo):
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        box = conn.execute(
            text(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                "(SELECT ST_Extent(geom) e FROM assets.water_pipe) x"
            )
        ).one()
        pipes = conn.execute(text("SELECT count(*) FROM assets.water_pipe")).scalar()
    engine.dispose()
    bbox = ",".join(str(v) for v in box)
    found = crew.get(f"/outage/network.geojson?layers=water&bbox={bbox}").get_json()
    tables = [f["properties"]["table"] for f in found["features"]]
    assert tables.count("water_pipe") == pipes
    assert "water_valve" in tables


def test_crew_page_for_the_crew_login_for_the_rest(app, crew):
    page = crew.get("/outage/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="outage-panel"' in html and "outage.js" in html and "leaflet.js" in html
    anonymous = app.test_client().get("/outage/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    viewer = app.test_client()
    login(viewer, "vera")
    assert viewer.get("/outage/").status_code == 403
    with crew.get("/outage/static/outage.js") as script:
        assert script.status_code == 200 and b"twinOutage" in script.data


def _line_restored_through_a_tie(url: str) -> str:
    """The first 22 kV line of the demo (every seventh, by code) whose outage closes a tie."""
    from sqlalchemy.orm import Session

    from twin.network.service import analyse_outage

    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with Session(engine) as session:
            codes = session.execute(text(
                "SELECT code FROM assets.power_line WHERE voltage_kv = 22 ORDER BY code"
            )).scalars().all()
            for code in codes[::7]:
                if analyse_outage(session, [code])["analysis"]["restoration"]:
                    return code
    finally:
        engine.dispose()
    raise AssertionError("no line of the demo restores through a tie")


def test_a_power_outage_says_whether_its_ties_carry_the_load(crew, network_demo):
    line = _line_restored_through_a_tie(network_demo.url)
    headers = {"X-CSRFToken": crew.csrf}
    summary = crew.post("/outage/analyse", json={"codes": [line]}, headers=headers).get_json()
    assert "restoration_check" not in summary  # load flows take seconds: asked apart
    query = "&".join(f"code={c}" for c in summary["assets"])
    brief = crew.get(f"/outage/simulated.json?{query}").get_json()["restoration_check"]
    assert brief["ties"] >= 1 and brief["verdict"] in ("ok", "alternative", "infeasible")
    full = crew.post("/outage/analyse?detail=full", json={"codes": [line]},
                     headers=headers).get_json()
    steps = full["restoration_check"]["steps"]
    assert [s["tie_switch"] for s in steps] == [
        s["tie_switch"] for s in full["analysis"]["restoration"]]
    assert sum(s["verdict"] != "ok" for s in steps) == brief["marked"]
