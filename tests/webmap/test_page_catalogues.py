"""Every interface string of the operations, fiber, zoning and outage pages is translated."""

from __future__ import annotations

import pytest

from tests.webmap.catalogue import messages_of, untranslated

PAGES = {
    "fiber": ("webmap/fiber",),
    "zoning": ("webmap/zoning",),
    "ops": ("webmap/ops", "twin/live/kpi.py", "twin/live/quality.py"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_string_of_the_page_is_in_both_catalogues_and_translated_to_vietnamese(page):
    used = messages_of(*PAGES[page])
    assert len(used) > 5
    missing = untranslated(used, "vi")
    assert not missing, f"add these to the .po files (pybabel update), then translate: {missing}"
    assert not untranslated(used, "en")
