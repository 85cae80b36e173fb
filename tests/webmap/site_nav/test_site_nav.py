"""The shared header links the pages each user may open, on every page."""

from __future__ import annotations

import re

import pytest

from tests.webmap.api.apptest import login

pytestmark = pytest.mark.db

NAV = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')

ALL = ["/map/", "/outage/", "/ops/", "/zoning/", "/fiber/", "/maintenance/"]


def links(html: str) -> list[tuple[str, bool, str]]:
    (nav,) = NAV.findall(html)
    return [(href, bool(current), label.strip()) for href, current, label in LINK.findall(nav)]


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("viewer", ["/map/", "/ops/", "/fiber/", "/maintenance/"]),
        ("crew", ["/map/", "/outage/", "/ops/", "/fiber/", "/maintenance/"]),
        ("planner", ALL),
        ("admin", ALL),
    ],
)
def test_a_user_is_offered_the_pages_of_their_role(client, tokens, role, pages):
    login(client, role)
    shown = links(client.get("/map/?lang=vi").get_data(as_text=True))
    assert [href for href, _current, _label in shown] == pages
    assert [href for href, current, _label in shown if current] == ["/map/"]


def test_an_anonymous_reader_is_offered_the_map_alone(client):
    assert [href for href, *_ in links(client.get("/map/").get_data(as_text=True))] == ["/map/"]


@pytest.mark.parametrize("path", ["/outage/", "/ops/", "/zoning/", "/fiber/", "/maintenance/"])
def test_every_page_has_the_header_in_the_readers_language(client, tokens, path):
    login(client, "admin")
    shown = links(client.get(f"{path}?lang=vi").get_data(as_text=True))
    labels = [label for *_, label in shown]
    assert labels == ["Bản đồ", "Sự cố", "Trung tâm điều hành", "Quy hoạch", "Cáp quang",
                      "Bảo trì"]
    assert [href for href, current, _ in shown if current] == [path]
