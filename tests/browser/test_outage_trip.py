"""The crew page says which device trips for a power fault and why, in Vietnamese."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, text

from tests.browser.test_crew_page import crew_url, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

#: A 0.4 kV service line and the fuse of its circuit.
_LINE_AND_FUSE = """
SELECT l.code, f.name FROM assets.power_line l
JOIN assets.power_switch f ON f.id = l.start_node
WHERE f.device_type = 'fuse' ORDER BY l.code LIMIT 1
"""


def test_an_lv_fault_names_its_fuse_and_why(page, crew_url, network_demo):  # noqa: F811
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        line, name = conn.execute(text(_LINE_AND_FUSE)).one()
    engine.dispose()
    page.goto(f"{crew_url}/outage/?lang=vi")
    page.fill("#outage-code", line)
    page.click("#outage-form button[type=submit]")
    page.wait_for_selector(".outage-trip")
    shown = page.inner_text(".outage-trip")
    assert shown == f"Cầu chì {name} cắt vì sự cố trên đường dây 0,4 kV phía sau nó"
    trip = page.evaluate("window.twinOutage.state.report.analysis.trip")
    assert trip["kind"] == "fuse" and trip["reason"] == "clears_fault"
