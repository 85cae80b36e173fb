"""Every interface string of the operations, fiber, zoning, jobs and outage pages is translated."""

from __future__ import annotations

import re

import pytest

from tests.webmap.catalogue import catalogue, messages_of, untranslated

PAGES = {
    "site header": (
        "webmap/site_nav.py",
        "webmap/templates",
        "webmap/outage/templates/outage/partial.html",
        "webmap/map/templates/map/index.html",
    ),
    "common": ("webmap/errors.py", "webmap/templates", "webmap/auth"),
    "fiber": ("webmap/fiber", "twin/fiber/plan.py", "twin/fiber/service.py"),
    "jobs": ("webmap/jobs",),
    "inspections": ("webmap/inspections",),
    "maintenance": ("webmap/maintenance",),
    "zoning": (
        "webmap/zoning",
        "twin/zoning/checks_assets.py",
        "twin/zoning/checks_hierarchy.py",
        "twin/zoning/checks_internal.py",
        "twin/zoning/checks_same_level.py",
        "twin/zoning/clearances.py",
        "twin/zoning/run.py",
        "twin/zoning/service.py",
    ),
    "ops": (
        "webmap/ops",
        "twin/live/kpi.py",
        "twin/live/quality.py",
        "twin/live/decisions.py",
        "twin/live/burst.py",
        "twin/live/outage.py",
        "twin/live/checklist.py",
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_string_of_the_page_is_in_both_catalogues_and_translated_to_vietnamese(page):
    used = messages_of(*PAGES[page])
    assert len(used) > 5
    missing = untranslated(used, "vi")
    assert not missing, f"add these to the .po files (pybabel update), then translate: {missing}"
    assert not untranslated(used, "en")


def test_the_page_shown_while_the_database_is_away_is_translated():
    used = messages_of("webmap/templates/unavailable.html")
    assert len(used) >= 3
    assert not untranslated(used, "vi")
    assert not untranslated(used, "en")


@pytest.mark.parametrize(
    ("context", "message", "vi"),
    [
        ("event", "opened", "mở sự cố"),
        ("event", "status changed", "đổi trạng thái"),
        (None, "overlap", "chồng lấn"),
        ("plan level", "general", "chung"),
        ("plan", "draft", "dự thảo"),
        (None, "{count} conflicts", "{count} xung đột"),
        (None, "run {id}", "lượt chạy {id}"),
    ],
)
def test_the_words_drawn_on_the_pages_have_their_vietnamese_and_english_entries(
    context, message, vi
):
    assert catalogue("vi").get(message, context).string == vi
    assert catalogue("en").get(message, context).string == message


def test_translations_fill_the_same_placeholders_as_their_messages():
    named = re.compile(r"%\((\w+)\)[sdr]")
    for message in catalogue("vi"):
        if message.id and isinstance(message.id, str) and message.string:
            assert set(named.findall(message.string)) == set(named.findall(message.id)), message.id
