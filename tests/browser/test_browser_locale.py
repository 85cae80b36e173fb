"""Numbers typed in Vietnamese mean what the user meant; pages show them the Vietnamese way."""

from __future__ import annotations

import re

from tests.browser.mapdriver import MARKS, api, first_feature, login, open_map

pytestmark = MARKS


def _edit_depth(page, pipe: dict, typed: str) -> None:
    open_map(page, pipe)
    page.evaluate("(code) => Twin.inspect.open('water_pipe', code)", pipe["id"])
    page.click("#feature-panel button[data-action=edit]")
    page.wait_for_selector("form.feature-form #field-depth_m")
    page.fill("#field-depth_m", typed)
    page.click("form.feature-form button.save")


def test_a_decimal_comma_in_the_edit_form_is_stored_as_one_and_a_half_never_fifteen(page):
    login(page, "edna")
    pipe = first_feature(page, "water_pipe", offset=11)
    _edit_depth(page, pipe, "1,5")
    panel = page.locator("#feature-panel article.feature")
    panel.wait_for()
    stored = api(page, f"/collections/water_pipe/items/{pipe['id']}")["properties"]
    assert stored["depth_m"] == 1.5
    assert panel.locator("tr[data-field=depth_m] td").inner_text() == "1,5 m"
    # The last change's time is shown in Vietnam's time zone (UTC+7).
    history = api(page, f"/collections/water_pipe/items/{pipe['id']}/history")["versions"]
    changed = history[-1]["changed_at"] if history[-1]["version"] == stored["version"] \
        else history[0]["changed_at"]
    hour = (int(re.search(r"T(\d\d)", changed).group(1)) + 7) % 24 if changed.endswith(
        ("Z", "+00:00")) else int(re.search(r"T(\d\d)", changed).group(1))
    shown = panel.locator("ol.history-list li time").first.inner_text()
    assert re.search(rf"\b{hour:02d}:\d\d", shown), (changed, shown)


def test_an_ambiguous_number_is_refused_with_its_field_named_and_nothing_is_stored(page):
    login(page, "edna")
    pipe = first_feature(page, "water_pipe", offset=12)
    before = pipe["properties"]["version"]
    _edit_depth(page, pipe, "1.500")
    error = page.locator(".field[data-field=depth_m] .field-error")
    error.wait_for()
    assert error.get_attribute("data-rule") == "typed_number"
    text = error.inner_text()
    assert text.startswith("Độ sâu chôn") and "1500" in text and "1,5" in text
    stored = api(page, f"/collections/water_pipe/items/{pipe['id']}")["properties"]
    assert stored["version"] == before


def test_the_shared_reader_and_formats_follow_the_page_language(page):
    login(page, "edna")
    open_map(page)
    read = page.evaluate("""() => ["1,5", "1.234,5", "1 234,5", "1.5", "2"].map(
        (t) => Twin.readNumber(t, "x"))""")
    assert read == [1.5, 1234.5, 1234.5, 1.5, 2]
    refused = page.evaluate("""() => ["1.500", "12,000", "abc", "1e999"].map((t) => {
        try { return Twin.readNumber(t, "Độ sâu"); } catch (err) { return err.message; } })""")
    assert refused[0] == "Độ sâu: “1.500” có thể hiểu hai cách — viết 1500 hoặc 1,5."
    assert refused[1] == "Độ sâu: “12,000” có thể hiểu hai cách — viết 12000 hoặc 12."
    assert refused[2:] == ["Độ sâu: “abc” không phải là số.", "Độ sâu: “1e999” không phải là số."]
    shown = page.evaluate("""() => [Twin.fmt.area(4139), Twin.fmt.area(3892420645.4),
        Twin.fmt.count(92.0), Twin.fmt.length(4), Twin.fmt.datetime("2026-12-07T02:07:00Z")]""")
    assert shown[:4] == ["4.139 m²", "3.892,42 km²", "92", "4 m"]
    assert "09:07" in shown[4] and "2026" in shown[4]
