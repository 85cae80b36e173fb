"""Screenshots of the operations pages for the documentation (headless Chromium).

    python -m webmap.ops.screenshots --url http://127.0.0.1:8000 --user NAME \\
        --password-stdin --out docs/

Uses Playwright's Python API with the system's Chromium (Debian package
``chromium``), so no browser is downloaded.  Logs in through the form, then
takes the KPI dashboard, the decision page, the incident list, the first
open incident and the crew map.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["take_screenshots"]

CHROMIUM = "/usr/bin/chromium"
PAGES = (
    ("ops-dashboard.png", "/ops/", "#kpi-table"),
    ("ops-decisions.png", "/ops/decisions", "#renewals"),
    ("ops-incidents.png", "/ops/incidents?status=all", "#incidents"),
    ("ops-map.png", "/ops/map", "#map"),
)


def take_screenshots(url: str, user: str, password: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/login?next=/ops/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", password)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url("**/ops/**")
        for name, path, ready in PAGES:
            page.goto(url + path)
            page.wait_for_selector(ready)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(800)  # charts and markers drawn
            page.screenshot(path=str(out / name), full_page=name != "ops-map.png")
            taken.append(out / name)
        page.goto(url + "/ops/incidents")
        # A network event shows the most: its outage report or burst area.
        first = page.locator(
            "#incidents tr:has-text('Breaker') a, #incidents tr:has-text('burst') a"
        )
        first = first.first if first.count() else page.locator("#incidents a").first
        if first.count():
            first.click()
            page.wait_for_selector("#timeline")
            page.screenshot(path=str(out / "ops-incident.png"), full_page=True)
            taken.append(out / "ops-incident.png")
        browser.close()
    return taken


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Screenshots of the operations pages.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-stdin", action="store_true")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else ""
    for path in take_screenshots(args.url.rstrip("/"), args.user, password, args.out):
        print(path)


if __name__ == "__main__":
    main()
