"""The operations pages speak Vietnamese by default and English with ?lang=en."""

import json

import pytest
from sqlalchemy import create_engine, pool, text

from tests.webmap.ops.conftest import login
from twin.live.burst import METHOD

pytestmark = pytest.mark.db


def test_the_dashboard_is_in_vietnamese_by_default_and_in_english_on_request(ops_client):
    login(ops_client, "viewer")
    vi = ops_client.get("/ops/").get_data(as_text=True)
    assert '<html lang="vi">' in vi
    for words in (
        "Trung tâm điều hành",
        "Chỉ số KPI theo xã/phường",
        "Đèn chiếu sáng công cộng hoạt động",
        "Hộ gia đình có cáp quang",
        "Định nghĩa và công thức",
        "Trạng thái trực tuyến",
        ">lỗi<",
        "Toàn địa bàn",
    ):
        assert words in vi, words
    assert "Street lights operational" not in vi
    en = ops_client.get("/ops/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en
    for words in ("Operations centre", "KPIs per commune", "Households with fiber", "All areas"):
        assert words in en, words
    assert "Chỉ số KPI" not in en
    kept = ops_client.get("/ops/?level=province").get_data(as_text=True)
    assert "KPIs per province" in kept and 'href="?level=province&amp;lang=vi"' in kept


def test_decisions_incidents_and_map_are_in_vietnamese(ops_client):
    login(ops_client, "viewer")
    decisions = ops_client.get("/ops/decisions").get_data(as_text=True)
    assert "Tuyến ống cấp nước cần thay thế trước" in decisions
    assert "Các xã/phường còn xa mục tiêu cáp quang nhất" in decisions
    incidents = ops_client.get("/ops/incidents").get_data(as_text=True)
    assert "<h2>Sự cố" in incidents and "Mức độ" in incidents and "mới mở" in incidents
    code = incidents.split("/ops/incidents/")[1].split('"')[0]
    detail = ops_client.get(f"/ops/incidents/{code}").get_data(as_text=True)
    assert "Diễn biến" in detail and "người phụ trách" in detail
    assert "Đỏ: sự cố đang mở" in ops_client.get("/ops/map").get_data(as_text=True)
    english = ops_client.get(f"/ops/incidents/{code}?lang=en").get_data(as_text=True)
    assert "Timeline" in english and "Diễn biến" not in english


def test_the_timeline_actions_are_in_the_readers_language(ops_client):
    login(ops_client, "viewer")
    rows = ops_client.get("/ops/incidents?status=all&lang=en").get_data(as_text=True)
    code = rows.split("Breaker opened: PWR-SW-1")[0].rsplit("/ops/incidents/", 1)[1].split('"')[0]
    vi = ops_client.get(f"/ops/incidents/{code}?lang=vi").get_data(as_text=True)
    timeline = vi.split('id="timeline"')[1]
    assert "<td>mở sự cố</td>" in timeline and "<td>opened</td>" not in timeline
    assert "<td>Máy cắt mở tại PWR-SW-1</td>" in timeline  # the note the twin wrote
    en = ops_client.get(f"/ops/incidents/{code}?lang=en").get_data(as_text=True)
    assert "<td>opened</td>" in en.split('id="timeline"')[1]
    assert "<td>Breaker opened on PWR-SW-1</td>" in en.split('id="timeline"')[1]


def test_the_burst_method_and_outage_note_are_shown_in_the_readers_language(ops_client, ops_db_url):
    """Both stay stored in English; the page translates them."""
    login(ops_client, "viewer")
    engine = create_engine(ops_db_url, poolclass=pool.NullPool)
    area = {
        "sensors_dropped": {"WTR-JCT-4": 1.4},
        "sensors_steady": 5,
        "candidates": [{"pipe": "WTR-PIPE-4", "score": 0.9, "distance_to_largest_drop_m": 10.0}],
        "method": str(METHOD),
    }
    with engine.begin() as connection:
        code, details, outage = connection.execute(
            text("SELECT code, details, outage FROM live.incident ORDER BY id LIMIT 1")
        ).one()
        note = {"available": False, "note": "outage analysis failed: NoPath"}
        connection.execute(
            text(
                "UPDATE live.incident SET details = CAST(:d AS jsonb), "
                "outage = CAST(:o AS jsonb) WHERE code = :c"
            ),
            {"d": json.dumps({**details, "burst_area": area}), "o": json.dumps(note), "c": code},
        )
    try:
        vi = ops_client.get(f"/ops/incidents/{code}?lang=vi").get_data(as_text=True)
        assert "khớp bình phương tối thiểu mô hình sụt áp exp(-khoảng cách/400 m)" in vi
        assert "least-squares" not in vi
        assert "phân tích mất dịch vụ thất bại: NoPath" in vi
        en = ops_client.get(f"/ops/incidents/{code}?lang=en").get_data(as_text=True)
        assert "least-squares fit of exp(-distance/400 m) drop pattern along the network" in en
        assert "outage analysis failed: NoPath" in en
    finally:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE live.incident SET details = CAST(:d AS jsonb), "
                    "outage = CAST(:o AS jsonb) WHERE code = :c"
                ),
                {"d": json.dumps(details), "o": json.dumps(outage), "c": code},
            )
        engine.dispose()


def test_incident_titles_are_in_the_readers_language(ops_client):
    login(ops_client, "viewer")
    rows = json.loads(ops_client.get("/ops/incidents.geojson?lang=en").get_data(as_text=True))
    titles = {f["properties"]["code"]: f["properties"]["title"] for f in rows["features"]}
    breaker = next(code for code, title in titles.items() if title.startswith("Breaker opened: "))
    asset = titles[breaker].split(": ", 1)[1]
    vi = json.loads(ops_client.get("/ops/incidents.geojson?lang=vi").get_data(as_text=True))
    assert {f["properties"]["code"]: f["properties"]["title"] for f in vi["features"]}[
        breaker
    ] == f"Máy cắt mở: {asset}"
    listed = ops_client.get("/ops/incidents?status=all").get_data(as_text=True)
    assert f"<td>Máy cắt mở: {asset}</td>" in listed
    detail = ops_client.get(f"/ops/incidents/{breaker}").get_data(as_text=True)
    assert f"Máy cắt mở: {asset}</h2>" in detail
    english = ops_client.get(f"/ops/incidents/{breaker}?lang=en").get_data(as_text=True)
    assert f"Breaker opened: {asset}</h2>" in english
    exported = ops_client.get("/ops/export/incidents.csv").get_data(as_text=True)
    assert f"Breaker opened: {asset}" in exported  # exports keep the stored title
