"""MapLibre styles derived from the layer declarations (no database, no HTTP)."""

from __future__ import annotations

from layers import LAYERS, feature_type, layer
from twin.api.tile_style import TileSource, style_document, style_layers

_GEOMETRY_ORDER = {"MultiPolygon": 0, "Polygon": 0, "LineString": 1, "Point": 2}


def _style_of(*tables: str) -> dict:
    fts = tuple(feature_type(t) for t in tables)
    return style_document("t", [TileSource("twin", "http://h/{z}/{x}/{y}.mvt", fts)])


def _by_id(style: dict) -> dict:
    return {sl["id"]: sl for sl in style["layers"]}


def _evaluate_case(expression: list, props: dict):
    """The value of a ``case`` expression of comparisons on ``props`` (enough for widths)."""

    def value(term):
        if isinstance(term, list) and term[0] == "get":
            return props.get(term[1])
        if isinstance(term, list) and term[0] == "to-number":
            return float(value(term[1]))
        return term

    def test(condition):
        op, left, right = condition
        if op == "==":
            return value(left) == value(right)
        return value(left) <= value(right)

    pairs, fallback = expression[1:-1], expression[-1]
    for condition, result in zip(pairs[::2], pairs[1::2], strict=True):
        if test(condition):
            return result
    return fallback


def test_pipe_width_follows_the_declared_diameter_classes_with_bounds_included():
    style = feature_type("water_pipe").style
    width = _by_id(_style_of("water_pipe"))["water_pipe"]["paint"]["line-width"]
    for bound, expected in zip(style.breaks, style.widths, strict=True):
        assert _evaluate_case(width, {"diameter_mm": bound}) == expected
        assert _evaluate_case(width, {"diameter_mm": bound - 1}) <= expected
    assert _evaluate_case(width, {"diameter_mm": 10**6}) == style.widths[-1]
    assert _evaluate_case(width, {}) == style.weight


def test_colour_by_value_is_a_match_on_the_declared_colours():
    valve = feature_type("water_valve").style
    colour = _by_id(_style_of("water_valve"))["water_valve"]["paint"]["circle-color"]
    assert colour[:2] == ["match", ["to-string", ["get", valve.by]]]
    assert dict(zip(colour[2:-1:2], colour[3:-1:2], strict=True)) == valve.colors
    assert colour[-1] == valve.color


def test_pale_lines_get_a_casing_and_planned_lines_are_dashed():
    ids = _by_id(_style_of("base_road", "water_pipe"))
    assert "base_road-casing" in ids and "water_pipe-casing" not in ids
    planned = ids["water_pipe-planned"]
    assert planned["filter"] == ["==", ["get", "status"], "planned"]
    assert planned["paint"]["line-dasharray"] == [3, 2]
    opacity = ids["water_pipe"]["paint"]["line-opacity"]
    assert opacity[1] == ["==", ["get", "status"], "abandoned"] and opacity[2] < opacity[3]


def test_layers_are_drawn_areas_lines_points_then_labels_each_from_its_zoom():
    fts = tuple(ft for lyr in LAYERS for ft in lyr.feature_types)
    drawn = style_layers([TileSource("twin", "u", fts)])
    ranks = [
        3 if sl["type"] == "symbol" else _GEOMETRY_ORDER[feature_type(sl["source-layer"]).geometry]
        for sl in drawn
    ]
    assert ranks == sorted(ranks)  # an area's outline is drawn with the area
    for sl in drawn:
        assert sl["minzoom"] == max(0, feature_type(sl["source-layer"]).min_zoom - 1)
    labelled = {sl["source-layer"] for sl in drawn if sl["type"] == "symbol"}
    assert labelled == {"base_road", "base_river", "base_village", "base_facility"}
    assert all(not layer(feature_type(t).layer).asset for t in labelled)


def test_the_document_names_no_glyph_server_so_labels_need_no_network():
    style = _style_of("base_road")
    assert "glyphs" not in style and style["version"] == 8
    assert style["sources"]["twin"]["minzoom"] == feature_type("base_road").min_zoom - 1
