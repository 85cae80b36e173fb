"""The operations pages speak Vietnamese by default and English with ?lang=en."""

import pytest

from tests.webmap.ops.conftest import login

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
