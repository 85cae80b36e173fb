"""Languages: catalogues compiled from .po, every interface string translated, labels."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from flask import Flask
from flask_babel import gettext

from layers import feature_type
from tests.webmap.catalogue import catalogue
from twin.config import Settings
from webmap import i18n
from webmap.map.catalog import legend, status_label

OWN_CODE = ("webmap/map", "webmap/i18n.py")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _extracted_messages() -> set[str]:
    root = i18n.TRANSLATIONS.parent.parent
    found = set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(root / "webmap"), METHODS
    ):
        if (f"webmap/{filename}").startswith(OWN_CODE) and isinstance(message, str):
            found.add(message)
    return found


def test_every_string_of_the_map_is_in_both_catalogues_and_translated_to_vietnamese():
    used = _extracted_messages()
    assert "Infrastructure digital twin" in used and "Save" in used
    vi, en = catalogue("vi"), catalogue("en")
    missing = sorted(m for m in used if not (vi.get(m) and vi.get(m).string))
    assert not missing, f"add these to the .po files (pybabel update): {missing}"
    assert not sorted(m for m in used if en.get(m) is None)
    placeholders = [m for m in used if "{" in m]
    for message in placeholders:
        names = {p.split("}")[0] for p in message.split("{")[1:]}
        assert names == {p.split("}")[0] for p in vi.get(message).string.split("{")[1:]}


def test_catalogues_are_compiled_once_per_content(tmp_path):
    first = i18n.compile_catalogues(i18n.TRANSLATIONS, tmp_path)
    assert (first / "vi" / "LC_MESSAGES" / "messages.mo").stat().st_size > 1000
    assert i18n.compile_catalogues(i18n.TRANSLATIONS, tmp_path) == first
    changed = tmp_path / "src" / "vi" / "LC_MESSAGES"
    changed.mkdir(parents=True)
    (changed / "messages.po").write_bytes(
        (i18n.TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").read_bytes() + b"\n"
    )
    assert i18n.compile_catalogues(tmp_path / "src", tmp_path) != first


@pytest.fixture
def app(tmp_path):
    app = Flask(__name__)
    app.config.update(TWIN_SETTINGS=Settings(home=tmp_path), SECRET_KEY="x")
    i18n.init_app(app)
    return app


@pytest.mark.parametrize(
    ("query", "expected"), [("", "vi"), ("?lang=en", "en"), ("?lang=vi", "vi"), ("?lang=fr", "vi")]
)
def test_vietnamese_is_the_default_and_english_is_chosen_by_lang(app, query, expected):
    with app.test_request_context("/" + query):
        assert i18n.current_language() == expected


def test_labels_values_numbers_and_dates_follow_the_language(app):
    pipe = feature_type("water_pipe")
    with app.test_request_context("/?lang=vi"):
        assert i18n.label(pipe) == "Ống cấp nước"
        assert gettext("Save") == "Lưu"
        assert i18n.format_value(1234.5) == "1.234,5"
        assert i18n.format_value(2019, grouping=False) == "2019"
        assert i18n.format_value(True) == "có"
        assert i18n.format_value("2024-03-05", "date") == str(date(2024, 3, 5).day) + " thg 3, 2024"
        assert status_label("out_of_service") == "Ngừng vận hành"
    with app.test_request_context("/?lang=en"):
        assert i18n.label(pipe) == "Water pipe"
        assert gettext("Save") == "Save"
        assert i18n.format_value(1234.5) == "1,234.5"
        assert i18n.format_value("2024-03-05", "date") == "Mar 5, 2024"
        assert status_label("out_of_service") == "Out of service"
        assert i18n.format_value(None) == ""


def test_legend_lists_the_classes_of_the_declared_style(app):
    with app.test_request_context("/?lang=en"):
        pipes = legend(feature_type("water_pipe"))
        lights = legend(feature_type("lighting_light"))
        hydrants = legend(feature_type("water_hydrant"))
    assert [e["label"] for e in pipes] == ["≤ 100 mm", "100–200 mm", "200–400 mm", "400–5000 mm"]
    assert [e["width"] for e in pipes] == [1.5, 2.5, 3.5, 5]
    assert {e["label"]: e["color"] for e in lights}["Out of service"] == "#636363"
    assert hydrants == [{"label": "Hydrant", "color": "#ff7f00", "width": 2.0}]


def test_an_unwritable_home_falls_back_to_the_temporary_folder(tmp_path):
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("a file where the home folder should be")
    app = Flask(__name__)
    app.config.update(TWIN_SETTINGS=Settings(home=not_a_folder), SECRET_KEY="x")
    i18n.init_app(app)
    with app.test_request_context("/?lang=vi"):
        assert gettext("Save") == "Lưu"
