"""Search on the real database: accent-insensitive, ranked, only the tables it is given."""

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import text

from layers import feature_type, feature_types
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.search import fold, search

pytestmark = pytest.mark.db
ROAD, METER = feature_type("base_road"), feature_type("water_service_connection")
ALL = [ft.table for ft in feature_types()]


def _road(session, name: str, x: float):
    line = LineString([(x, 21.7), (x + 0.001, 21.7)])
    create_feature(session, ROAD.table, sample_properties(ROAD, name=name), line, user="t")


def test_hoang_van_thu_finds_the_road_with_its_accents_best_match_first(session):
    _road(session, "Đường Hoàng Văn Thái", 105.1)
    _road(session, "Đường Hoàng Văn Thụ", 105.2)
    _road(session, "Đường Lê Lợi", 105.3)
    labels = [r["label"] for r in search(session, "hoang van thu", readable_tables=ALL)]
    assert labels[0] == "Đường Hoàng Văn Thụ"
    assert "Đường Lê Lợi" not in labels
    typed = [r["label"] for r in search(session, "HOÀNG văn thụ", readable_tables=ALL)]
    assert typed[0] == "Đường Hoàng Văn Thụ"


def test_what_the_reader_may_not_see_is_not_searched(session):
    props = sample_properties(METER, address="12 Ngô Quyền")
    code = create_feature(session, METER.table, props, Point(105.4, 21.7), user="t").feature["id"]
    everything = search(session, "ngo quyen", readable_tables=ALL)
    assert [r["code"] for r in everything if r["kind"] == "address"] == [code]
    others = [t for t in ALL if feature_type(t).layer != METER.layer]
    assert search(session, "ngo quyen", readable_tables=others) == []
    assert search(session, code, readable_tables=others) == []


def test_like_wildcards_in_the_query_are_plain_characters(session):
    _road(session, "Đường Hoàng Văn Thụ", 105.2)
    assert search(session, "%_%", readable_tables=ALL) == []


def test_the_database_folds_like_python(session):
    letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    letters += letters.upper()
    folded = session.execute(text("SELECT twin_fold(:s)"), {"s": letters}).scalar_one()
    assert folded == fold(letters)


@pytest.mark.parametrize(
    "where",
    [
        "twin_fold(name) LIKE '%hoang van thu%' OR 'hoang van thu' <% twin_fold(name)",
        # what the API's CQL2 CASEI(ACCENTI(name)) LIKE CASEI(ACCENTI('%…%')) compiles to
        "lower(twin_unaccent(name)) LIKE lower(twin_unaccent('%Hoàng Văn Thụ%'))",
    ],
)
def test_names_are_matched_through_the_trigram_indexes(session, where):
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = session.execute(text(f"EXPLAIN SELECT name FROM base.base_road WHERE {where}")).scalars()
    assert "ix_search_base_road_name" in "\n".join(plan)
