"""Benchmark of the map page on the province demo, measured in headless chromium.

Figures come from the browser's Performance API, from navigation start:

(a) interactive map: the page's ``twin-ready`` mark (scripts run, layer
    catalogue read, clicks answered);
(b) full viewport drawn at z15: the first ``twin-tiles-drawn`` mark, set when
    every tile of a 1400×900 window is fetched and drawn (MapLibre GL idle,
    or the canvas grid's ``load``).  Target: under 1 s for every view.

``--breakdown`` also prints, for the first cold load of each view, where
the time went: the HTML, the scripts and styles (count, size, when the last
one arrived), the catalogue, the tiles (count, size, first asked, last
received) and the page's marks, from the Performance API's resource
timings (docs/map.md has one such breakdown before and after).

Baseline, measured in the same run and the same browser: once the page has
drawn, the tiles of the same viewport are fetched again (fetch only, no
drawing) the way one Leaflet layer per twin layer would fetch them, from
the feature API (``/tiles/<layer>/z/x/y.mvt``, 256-pixel tiles, seven
layers, built each time), and from the map's single source
(``/map/tiles/z/x/y.mvt?size=512&t=...``, one request per 512-pixel tile, now
served from the tile memory).  ``--before DIR`` also runs the benchmark of
an older checkout of the page (extracted with ``git archive``) against the
same database first, for a before/after in one session.

The province demo (about a million assets) is loaded once into its own
home folder (``var/bench-province`` by default; ``--home`` to change),
which later runs reuse.  The app runs under waitress in this process,
chromium is Debian's, headless (WebGL through its software renderer, so a
machine with a GPU draws faster).  Run from the repository root::

    .venv/bin/python -m benchmarks.map_bench [--runs 5] [--scale province] [--zoom 15]
    .venv/bin/python -m benchmarks.map_bench --runs 2 --before DIR   # before/after, ratios
    .venv/bin/python -m benchmarks.map_bench --runs 2 --renderers webgl,canvas   # both, ratios
    .venv/bin/python -m benchmarks.map_bench --runs 2 --renderers canvas --breakdown

``--scale city --home var/bench-city --runs 0 --screenshots docs`` makes the
screenshots of the documentation instead.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, pool, select  # noqa: E402

from benchmarks.map_timings import (  # noqa: E402
    BREAKDOWN,
    FETCH_BOTH_WAYS,
    MEASURE,
    REDRAW,
    print_breakdown,
)
from tests.webmap.map.apptest import CHROMIUM_ARGS, served  # noqa: E402
from twin.auth import users  # noqa: E402
from twin.auth.models import User  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db import migrate  # noqa: E402
from twin.db.engine import database_url, session_scope  # noqa: E402
from twin.plugins import load_optional  # noqa: E402
from webmap import create_app  # noqa: E402

USER, PASSWORD = "map-bench", "map-bench-password"
VIEWPORT = {"width": 1400, "height": 900}
TARGET_S = 1.0
#: Places viewed at z15 (lon, lat): Bắc Giang city centre, a ward off the centre,
#: and a district seat, so that dense and sparse tiles are both measured.
VIEWS = {
    "city centre": (106.1946, 21.2731),
    "city edge": (106.2200, 21.2900),
    "district seat": (106.4060, 21.2800),
}

#: Chromium's flags: the browser tests' (WebGL on SwiftShader through --disable-gpu), or
#: WebGL through ANGLE on SwiftShader, the way chromium draws on a machine without a GPU.
GL_FLAGS = {
    "default": CHROMIUM_ARGS,
    "angle": [a for a in CHROMIUM_ARGS if a != "--disable-gpu"]
    + ["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
}

def prepare(home: Path, scale: str, *, user: str = USER, password: str = PASSWORD) -> str:
    """The database of ``home``, migrated, with the demo of ``scale`` and an editor ``user``."""
    settings = Settings.from_env().with_(home=home.resolve(), database_url=None)
    url = database_url(settings)
    migrate.upgrade(url, "heads")
    demo = load_optional("twin.demo.load")
    if demo is None:
        raise SystemExit("the demo generator (twin.demo) is not part of this build")
    demo.load_if_empty(url, scale=scale, seed=1, echo=print, home=home.resolve())
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        if session.execute(select(User.id).where(User.name == user)).first() is None:
            users.add_user(session, user, "editor", password)
    engine.dispose()
    return url


def open_map(browser, base: str, lon: float, lat: float, zoom: int, renderer: str = ""):
    """A fresh browser context, logged in, on the map at a view with its tiles drawn.

    ``renderer`` (``webgl`` or ``canvas``) overrides the app's ``MAP_RENDERER``.
    """
    context = browser.new_context(viewport=VIEWPORT, base_url=base, locale="vi-VN")
    page = context.new_page()
    csrf = page.request.get("/me").json()["csrf_token"]
    page.request.post(
        "/login", data={"username": USER, "password": PASSWORD}, headers={"X-CSRFToken": csrf}
    )
    query = f"?renderer={renderer}" if renderer else ""
    page.goto(f"/map/{query}#{zoom}/{lat}/{lon}")
    page.wait_for_function(
        "() => performance.getEntriesByName('twin-tiles-drawn').length", timeout=120_000
    )
    return context, page


def measure_view(
    browser, base: str, lon: float, lat: float, zoom: int, renderer: str = "",
    *, redraws: bool = True, breakdown: bool = False,
) -> dict:
    """One cold page load (fresh browser context) of the map at a view, then its redraws."""
    context, page = open_map(browser, base, lon, lat, zoom, renderer)
    figures = page.evaluate(MEASURE)
    if breakdown:
        figures["breakdown"] = page.evaluate(BREAKDOWN)
    if page.get_attribute(".folium-map", "data-renderer") == "webgl":
        figures["fetch"] = page.evaluate(FETCH_BOTH_WAYS)  # reads the WebGL map's source
    if redraws:
        figures["pan"] = page.evaluate(REDRAW, "pan")
        figures["zoom_in"] = page.evaluate(REDRAW, "zoom")
    context.close()
    return figures


def take_screenshots(browser, base: str, folder: Path) -> None:
    """The map at a city zoom, a feature's panel and the edit form, as PNG files."""
    lon, lat = VIEWS["city centre"]
    context, page = open_map(browser, base, lon, lat, 16)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / "map.png"))
    light = page.request.get(
        f"/collections/lighting_light/items?limit=1&bbox={lon - 0.003},{lat - 0.003},"
        f"{lon + 0.003},{lat + 0.003}",
        headers={"Accept": "application/json"},
    ).json()["features"][0]
    light_lon, light_lat = light["geometry"]["coordinates"]
    page.evaluate(
        "([lat, lon]) => Twin.state.map.setView([lat, lon], 18, {animate: false})",
        [light_lat, light_lon],
    )
    page.wait_for_load_state("networkidle")
    page.evaluate("(code) => Twin.inspect.open('lighting_light', code)", light["id"])
    page.wait_for_selector("#feature-panel article.feature")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / "map-panel.png"))
    page.select_option("#draw-type", "lighting_light")
    page.click("#tool-draw")
    page.wait_for_function("() => Twin.state.map.pm.globalDrawModeEnabled()")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.45)
    page.wait_for_selector("form.feature-form")
    page.select_option("#field-lamp_type", "led")
    page.fill("#field-wattage_w", "2500")
    page.fill("#field-height_m", "9")
    page.click("form.feature-form button.save")
    page.wait_for_selector(".field.invalid")
    page.evaluate("() => { document.getElementById('feature-panel').scrollTop = 0; }")
    page.screenshot(path=str(folder / "map-edit.png"))
    context.close()
    print(f"screenshots written to {folder}: map.png, map-panel.png, map-edit.png")


def report(name: str, runs: list[dict], zoom: int) -> None:
    def median(key):
        return statistics.median(r[key] for r in runs)

    first = runs[0]
    f = first.get("fetch")
    tiles = f"{f['combined']['requests']} tiles of 512 px, {f['combined']['kib']:.0f} KiB" if f else (
        "256-px tiles on a canvas")
    print(f"\n{name}: {tiles}")
    print(f"  {'':34} {'first run':>10} {'median':>10}")
    for label, key in (
        ("HTML received", "html"),
        ("DOM ready", "dom"),
        ("interactive map (twin-ready)", "ready"),
        (f"full viewport drawn, z{zoom}", "drawn"),
    ):
        print(f"  {label:34} {first[key] / 1000:>9.3f}s {median(key) / 1000:>9.3f}s")
    for label, key in (("then half a window sideways", "pan"), ("then one zoom in", "zoom_in")):
        if key in first:
            print(f"  {label:34} {first[key] / 1000:>9.3f}s {median(key) / 1000:>9.3f}s")
    if "breakdown" in first:
        print_breakdown(first["breakdown"])
    if not f:
        return
    combined = statistics.median(r["fetch"]["combined"]["ms"] for r in runs)
    per_layer = statistics.median(r["fetch"]["perLayer"]["ms"] for r in runs)
    print(
        f"  the view's tiles again, fetch only: the map's grid (now in tile memory) "
        f"{combined / 1000:.3f}s ({f['combined']['requests']} requests) vs the API's tiles, "
        f"one layer each, built again {per_layer / 1000:.3f}s "
        f"({f['perLayer']['requests']} requests): {per_layer / combined:.1f}x"
    )


#: A view's heading and its fully-drawn line in :func:`report`'s output.
_HEADING = re.compile(r"^(\S[^(]*?) \(")
_DRAWN = re.compile(r"full viewport drawn, z\d+\s+([\d.]+)s\s+([\d.]+)s")


def run_before(args) -> dict[str, float]:
    """The benchmark of an older checkout (its own page and code), on the same home.

    Its output is shown as it comes and read back: view -> median seconds to
    a fully drawn view, the baseline of this run's ratios.
    """
    print(f"--- before: {args.before} ---", flush=True)
    command = [sys.executable, "-m", "benchmarks.map_bench", "--home", str(args.home.resolve())]
    command += ["--scale", args.scale, "--runs", str(args.runs), "--zoom", str(args.zoom)]
    command += ["--gl", args.gl] if args.gl != "default" else []
    command += ["--renderers", ",".join(args.renderers)] if args.renderers != [""] else []
    env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
    before, view = {}, None
    with subprocess.Popen(
        command, cwd=args.before, env=env, stdout=subprocess.PIPE, text=True
    ) as process:
        for line in process.stdout:
            print(line, end="", flush=True)
            if heading := _HEADING.match(line):
                view = heading.group(1)
            elif (drawn := _DRAWN.search(line)) and view:
                before[view] = float(drawn.group(2))
    if process.returncode:
        raise SystemExit(f"the benchmark in {args.before} failed ({process.returncode})")
    print("--- after: this checkout ---", flush=True)
    return before


def compare(before: dict[str, float], after: dict[str, float]) -> None:
    """Median seconds to a fully drawn view, before and after, and their ratio."""
    print("\nfully drawn, median: before -> after (before / after)")
    for view, seconds in after.items():
        if view in before:
            ratio = before[view] / seconds if seconds else float("inf")
            print(f"  {view:16} {before[view]:7.3f}s -> {seconds:7.3f}s ({ratio:.1f}x)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench-province")
    parser.add_argument("--scale", default="province", choices=["small", "city", "province"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zoom", type=int, default=15)
    parser.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="first run the benchmark of the older checkout in DIR on the same database",
    )
    parser.add_argument(
        "--renderers",
        type=lambda text: text.split(","),
        default=[""],
        metavar="webgl,canvas",
        help="measure the page with these renderers in turn (default: the app's MAP_RENDERER)",
    )
    parser.add_argument(
        "--gl",
        choices=sorted(GL_FLAGS),
        default="default",
        help="chromium's WebGL: the tests' flags (default) or ANGLE on SwiftShader",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="print where the first cold load of each view spent its time",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        metavar="FOLDER",
        help="also save screenshots of the map, a panel and the edit form",
    )
    args = parser.parse_args(argv)
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian's chromium is needed (apt install chromium)")
    from playwright.sync_api import sync_playwright

    url = prepare(args.home, args.scale)
    before = run_before(args) if args.before else {}
    settings = Settings(home=args.home.resolve(), database_url=url, secret_key="map-bench")
    with served(create_app(settings), threads=8) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=GL_FLAGS[args.gl])
        print(
            f"map page of the {args.scale} demo at {base}, chromium {browser.version}, "
            f"{args.runs} cold page loads per view, window {VIEWPORT['width']}x"
            f"{VIEWPORT['height']}"
        )
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
            take_screenshots(browser, base, args.screenshots)
        drawn = {renderer: {} for renderer in args.renderers}
        for name, (lon, lat) in VIEWS.items() if args.runs else ():
            for renderer in args.renderers:
                started = time.perf_counter()
                runs = [
                    measure_view(
                        browser, base, lon, lat, args.zoom, renderer,
                        breakdown=args.breakdown and not run,
                    )
                    for run in range(args.runs)
                ]
                heading = f"{name} [{renderer}]" if len(args.renderers) > 1 else name
                seconds = time.perf_counter() - started
                report(f"{heading} ({lon}, {lat}), {seconds:.0f}s", runs, args.zoom)
                drawn[renderer][name] = statistics.median(r["drawn"] for r in runs) / 1000
        browser.close()
    if not args.runs:
        return
    after = drawn[args.renderers[0]]
    compare(before, after)
    for other in args.renderers[1:]:
        print(f"\n{args.renderers[0]} vs {other}, fully drawn, median (first / second)")
        for view, seconds in after.items():
            theirs = drawn[other][view]
            print(f"  {view:16} {seconds:7.3f}s vs {theirs:7.3f}s ({seconds / theirs:.1f}x)")
    worst = min(max(times.values()) for times in drawn.values())
    verdict = "meets" if worst < TARGET_S else "MISSES"
    print(
        f"\nslowest median time to a fully drawn view: {worst:.3f}s — {verdict} the "
        f"{TARGET_S}s target"
    )


if __name__ == "__main__":
    main()
