"""Every page of the small demo, read in Vietnamese, shows no English words.

Each page is rendered as the admin (so every button is there) and its
visible text (not scripts, styles or addresses) is searched for the English
of every catalogue message whose Vietnamese differs, and for English words a
Vietnamese reader met on these pages before they were translated.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import create_engine, pool, text

from tests.twin.network.demo_db import acquire, release
from tests.webmap.catalogue import catalogue
from tests.webmap.map.apptest import PASSWORD, login, make_app
from twin.auth import users
from twin.db.engine import session_scope
from twin.errors import NotFound

pytestmark = pytest.mark.db

#: English words shown on Vietnamese pages before (types, devices, states, progress).
KNOWN_ENGLISH = (
    "water", "power", "telecom", "lighting", "drainage", "hospital", "clinic", "school",
    "valve", "recloser", "breaker", "switch", "fuse", "transformer", "pipe", "cable",
    "unknown", "done", "reading the twin", "queued", "failed", "running", "no asset",
    "forbidden", "login", "password", "invalid", "error", "metres", "each", "km of",
)
#: Attributes read as text (titles are left out: the KPIs' carry formulas with field names).
_ATTRIBUTES = ("placeholder", "aria-label", "alt")
#: Elements whose text is no prose: scripts, and formulas, commands and JSON shown as code.
_NOT_PROSE = ("script", "style", "template", "code", "pre")
#: Commands quoted in prose ('twin fiber plan') and addresses (/fiber/) are names, not words.
_COMMAND = re.compile(r"'twin [^']+'|(?<![\w])/[\w/.-]+/")


class _Visible(HTMLParser):
    """The text a reader sees: text nodes and a few attributes, not scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in _NOT_PROSE:
            self._hidden += 1
        self.parts += [v for k, v in attrs if k in _ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in _NOT_PROSE:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return _COMMAND.sub("", "\n".join(parser.parts))


def _english_of_catalogue() -> list[str]:
    """Catalogue messages whose Vietnamese differs, as the English words a page could leak."""
    words = []
    for entry in catalogue("vi"):
        english = entry.id if isinstance(entry.id, str) else entry.id[0]
        vietnamese = entry.string if isinstance(entry.string, str) else (entry.string or [""])[0]
        plain = re.sub(r"%\(\w+\)[sd]|%[sd]|%%", " ", english).strip()
        if english and vietnamese and vietnamese != english and re.search(r"[a-z]{4}", plain):
            words.extend(p.strip() for p in re.split(r"\s{2,}", plain) if len(p.strip()) > 3)
    return sorted(set(words), key=len, reverse=True)


def english_in(text_shown: str, words) -> list[str]:
    """Each of ``words`` found in ``text_shown``, with what surrounds it."""
    found = []
    for word in words:
        hit = re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-]|\.\w)", text_shown, re.IGNORECASE)
        if hit:
            found.append(f"{word}: …{text_shown[max(0, hit.start() - 30):hit.end() + 30]}…")
    return found


@pytest.fixture(scope="module")
def demo(db_url, tmp_path_factory):
    demo = acquire(db_url, tmp_path_factory)
    engine = create_engine(demo.url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        try:
            users.get_user(session, "adam")
        except NotFound:
            users.add_user(session, "adam", "admin", PASSWORD)
    with engine.connect() as conn:
        demo.pipe = conn.execute(text(
            "SELECT code FROM assets.water_pipe ORDER BY code LIMIT 1")).scalar()
    engine.dispose()
    yield demo
    release(db_url)


@pytest.fixture(scope="module")
def admin(demo):
    client = make_app(demo.url, demo.home).test_client()
    login(client, "adam")
    return client


def _pages(demo) -> list[str]:
    return [
        "/map/", f"/map/panel/water_pipe/{demo.pipe}", "/outage/",
        f"/outage/workorder?code={demo.pipe}", "/ops/", "/ops/decisions", "/ops/incidents",
        "/ops/map", "/zoning/", "/fiber/", f"/inspections/water_pipe/{demo.pipe}",
        "/inspections/", "/maintenance/",
        "/collections/inspection_water_pipe_pipe_condition?f=html",
        "/collections/inspection_water_pipe_pipe_condition/items?f=html",
        "/collections/work_orders/items?f=html",
    ]


def test_every_page_is_in_vietnamese_without_english_words(demo, admin):
    words = _english_of_catalogue() + list(KNOWN_ENGLISH)
    found = {}
    for url in _pages(demo):
        response = admin.get(url + ("&" if "?" in url else "?") + "lang=vi")
        assert response.status_code == 200, url
        leaked = english_in(visible_text(response.get_data(as_text=True)), words)
        if leaked:
            found[url] = leaked
    assert not found, found


def test_a_refusal_a_browser_opens_is_a_page_in_the_readers_language(demo):
    client = make_app(demo.url, demo.home).test_client()
    login(client, "vera")  # a viewer may not print work orders
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = client.get(f"/outage/workorder?code={demo.pipe}&lang=vi", headers=html)
    assert page.status_code == 403 and page.mimetype == "text/html"
    shown = visible_text(page.get_data(as_text=True))
    assert "Không được phép" in shown
    assert not english_in(shown, _english_of_catalogue() + list(KNOWN_ENGLISH))
    english = client.get(f"/outage/workorder?code={demo.pipe}&lang=en", headers=html)
    assert "Not allowed" in english.get_data(as_text=True)
    api = client.get(f"/outage/workorder?code={demo.pipe}", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.mimetype == "application/problem+json"


def test_the_login_page_and_its_error_are_in_vietnamese(demo):
    client = make_app(demo.url, demo.home).test_client()
    csrf = client.get("/me").get_json()["csrf_token"]
    refused = client.post("/login?lang=vi", data={"username": "vera", "password": "wrong one!",
                                                 "csrf_token": csrf})
    assert refused.status_code == 401
    shown = visible_text(refused.get_data(as_text=True))
    assert "Sai tên đăng nhập hoặc mật khẩu" in shown and "Mật khẩu" in shown
    assert not english_in(shown, _english_of_catalogue() + list(KNOWN_ENGLISH))
