"""The operations pages render real data for viewers; crews act on incidents."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from shapely import wkb
from sqlalchemy import create_engine, pool, text

from layers import feature_type
from tests.factories import sample_properties
from tests.webmap.ops.conftest import login
from twin.db.engine import session_scope
from twin.edits import create_feature, delete_feature
from twin.live.kpi import KPIS

pytestmark = pytest.mark.db


def test_anonymous_visitors_are_sent_to_log_in_and_data_is_refused(ops_client):
    response = ops_client.get("/ops/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert ops_client.get("/ops/export/incidents.csv").status_code == 401


def test_the_dashboard_shows_kpis_per_commune_with_definitions_and_formulas(ops_client):
    login(ops_client, "viewer")
    html = ops_client.get("/ops/?lang=en").get_data(as_text=True)
    for k in KPIS:
        assert k.title in html and k.formula.replace("'", "&#39;") in html
    assert "Phường Tây" in html and "Bắc Ninh" in html
    assert "chart.umd.js" in html
    province = ops_client.get("/ops/?level=province").get_data(as_text=True)
    assert "KPIs per province" in province


def test_kpi_csv_has_the_figures_of_the_city(ops_client):
    login(ops_client, "viewer")
    rows = list(
        csv.DictReader(
            io.StringIO(ops_client.get("/ops/export/kpi_commune.csv").get_data(as_text=True))
        )
    )
    west = next(r for r in rows if r["code"] == "ADM-C1")
    assert float(west["led_share"]) == pytest.approx(66.67)
    assert float(west["lights_operational"]) == pytest.approx(66.67)  # LGT-POLE-2 is out
    assert float(west["fiber_villages"]) == 50.0
    assert float(west["fiber_households"]) == pytest.approx(100 * 180 / 350, abs=0.01)
    assert float(west["trees_hazardous"]) == 1.0
    total = rows[-1]
    assert total["code"] == "total" and float(total["fiber_villages"]) == pytest.approx(33.33)


@pytest.mark.parametrize(
    "name",
    [
        "kpi_province",
        "renewals",
        "fiber_gaps",
        "faulty_circuits",
        "completeness",
        "incidents",
        "asset_state",
        "quarantine",
    ],
)
def test_every_table_exports_to_csv(ops_client, name):
    login(ops_client, "viewer")
    response = ops_client.get(f"/ops/export/{name}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows, name


def test_the_lamp_fault_is_on_the_map_and_in_the_dashboard(ops_client):
    login(ops_client, "viewer")
    faults = ops_client.get("/ops/faults.geojson").get_json()["features"]
    by_code = {f["properties"]["code"]: f for f in faults}
    assert by_code["LGT-POLE-2"]["properties"]["status"] == "fault"
    assert by_code["PWR-SW-1"]["properties"]["status"] == "open"
    assert by_code["LGT-POLE-2"]["geometry"]["type"] == "Point"
    # The popup's words and time: labels in the reader's language, the time in UTC for Twin.fmt.
    vi = {f["properties"]["code"]: f["properties"]
          for f in ops_client.get("/ops/faults.geojson?lang=vi").get_json()["features"]}
    assert vi["LGT-POLE-2"]["status_label"] == "lỗi"
    assert vi["LGT-POLE-2"]["asset_label"] != "lighting_light"
    since = datetime.fromisoformat(vi["LGT-POLE-2"]["since"].replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - since) < timedelta(hours=3)
    html = ops_client.get("/ops/?lang=en").get_data(as_text=True)
    assert ">fault<" in html
    page = ops_client.get("/ops/map").get_data(as_text=True)
    assert "/vendor/leaflet/dist/leaflet.js" in page and "/ops/faults.geojson" in page


def test_decisions_rank_pipes_fiber_gaps_and_faulty_circuits(ops_client):
    login(ops_client, "viewer")
    html = ops_client.get("/ops/decisions").get_data(as_text=True)
    assert "WTR-PIPE-1" in html  # the oldest main comes first at equal diameter
    assert html.index("WTR-PIPE-1") < html.index("WTR-PIPE-6")
    assert "Phường Tây" in html and "LGT-CAB-1/1" in html


@pytest.fixture
def tree_under_a_line(ops_db_url):
    """A big old xà cừ under PWR-LINE-1, removed afterwards."""
    engine = create_engine(ops_db_url, poolclass=pool.NullPool)
    ft = feature_type("trees_tree")
    with session_scope(engine) as session:
        spot = wkb.loads(bytes(session.execute(text(
            "SELECT ST_AsBinary(ST_PointOnSurface(geom)) FROM assets.power_line "
            "WHERE code = 'PWR-LINE-1'")).scalar_one()))
        props = {**sample_properties(ft, code="TRE-TREE-LINE"), "risk_level": None,
                 "species_scientific": "Khaya senegalensis", "trunk_diameter_cm": 120.0,
                 "condition": "good", "planting_date": "1960-05-01"}
        code = create_feature(session, ft.table, props, spot, user="editor").feature["id"]
    yield code
    with session_scope(engine) as session:
        delete_feature(session, ft.table, code, expected_version=1, user="editor")
    engine.dispose()


def test_a_tree_under_a_power_line_is_at_risk_by_estimate(ops_client, tree_under_a_line):
    login(ops_client, "viewer")
    html = ops_client.get("/ops/decisions?lang=vi").get_data(as_text=True)
    table = html.split('id="trees-at-risk"')[1].split("</table>")[0]
    assert tree_under_a_line in table and "PWR-LINE-1" in table
    assert "ước tính từ tuổi và kích thước" in table and "loài dễ đổ khi bão" in table
    assert "Nghị định 14/2014" in html
    rows = list(csv.DictReader(io.StringIO(
        ops_client.get("/ops/export/trees_at_risk.csv").get_data(as_text=True))))
    mine = [r for r in rows if r["code"] == tree_under_a_line]
    assert mine and (mine[0]["risk"], mine[0]["risk_from"]) == ("high", "estimate")


def test_trends_come_from_the_readings(ops_client):
    login(ops_client, "viewer")
    pressure = ops_client.get("/ops/trend/pressure.json").get_json()
    assert pressure["series"]["pressure_sensor"] and pressure["labels"]
    assert ops_client.get("/ops/trend/nothing.json").status_code == 404


def test_incidents_list_detail_and_a_viewer_cannot_act(ops_client):
    login(ops_client, "viewer")
    html = ops_client.get("/ops/incidents?lang=en").get_data(as_text=True)
    assert "Breaker opened: PWR-SW-1" in html and "Lamp out: LGT-POLE-2" in html
    code = html.split("/ops/incidents/")[1].split('"')[0]
    detail = ops_client.get(f"/ops/incidents/{code}").get_data(as_text=True)
    assert "Timeline" in detail and "opened" in detail
    typed = ops_client.get(f"/ops/incidents/{code.lower()}")  # a code typed in lower case
    assert typed.status_code == 200 and f"<h2>{code} —" in typed.get_data(as_text=True)
    csrf = ops_client.get("/me").get_json()["csrf_token"]
    response = ops_client.post(
        f"/ops/incidents/{code}/assign", data={"owner": "viewer", "csrf_token": csrf}
    )
    assert response.status_code == 403


def test_a_crew_takes_an_incident_sees_it_on_its_map_and_closes_it(ops_client):
    csrf = login(ops_client, "crew")
    incidents = ops_client.get("/ops/incidents.geojson?lang=en").get_json()["features"]
    lamp = next(
        f["properties"]["code"]
        for f in incidents
        if f["properties"]["title"] == "Lamp out: LGT-POLE-2"
    )
    ops_client.post(f"/ops/incidents/{lamp}/assign", data={"owner": "crew", "csrf_token": csrf})
    mine = ops_client.get("/ops/incidents.geojson?mine=1").get_json()["features"]
    assert [f["properties"]["code"] for f in mine] == [lamp]
    response = ops_client.post(
        f"/ops/incidents/{lamp}/close", data={"note": "Driver replaced", "csrf_token": csrf}
    )
    assert response.status_code == 302
    detail = ops_client.get(f"/ops/incidents/{lamp}").get_data(as_text=True)
    assert "Driver replaced" in detail and "closed" in detail
    assert ops_client.get("/ops/incidents.geojson?mine=1").get_json()["features"] == []
