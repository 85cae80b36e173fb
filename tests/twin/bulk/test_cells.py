"""COPY text cells: hex EWKB of points written directly, rows glued from columns."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from twin.bulk.cells import as_shapes, copy_escaped, ewkb_hex, lines, text_column


def test_point_ewkb_is_that_of_geos():
    rng = np.random.default_rng(1)
    points = shapely.points(rng.uniform(-180, 180, (100, 2)))
    expected = shapely.to_wkb(
        shapely.set_srid(points, 4326), hex=True, include_srid=True, byte_order=1
    )
    assert [h.upper() for h in ewkb_hex(points)] == expected.tolist()


def test_other_geometries_and_3d_take_the_geos_writer():
    shapes = np.array([LineString([(0, 0), (1, 1)]), Point(1, 2, 3)], dtype=object)
    read = shapely.from_wkb(ewkb_hex(shapes))
    assert shapely.equals(read, shapes).all() and shapely.get_srid(read).tolist() == [4326, 4326]


def test_shapes_from_every_form():
    p = Point(1, 2)
    forms = [p, p.wkb, p.wkb_hex, p.wkt, f"SRID=4326;{p.wkt}", shapely.box(0, 0, 1, 1)]
    shapes = as_shapes(forms, multi=True)
    assert shapely.equals(shapes[:5], p).all()
    assert shapes[5].geom_type == "MultiPolygon"


def test_lines_and_escapes():
    assert lines([["1", "2"], "\t", ["a", "b"], "\n"]) == ["1\ta\n", "2\tb\n"]
    assert copy_escaped(["plain", "x"]) == ["plain", "x"]
    assert copy_escaped(["tab\there", "back\\slash"]) == ["tab\\there", "back\\\\slash"]
    assert text_column([1, 2.5, float("nan")]) == ["1", "2.5", "\\N"]
    assert text_column(["a\nb", None, True]) == ["a\\nb", "\\N", "t"]
