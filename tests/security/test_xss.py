"""Hole 3, stored XSS: values from data reach the pages as text, never as markup.

An incident owner ``<img src=x onerror=...>`` ran script on ``/ops/map``; an
asset code with HTML ran script in the crew's outage tooltip; plan zone keys
did the same in the planner's tooltips.  Replayed here in headless Chromium
(Debian's) against the live server, with the payload in every kind of value a
page shows; a static scan keeps HTML sinks out of the pages' scripts; and
asset codes are held to their declared pattern by the API and the database.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from layers import feature_type
from tests.databases import scratch_database
from tests.factories import sample_geometry, sample_properties
from tests.twin.fiber.plan_db import GROUP as FIBER_GROUP
from tests.twin.fiber.plan_db import fiber_demo, fiber_engine  # noqa: F401
from tests.twin.zoning.places import CRS, at
from tests.webmap.api.apptest import PASSWORD, bearer
from tests.webmap.map.apptest import served
from twin.config import Settings
from twin.db import migrate
from twin.db.engine import session_scope
from twin.declare import CODE_PATTERN
from twin.edits import create_feature
from twin.fiber.writeback import remove_plan
from twin.io import ImportRejected, import_features
from twin.zoning.model import Plan, Zone
from twin.zoning.store import save_plan
from webmap import create_app

WEBMAP = Path(__file__).resolve().parents[2] / "webmap"
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
#: The same without spaces, for a field that splits on them (the crew page's codes).
IMG_WORD = "<img/src=x/onerror=window.__xss=1>"


# -- in the browser ----------------------------------------------------------------------


@pytest.fixture
def open_page(browser, live_server, tokens):
    """``open_page(user)``: a page of a fresh context signed in as ``user`` (a role's name,
    see ``tokens``); the test fails on any script error of its pages."""
    contexts, errors = [], []

    def make(user: str):
        context = browser.new_context(base_url=live_server, locale="en-GB",
                                      viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        csrf = page.request.get("/me").json()["csrf_token"]
        signed_in = page.request.post("/login", data={"username": user, "password": PASSWORD},
                                      headers={"X-CSRFToken": csrf})
        assert signed_in.ok, signed_in.text()
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"script errors on the page: {errors}"


def no_script_ran(page) -> None:
    page.wait_for_timeout(300)  # an <img onerror> fires once the broken image fails
    assert page.evaluate("typeof window.__xss") == "undefined"


def shown_as_text(page, selector: str, *values: str) -> None:
    """The element shows ``values`` literally, holds no element they name, ran nothing."""
    box = page.locator(selector).first
    box.wait_for()
    shown = box.inner_text()
    assert all(v in shown for v in values), shown
    assert box.locator("img, script").count() == 0
    no_script_ran(page)


@pytest.mark.browser
@pytest.mark.db
def test_incident_owner_and_title_are_text_in_the_ops_map_popup(open_page, api_engine, tokens):
    with session_scope(api_engine) as session:
        session.execute(text(
            "INSERT INTO live.incident (code, title, severity, status, owner, geom) VALUES "
            "('INC-XSS-1', :title, 'major', 'open', :owner, "
            "ST_SetSRID(ST_MakePoint(106.19, 21.27), 4326))"), {"title": SCRIPT, "owner": IMG})
    page = open_page("viewer")
    page.goto("/ops/map")
    # The faults and the incidents arrive in separate requests: wait for the incident itself.
    opened = page.wait_for_function("""code => {
        if (typeof map === 'undefined') return false;
        let found = false;
        map.eachLayer((l) => {
          if (l.feature && l.feature.properties.code === code) { l.openPopup(); found = true; }
        });
        return found;
    }""", arg="INC-XSS-1")
    assert opened.json_value()
    shown_as_text(page, ".leaflet-popup-content", IMG, SCRIPT)


@pytest.fixture
def pump(api_engine, tokens):
    """A pump station whose name, owner, operator and extra note carry the payloads."""
    ft = feature_type("water_pump_station")
    props = sample_properties(ft, code="xss-pump-1", name=SCRIPT, owner=IMG, operator=SCRIPT,
                              extra={"note": IMG})
    with session_scope(api_engine) as session:
        create_feature(session, ft.table, props, sample_geometry(ft, dx=0.02), user="editor")
    return "XSS-PUMP-1"  # stored in upper case


@pytest.mark.browser
@pytest.mark.db
def test_asset_name_owner_and_notes_are_text_in_the_map_panel(open_page, pump):
    page = open_page("admin")
    page.goto("/map/#18/21.27/106.21")
    page.wait_for_selector("body.twin-ready")
    page.evaluate("code => Twin.inspect.open('water_pump_station', code)", pump.lower())
    shown_as_text(page, "#feature-body article.feature", IMG, SCRIPT)


@pytest.mark.browser
@pytest.mark.db
def test_an_echoed_code_is_text_on_the_crew_page(open_page):
    page = open_page("crew")
    page.goto("/outage/")
    page.fill("#outage-code", IMG_WORD)
    page.click("#outage-form button[type=submit]")
    shown_as_text(page, "#outage-body .outage-error", IMG_WORD)


@pytest.mark.browser
@pytest.mark.db
def test_plan_zone_keys_are_text_in_the_planner_tooltips(open_page, api_engine):
    plan = Plan(SCRIPT, "zoning", IMG, [Zone(IMG, "ODT", at(0, 0, 400, 400))],
                status="approved")
    with session_scope(api_engine) as session:
        save_plan(session, plan, crs=CRS)
    page = open_page("planner")
    page.goto("/zoning/")
    page.wait_for_selector("#plans tbody tr")
    assert SCRIPT in page.locator("#plans tbody").inner_text()
    zone = page.locator("#map path.leaflet-interactive").first
    zone.wait_for()
    zone.hover()
    shown_as_text(page, ".leaflet-tooltip", IMG)


@pytest.mark.browser
@pytest.mark.db
def test_codes_and_file_name_of_an_upload_are_text_in_its_report(open_page, tmp_path):
    ft = feature_type("water_valve")
    geometry = sample_geometry(ft, dx=0.03)
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(geometry.coords[0])},
               "properties": sample_properties(ft, code=IMG, owner=SCRIPT)}
    upload = tmp_path / f"{IMG}.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    page = open_page("editor")
    page.goto("/map/")
    page.wait_for_selector("body.twin-ready")
    page.click("#tool-import")
    page.select_option("#upload-table", "water_valve")
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-form button[type=submit]")
    shown_as_text(page, "#upload-report li.problem[data-rule=code_pattern]", IMG)
    shown_as_text(page, "#upload-report")


# -- no HTML sinks in the pages' scripts --------------------------------------------------

#: Sinks that parse markup; none may appear outside the allowed places.
SINKS = re.compile(r"\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write"
                   r"|\.html\(|parseFromString|createContextualFragment")
#: A Leaflet popup or tooltip given a string glued together: a template literal, or a
#: quoted string or a property joined with ``+`` (Twin.el(...) and functions pass).
GLUED = re.compile(r"\b(?:bindPopup|bindTooltip|setContent)\(\s*"
                   r"(?:`|[\"'][^\"']*[\"']\s*\+|[\w.\[\]\"']+\s*\+)")
#: (file, line fragment): the one place that takes server-rendered markup, inertly.
ALLOWED = {("static/dom.js", "new DOMParser().parseFromString(html")}


def page_scripts():
    for path in sorted(WEBMAP.glob("**/static/**/*.js")):
        if "node_modules" not in path.parts:
            yield path


def inline_scripts():
    for path in sorted(WEBMAP.glob("**/templates/**/*.html")):
        for block in re.findall(r"<script>(.*?)</script>", path.read_text(), re.S):
            yield path, block


def sink_lines(name: str, source: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        if SINKS.search(line) or GLUED.search(line):
            if not any(name.endswith(f) and part in line for f, part in ALLOWED):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_the_scan_finds_the_sinks_it_names():
    caught = [
        "box.innerHTML = x;", "el.outerHTML = x;", "el.insertAdjacentHTML('beforeend', x)",
        "document.write(x)", "$(x).html(y)", "layer.bindPopup(`<b>${p.code}</b>`)",
        "layer.bindTooltip(f.properties.code + ' · ' + role(f))", "l.setContent('<b>' + x)",
        "new DOMParser().parseFromString(s, 'text/html')",
    ]
    assert all(sink_lines("x.js", line) for line in caught)
    passed = ["layer.bindTooltip(el('span', { text: code }))", "layer.bindPopup(popup(p))",
              "node.textContent = value;"]
    assert not any(sink_lines("x.js", line) for line in passed)


def test_page_scripts_put_no_data_into_markup():
    scripts = list(page_scripts())
    assert len(scripts) > 5
    found = [hit for path in scripts
             for hit in sink_lines(str(path.relative_to(WEBMAP)), path.read_text())]
    found += [hit for path, block in inline_scripts()
              for hit in sink_lines(str(path.relative_to(WEBMAP)), block)]
    assert not found, "HTML built from strings:\n" + "\n".join(found)


def test_templates_mark_nothing_safe_but_the_map_and_fixed_markup():
    """``|safe`` only on folium's rendered map parts and on markup written in the template."""
    unsafe = []
    for path in WEBMAP.glob("**/templates/**/*.html"):
        for use in re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", path.read_text()):
            if not (use.startswith("{{ parts.") or re.search(r"='<code[^']*</code>'\|safe", use)):
                unsafe.append(f"{path.name}: {use}")
    assert not unsafe


# -- asset codes follow their pattern -------------------------------------------------------

def _valve(code: str, **extra) -> dict:
    ft = feature_type("water_valve")
    g = sample_geometry(ft, dx=0.04)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(g.coords[0])},
            "properties": sample_properties(ft, code=code, **extra)}


def _count(api_engine, where: str = "TRUE", **params) -> int:
    with api_engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM assets.water_valve WHERE {where}"),
                            params).scalar_one()


@pytest.mark.db
@pytest.mark.parametrize("code", [IMG, SCRIPT, "WTR VLV 1", "-LEADING-DASH", "A" * 65,
                                  "VAN/1", "ống-1"])
def test_the_api_refuses_codes_outside_the_pattern(client, tokens, api_engine, code):
    before = _count(api_engine)
    r = client.post("/collections/water_valve/items", json=_valve(code),
                    headers=bearer(tokens["editor"]))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    problems = [p for p in r.get_json()["problems"] if p["field"] == "code"]
    assert [p["rule"] for p in problems] == ["code_pattern"]
    assert CODE_PATTERN in problems[0]["message"]
    assert _count(api_engine) == before


@pytest.mark.db
def test_lower_case_codes_are_stored_in_upper_case_and_found_in_any_case(client, tokens,
                                                                         api_engine):
    r = client.post("/collections/water_valve/items", json=_valve(" xss-vlv.low_1 "),
                    headers=bearer(tokens["editor"]))
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["id"] == "XSS-VLV.LOW_1"
    assert _count(api_engine, "code = 'XSS-VLV.LOW_1'") == 1
    found = client.get("/collections/water_valve/items/xss-vlv.low_1?f=json",
                       headers=bearer(tokens["viewer"]))
    assert found.status_code == 200 and found.get_json()["id"] == "XSS-VLV.LOW_1"


@pytest.mark.db
def test_a_code_cannot_be_changed_to_html(client, tokens, api_engine):
    created = client.post("/collections/water_valve/items", json=_valve("XSS-VLV-2"),
                          headers=bearer(tokens["editor"]))
    assert created.status_code == 201
    r = client.patch("/collections/water_valve/items/XSS-VLV-2",
                     json={"properties": {"code": IMG}},
                     headers=bearer(tokens["editor"], **{"If-Match": created.headers["ETag"]}))
    assert r.status_code == 422
    assert {(p["field"], p["rule"]) for p in r.get_json()["problems"]} == {("code", "code_pattern")}
    assert _count(api_engine, "code = 'XSS-VLV-2' AND version = 1") == 1


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


#: A raw insert as psql would send it (a junction needs nothing but a code and a point).
RAW_INSERT = ("INSERT INTO assets.water_junction (code, geom) "
              "VALUES (%s, ST_SetSRID(ST_MakePoint(106.2, 21.3), 4326))")


@pytest.mark.db
@pytest.mark.parametrize("code", [IMG, "wtr-jct-lower", "WTR JCT 1"])
def test_the_database_refuses_codes_outside_the_pattern(api_db_url, code):
    with psycopg.connect(_libpq(api_db_url)) as conn:
        with pytest.raises(psycopg.errors.CheckViolation, match="ck_water_junction_code_pattern"):
            conn.execute(RAW_INSERT, (code,))
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM assets.water_junction WHERE code = %s",
                            (code,)).fetchone() == (0,)


@pytest.mark.db
def test_the_migration_stops_on_stored_codes_outside_the_pattern(db_url):
    with scratch_database(db_url, "twin_codes", migrated=False) as url:
        migrate.upgrade(url, "0150")
        with psycopg.connect(_libpq(url)) as conn:
            conn.execute(RAW_INSERT, ("van 1",))
        with pytest.raises(RuntimeError, match=r"assets\.water_junction: 1 code\(s\): 'van 1'"):
            migrate.upgrade(url, "0180")
        assert migrate.current_revision(url) == "0150"


# -- the fibre plan page builds its tables, captions and tooltips as text ------------------


@pytest.fixture(scope="module")
def fiber_url(fiber_demo):  # noqa: F811 (the fixture imported above)
    settings = Settings(home=fiber_demo.home, database_url=fiber_demo.url,
                        secret_key="fiber-xss-secret")
    with served(create_app(settings)) as url:
        yield url


@pytest.mark.browser
@pytest.mark.db
@FIBER_GROUP
def test_village_names_are_text_on_the_fibre_plan_page(browser, fiber_url, fiber_engine):  # noqa: F811
    """Villages named with markup, planned and shown: tables, captions and tooltips."""
    with session_scope(fiber_engine) as session:
        names = session.execute(text("SELECT code, name FROM base.base_village")).all()
        session.execute(text("UPDATE base.base_village SET name = :n || ' ' || code"), {"n": IMG})
    context = browser.new_context(base_url=fiber_url, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        csrf = page.request.get("/me").json()["csrf_token"]
        assert page.request.post("/login", data={"username": "planner", "password": PASSWORD},
                                 headers={"X-CSRFToken": csrf}).ok
        page.goto("/fiber/")
        page.fill("#run-form [name=plan_id]", "xss-plan")
        page.fill("#run-form [name=years]", "3")
        page.fill("#run-form [name=time_limit_s]", "5")
        page.click("#run")
        page.wait_for_selector("#order tbody tr", timeout=120_000)
        page.wait_for_selector("#phase-maps figure figcaption")
        assert page.locator("#targets dt").count() > 3
        assert page.locator("#plans option[value='xss-plan']").count() == 1
        shown_as_text(page, "#order tbody", IMG)
        shown_as_text(page, "#phase-maps")
    finally:
        context.close()
        with session_scope(fiber_engine) as session:
            session.execute(text("UPDATE base.base_village SET name = :n WHERE code = :c"),
                            [{"n": n, "c": c} for c, n in names])
            remove_plan(session, "xss-plan", user="tester")
    assert not errors, f"script errors on the page: {errors}"


def _valves_file(path: Path, codes: list[str]) -> Path:
    features = [_valve(code) for code in codes]
    for i, feature in enumerate(features):
        feature["geometry"]["coordinates"][0] += 0.0005 * i
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.db
def test_an_import_names_the_codes_outside_the_pattern_and_writes_nothing(session, tmp_path):
    path = _valves_file(tmp_path / "valves.geojson", ["imp-vlv-1", IMG, "IMP VLV 3"])
    with pytest.raises(ImportRejected) as rejected:
        import_features(session, "water_valve", path, user="xss")
    found = [(p.feature, p.field, p.rule) for _, p in rejected.value.report.problems]
    assert found == [(f"row 2 ({IMG})", "code", "code_pattern"),
                     ("row 3 (IMP VLV 3)", "code", "code_pattern")]
    assert not session.execute(text(
        "SELECT count(*) FROM assets.water_valve WHERE created_by = 'xss'")).scalar()


@pytest.mark.db
def test_an_import_stores_lower_case_codes_in_upper_case(session, tmp_path):
    path = _valves_file(tmp_path / "valves.geojson", ["imp-vlv-a", "Imp-Vlv-B"])
    import_features(session, "water_valve", path, user="xss")
    stored = session.execute(text(
        "SELECT code FROM assets.water_valve WHERE created_by = 'xss' ORDER BY code")).scalars()
    assert list(stored) == ["IMP-VLV-A", "IMP-VLV-B"]
