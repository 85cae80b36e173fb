"""Numbers, quantities and times for people follow the reader's language (webmap.formatting)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask, render_template_string

from webmap import formatting, i18n


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "formatting-test"
    app.config["TWIN_SETTINGS"] = type("S", (), {"home": tmp_path_factory.mktemp("home")})()
    i18n.init_app(app)
    formatting.init_app(app)
    return app


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ["37.322,1", "92", "4 m", "12,35 km", "4.139 m²", "2,5 ha", "3.892,42 km²",
            "1.250.000 ₫", "87,5 %", "07/12/2026 09:07", "07/12/2026"]),
    ("en", ["37,322.1", "92", "4 m", "12.35 km", "4,139 m²", "2.5 ha", "3,892.42 km²",
            "1,250,000 ₫", "87.5 %", "07/12/2026 09:07", "07/12/2026"]),
])
def test_values_are_written_the_readers_way_in_vietnam_time(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        shown = [
            formatting.number(37322.08), formatting.count(92.0), formatting.length(4.0),
            formatting.length(12345.6), formatting.area(4139.2), formatting.area(25000),
            formatting.area(3892420645.4), formatting.money(1250000.4),
            formatting.percent(87.5), formatting.local_time(datetime(2026, 12, 7, 2, 7, tzinfo=UTC)),
            formatting.local_time(date(2026, 12, 7)),
        ]
    assert shown == expected


def test_naive_times_are_utc_and_the_filters_reach_templates(app):
    with app.test_request_context("/?lang=vi"):
        html = render_template_string(
            "{{ t|local_time }} · {{ a|as_area }} · {{ n|as_count }} · {{ [1, 2]|length }}",
            t=datetime(2026, 12, 6, 20, 30), a=4139, n=1881.0)
    assert html == "07/12/2026 03:30 · 4.139 m² · 1.881 · 2"
