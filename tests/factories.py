"""Valid sample features for any declared feature type (plain functions)."""

from __future__ import annotations

from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from twin.declare import FeatureType

# A spot in Bắc Giang city, lon/lat.
ORIGIN = (106.19, 21.27)
_SAMPLE = {"text": "x", "integer": 1, "float": 1.0, "date": "2020-01-01", "boolean": True}


def sample_properties(ft: FeatureType, **overrides) -> dict:
    """Values satisfying every declared rule: allowed values, ranges, required."""
    props = {}
    for a in ft.attributes:
        if a.choices:
            props[a.name] = a.choices[0].value
        elif a.type in ("integer", "float"):
            low = a.minimum if a.minimum is not None else 1
            value = max(low, 1) if a.maximum is None else min(max(low, 1), a.maximum)
            props[a.name] = int(value) if a.type == "integer" else float(value)
        else:
            props[a.name] = _SAMPLE[a.type]
    props.update(overrides)
    return props


def sample_geometry(ft: FeatureType, dx: float = 0.0, dy: float = 0.0):
    x, y = ORIGIN[0] + dx, ORIGIN[1] + dy
    if ft.geometry == "Point":
        return Point(x, y)
    if ft.geometry == "LineString":
        return LineString([(x, y), (x + 0.001, y + 0.0005)])
    square = Polygon([(x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001)])
    return MultiPolygon([square]) if ft.geometry == "MultiPolygon" else square


def committed_asset(engine, table: str, *, user: str = "editor") -> str:
    """The code of a new sample asset of ``table``, committed (for tests over HTTP)."""
    from layers import feature_type
    from twin.db.engine import session_scope
    from twin.edits import create_feature

    ft = feature_type(table)
    with session_scope(engine) as session:
        return create_feature(session, table, sample_properties(ft), sample_geometry(ft),
                              user=user).feature["id"]
