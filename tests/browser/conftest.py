"""The map in a real browser: Debian's chromium, headless, driven by Playwright.

One app serves the small demo from a database of its own for the whole
browser session; each test gets a fresh browser context (cookies,
storage) whose requests may only reach that app — anything else is
blocked and recorded, which is how the tests prove the page needs no
network.  A Content-Security-Policy violation on any page fails the test
that caused it.  A failing test leaves a screenshot in ``test-output/``.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, pool

from tests.browser.csp import PolicyWatch
from tests.databases import scratch_database
from tests.twin.network.demo_db import acquire, release
from tests.webmap.map.apptest import (
    add_users,
    make_app,
    served,
)
from twin.plugins import load_optional

VIEWPORT = {"width": 1400, "height": 900}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-home")


@pytest.fixture(scope="session")
def demo_db_url(db_url, demo_home):
    """The small demo in a database of its own (the tests edit it)."""
    demo = load_optional("twin.demo.load")
    if demo is None:
        pytest.skip(
            "twin.demo is not part of this build yet: the browser tests need the small demo city"
        )
    with scratch_database(db_url, "twin_browser") as url:
        demo.load(
            url, scale="small", seed=1, home=demo_home, echo=lambda *a, **k: None, progress=False
        )
        engine = create_engine(url, poolclass=pool.NullPool)
        add_users(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def network_demo(db_url, tmp_path_factory):
    """The shared small demo city of the outage tests, with their users (crew, editor ...)."""
    yield acquire(db_url, tmp_path_factory)
    release(db_url)


@pytest.fixture(scope="session")
def base_url(demo_db_url, demo_home):
    app = make_app(demo_db_url, demo_home)
    with served(app) as url:
        yield url


class Contexts:
    """Browser contexts of one test, each confined to the app under test."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.external: list[str] = []
        self.page_errors: list[str] = []
        self.policy = PolicyWatch()
        self.pages = []
        self._contexts = []

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(("data:", "blob:")):
            return route.continue_()
        self.external.append(url)
        return route.abort()

    def new_page(self, locale: str = "vi-VN"):
        context = self.browser.new_context(viewport=VIEWPORT, locale=locale, base_url=self.base_url)
        context.route(re.compile(".*"), self._route)
        self.policy.watch(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self._contexts.append(context)
        self.pages.append(page)
        return page

    def close(self):
        for context in self._contexts:
            context.close()


@pytest.fixture
def contexts(browser, base_url, request):
    made = Contexts(browser, base_url)
    yield made
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        folder = request.config.rootpath / "test-output"
        folder.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for i, page in enumerate(made.pages):
            page.screenshot(path=str(folder / f"{name}-{i}.png"), full_page=True)
    made.close()
    assert not made.page_errors, f"script errors on the page: {made.page_errors}"
    assert not made.policy.violations, (
        f"Content-Security-Policy violations: {made.policy.violations}"
    )


@pytest.fixture
def page(contexts):
    return contexts.new_page()
