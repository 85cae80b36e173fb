"""Editing in the browser: draw and save, validation, conflicts, bulk edit, undo, revert."""

from __future__ import annotations

import json

import pytest

from tests.browser.mapdriver import (
    MARKS,
    add_vertex,
    api,
    click_at,
    draw_point,
    first_feature,
    first_vertex,
    login,
    message_texts,
    open_feature,
    open_map,
)

pytestmark = MARKS

#: About 20 m east of a point, in degrees of longitude at Bắc Giang's latitude.
STEP = 0.0002


def _empty_spot_near(page, feature: dict, *, side: int = 1) -> tuple[float, float]:
    """A spot half a step off ``feature`` (``side`` -1 for the other side), map opened there."""
    open_map(page, feature)
    lon, lat = first_vertex(feature)
    return lon + side * STEP / 2, lat + side * STEP / 2


def test_an_editor_draws_a_street_light_and_it_reaches_the_api_and_the_history(page):
    login(page, "edna")
    lon, lat = _empty_spot_near(page, first_feature(page, "lighting_light"))
    draw_point(page, "lighting_light", lon, lat)
    page.select_option("#field-lamp_type", "led")
    page.fill("#field-wattage_w", "80")
    page.click("form.feature-form button.save")
    panel = page.locator("#feature-panel article.feature")
    panel.wait_for()
    code = panel.get_attribute("data-code")
    assert code.startswith("LGT-POLE-")
    stored = api(page, f"/collections/lighting_light/items/{code}")
    assert stored["properties"]["lamp_type"] == "led"
    assert stored["properties"]["wattage_w"] == 80
    assert stored["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=2e-6)
    history = api(page, f"/collections/lighting_light/items/{code}/history")["versions"]
    assert [(e["action"], e["changed_by"]) for e in history] == [("create", "edna")]
    assert panel.locator("ol.history-list li .who").inner_text() == "edna"


def test_validation_errors_appear_next_to_their_fields(page):
    login(page, "edna")
    lon, lat = _empty_spot_near(page, first_feature(page, "lighting_light"), side=-1)
    draw_point(page, "lighting_light", lon, lat)
    page.fill("#field-wattage_w", "99999")
    page.click("form.feature-form button.save")
    wattage = page.locator(".field[data-field=wattage_w] .field-error")
    wattage.wait_for()
    assert wattage.inner_text() == "99999 vượt quá giá trị lớn nhất 2.000 W."
    lamp = page.locator(".field[data-field=lamp_type] .field-error")
    assert lamp.get_attribute("data-rule") == "required"
    assert lamp.inner_text() == "Cần nhập giá trị."
    assert page.locator(".form-error").inner_text().startswith("Đối tượng vi phạm 2 quy tắc")
    around = f"{lon - 1e-5},{lat - 1e-5},{lon + 1e-5},{lat + 1e-5}"
    assert api(page, f"/collections/lighting_light/items?bbox={around}")["features"] == []


def _edit_form(page, feature: dict) -> None:
    open_map(page, feature)
    open_feature(page, feature)
    page.click("#feature-panel button[data-action=edit]")
    page.wait_for_selector("form.feature-form #field-owner")


def test_a_concurrent_edit_shows_their_change_and_mine_is_reapplied_not_lost(contexts):
    mine, theirs = contexts.new_page(), contexts.new_page()
    login(mine, "edna")
    login(theirs, "eddie")
    light = first_feature(mine, "lighting_light", offset=3)
    version = light["properties"]["version"]
    _edit_form(mine, light)
    mine.fill("#field-owner", "Công ty Chiếu sáng A")
    _edit_form(theirs, light)
    theirs.fill("#field-owner", "Công ty Chiếu sáng B")
    theirs.fill("#field-operator", "Đội B")
    theirs.click("form.feature-form button.save")
    theirs.wait_for_selector("#feature-panel article.feature")

    mine.click("form.feature-form button.save")
    dialog = mine.locator("#conflict-dialog[open]")
    dialog.wait_for()
    row = dialog.locator("tr[data-field=owner]")
    assert row.locator("td.theirs").inner_text() == "Công ty Chiếu sáng B"
    assert row.locator("td.mine").inner_text() == "Công ty Chiếu sáng A"
    assert "eddie" in dialog.locator(".conflict-text").inner_text()
    dialog.locator("button.reapply").click()
    mine.wait_for_selector("#feature-panel article.feature")
    stored = api(mine, f"/collections/lighting_light/items/{light['id']}")["properties"]
    assert (stored["owner"], stored["operator"]) == ("Công ty Chiếu sáng A", "Đội B")
    assert stored["version"] == version + 2

    # Their form is now stale: they reload my version instead of overwriting it.
    _edit_form(theirs, light)
    theirs.evaluate("() => document.querySelector('#field-owner').value = 'x'")
    mine_again = contexts.new_page()
    login(mine_again, "edna")
    _edit_form(mine_again, light)
    mine_again.fill("#field-owner", "Công ty C")
    mine_again.click("form.feature-form button.save")
    mine_again.wait_for_selector("#feature-panel article.feature")
    theirs.click("form.feature-form button.save")
    theirs.locator("#conflict-dialog[open] button.reload").click()
    theirs.wait_for_function("() => document.querySelector('#field-owner')?.value === 'Công ty C'")


def test_bulk_edit_of_a_selection_then_undo(page):
    login(page, "edna")
    light = first_feature(page, "lighting_light", offset=10)
    lon, lat = first_vertex(light)
    open_map(page, light, zoom=17)
    page.select_option("#draw-type", "lighting_light")
    page.click("#tool-select")
    click_at(page, lon - 0.0008, lat + 0.0006)
    click_at(page, lon + 0.0008, lat - 0.0006)
    page.wait_for_selector("#selection-bar:not([hidden])")
    items = page.evaluate("() => Twin.bulk.items()")
    assert len(items) >= 3 and {i["table"] for i in items} == {"lighting_light"}
    before = {
        i["code"]: api(page, f"/collections/lighting_light/items/{i['code']}")["properties"][
            "status"
        ]
        for i in items
    }
    page.click("#selection-bar button.edit")
    page.select_option("#bulk-field", "status")
    page.select_option(".bulk-form #field-status", "out_of_service")
    page.click(".bulk-form button.save")
    page.wait_for_function(
        "() => document.querySelector('#messages').innerText.includes('Đã thay đổi')"
    )
    assert f"Đã thay đổi {len(items)}/{len(items)} đối tượng." in message_texts(page)[-1]
    after = {
        code: api(page, f"/collections/lighting_light/items/{code}")["properties"]
        for code in before
    }
    assert {p["status"] for p in after.values()} == {"out_of_service"}

    page.click("#tool-undo")
    page.wait_for_function(
        "() => document.querySelector('#messages').innerText.includes('Đã hoàn tác')"
    )
    undone = {
        code: api(page, f"/collections/lighting_light/items/{code}")["properties"]["status"]
        for code in before
    }
    assert undone == before


def test_delete_asks_first_and_undo_brings_the_feature_back(page):
    login(page, "edna")
    valve = first_feature(page, "water_hydrant")
    open_map(page, valve)
    open_feature(page, valve)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#feature-panel button[data-action=delete]")
    page.wait_for_selector("#feature-panel", state="hidden")
    gone = page.request.get(f"/collections/water_hydrant/items/{valve['id']}")
    assert gone.status == 404
    page.click("#tool-undo")
    page.wait_for_selector(f"article.feature[data-code='{valve['id']}']")
    back = api(page, f"/collections/water_hydrant/items/{valve['id']}")
    assert back["geometry"] == valve["geometry"]
    assert back["properties"]["hydrant_type"] == valve["properties"]["hydrant_type"]


def test_an_admin_reverts_a_feature_to_an_earlier_version(contexts):
    editor, admin = contexts.new_page(), contexts.new_page()
    login(editor, "edna")
    tree = first_feature(editor, "lighting_light", offset=20)
    _edit_form(editor, tree)
    original = tree["properties"]["owner"]
    editor.fill("#field-owner", "Chủ mới")
    editor.click("form.feature-form button.save")
    editor.wait_for_selector("#feature-panel article.feature")

    login(admin, "adam")
    open_map(admin, tree)
    open_feature(admin, tree)
    versions = admin.locator("ol.history-list li").evaluate_all(
        "items => items.map(i => Number(i.dataset.version))"
    )
    first = min(versions)
    admin.click(f"ol.history-list li[data-version='{first}'] button[data-action=revert]")
    admin.wait_for_selector("ol.history-list li[data-action=revert]")
    stored = api(admin, f"/collections/lighting_light/items/{tree['id']}")["properties"]
    assert stored["owner"] == original and stored["updated_by"] == "adam"


def test_a_new_pipe_snaps_to_a_node_and_warns_of_its_unconnected_end(page):
    login(page, "edna")
    node = first_feature(page, "water_junction")
    lon, lat = first_vertex(node)
    open_map(page, node)
    page.select_option("#draw-type", "water_pipe")
    page.click("#tool-draw")
    page.wait_for_function("() => Twin.state.map.pm.globalDrawModeEnabled()")
    add_vertex(page, lon, lat)
    add_vertex(page, lon + STEP, lat + STEP)
    # Enter finishes the line (as would a click on its last vertex); the map has the
    # focus, so the key cannot also press a focused toolbar button.
    page.evaluate("() => Twin.state.map.getContainer().focus()")
    page.keyboard.press("Enter")
    page.wait_for_selector("form.feature-form[data-table=water_pipe]")
    page.fill("#field-diameter_mm", "110")
    page.click("form.feature-form button.save")
    page.wait_for_selector("#feature-panel article.feature")
    warning = page.locator("#messages .message.warning")
    warning.wait_for()
    assert "chưa nối" in warning.inner_text()
    assert any(node["id"] in text for text in message_texts(page))


def test_an_editor_uploads_a_file_sees_the_check_then_imports_it(page):
    login(page, "edna")
    light = first_feature(page, "lighting_light", offset=30)
    lon, lat = first_vertex(light)
    open_map(page, light)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon + i * STEP, lat]},
            "properties": {"lamp_type": "led", "wattage_w": 40 + i},
        }
        for i in (1, 2, 3)
    ]
    payload = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    page.click("#tool-import")
    page.select_option("#upload-table", "lighting_light")
    page.set_input_files(
        "#upload-file",
        files=[{"name": "den-moi.geojson", "mimeType": "application/geo+json", "buffer": payload}],
    )
    page.click("#upload-form button[type=submit]")
    summary = page.locator("#upload-report .summary.checked")
    summary.wait_for()
    assert summary.inner_text() == "Kiểm tra đạt: 3 đối tượng sẵn sàng nhập."
    assert (
        page.locator("#upload-report li[data-table=lighting_light]").inner_text()
        == "Cột đèn, bộ đèn 3"
    )
    page.click("#upload-commit")
    page.locator("#upload-report .summary.done").wait_for()
    around = f"{lon + STEP / 2},{lat - 1e-5},{lon + 3.5 * STEP},{lat + 1e-5}"
    found = api(page, f"/collections/lighting_light/items?bbox={around}")["features"]
    assert sorted(f["properties"]["wattage_w"] for f in found) == [41, 42, 43]


def test_a_line_is_split_where_clicked_into_two_features_with_its_attributes(page):
    login(page, "edna")
    pipe = first_feature(page, "water_pipe", offset=5)
    coords = pipe["geometry"]["coordinates"]
    lon = (coords[0][0] + coords[1][0]) / 2
    lat = (coords[0][1] + coords[1][1]) / 2
    open_map(page, {"geometry": {"type": "Point", "coordinates": [lon, lat]}})
    page.evaluate("(code) => Twin.inspect.open('water_pipe', code)", pipe["id"])
    page.click("#feature-panel button[data-action=split]")
    page.locator("#messages .message").first.wait_for()
    click_at(page, lon, lat)
    page.wait_for_function(
        "() => document.querySelector('#messages').innerText.includes('Đã chia')"
    )
    first = api(page, f"/collections/water_pipe/items/{pipe['id']}")
    assert first["geometry"]["coordinates"][0] == coords[0]
    assert first["geometry"]["coordinates"][-1] == pytest.approx([lon, lat], abs=1e-6)
    done = page.locator("#messages .message span").last.inner_text()
    other_code = done.split(" và ")[-1].rstrip(".")
    other = api(page, f"/collections/water_pipe/items/{other_code}")
    assert other["geometry"]["coordinates"][-1] == coords[-1]
    assert other["properties"]["diameter_mm"] == pipe["properties"]["diameter_mm"]
    total = first["properties"]["length_m"] + other["properties"]["length_m"]
    assert total == pytest.approx(pipe["properties"]["length_m"], rel=1e-3)
