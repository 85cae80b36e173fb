"""Validation of features against their layer declaration (pure, no database).

Every write path (the edit service, the importer, the API) runs features
through :func:`validate_feature`, so the rules and their messages are the
same everywhere.  Each failed rule becomes a :class:`~twin.errors.Problem`
naming the feature, the field and the rule.
"""

from __future__ import annotations

from datetime import date

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from .crs import VIETNAM_BOUNDS
from .declare import ASSET_STATUSES, Attribute, FeatureType, code_problem, normal_code
from .errors import Problem
from .locale_numbers import AmbiguousNumber, read_number

__all__ = ["CORE_FIELDS", "coerce_value", "validate_answers", "validate_attributes",
           "validate_feature", "validate_geometry"]

#: Core asset fields a user may set (id, version and audit stamps are the twin's).
CORE_FIELDS = {
    "code": "text", "status": "text", "commissioned_on": "date",
    "decommissioned_on": "date", "owner": "text", "operator": "text", "commune": "text",
}
_TRUE = {"true", "1", "yes", "y", "t", "có", "co"}
_FALSE = {"false", "0", "no", "n", "f", "không", "khong"}


def coerce_value(kind: str, value):
    """Convert ``value`` to the Python type of attribute type ``kind``.

    Raises ``ValueError`` with a readable message when it cannot.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if kind == "text":
        return str(value)
    if kind == "integer":
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {value!r}")
        number = _number(value)
        if not number.is_integer():
            raise ValueError(f"expected a whole number, got {value!r}")
        return int(number)
    if kind == "float":
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        return _number(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        # A 0/1 column with empty cells arrives as floats.
        whole = isinstance(value, float) and value.is_integer()
        text = str(int(value) if whole else value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"expected true/false, got {value!r}")
    if kind == "date":
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    raise ValueError(f"unknown attribute type {kind!r}")


def _number(value) -> float:
    """A number, or text read by :func:`~twin.locale_numbers.read_number`.

    Text with a decimal comma (``1,5``) means 1.5; text that could be grouping
    or a decimal (``1,500``) is refused, never read as 1500 or 1.5.
    """
    if isinstance(value, str):
        return float(read_number(value))
    return float(value)


def _check_attribute(a: Attribute, value, feature: str | None) -> tuple[object, list[Problem]]:
    try:
        value = coerce_value(a.type, value)
    except AmbiguousNumber as exc:
        return None, [Problem(a.name, "ambiguous_number", str(exc), feature)]
    except (TypeError, ValueError) as exc:
        return None, [Problem(a.name, "type", f"{exc} (type {a.type})", feature)]
    if value is None:
        if a.required:
            return None, [Problem(a.name, "required", "a value is required", feature)]
        return None, []
    problems = []
    if a.choices and value not in a.allowed:
        problems.append(Problem(a.name, "allowed_values",
                                f"{value!r} is not one of {', '.join(a.allowed)}", feature))
    if a.minimum is not None and value < a.minimum:
        problems.append(Problem(a.name, "minimum", f"{value} is below {a.minimum:g}"
                                + (f" {a.unit}" if a.unit else ""), feature))
    if a.maximum is not None and value > a.maximum:
        problems.append(Problem(a.name, "maximum", f"{value} is above {a.maximum:g}"
                                + (f" {a.unit}" if a.unit else ""), feature))
    return value, problems


def validate_attributes(ft: FeatureType, properties: dict, *, feature: str | None = None,
                        partial: bool = False) -> tuple[dict, list[Problem]]:
    """Check and convert attribute values; return ``(clean values, problems)``.

    With ``partial`` (a merge patch), absent attributes are not required.
    Unknown names are problems, so a typo never silently drops data.
    """
    clean, problems = {}, []
    declared = {a.name: a for a in ft.attributes}
    for name, value in properties.items():
        if name in declared:
            continue
        if name in CORE_FIELDS:
            try:
                clean[name] = coerce_value(CORE_FIELDS[name], value)
            except (TypeError, ValueError) as exc:
                problems.append(Problem(name, "type", str(exc), feature))
        elif name == "extra":
            if value is not None and not isinstance(value, dict):
                problems.append(Problem(name, "type", "extra must be an object", feature))
            else:
                clean[name] = value or {}
        else:
            problems.append(Problem(name, "unknown_attribute",
                                    f"{ft.table} has no attribute {name!r}", feature))
    if clean.get("code") is not None:
        clean["code"] = normal_code(clean["code"])
        broken = code_problem(clean["code"])
        if broken:
            problems.append(Problem("code", "code_pattern", broken, feature))
    status = clean.get("status")
    if status is not None and status not in ASSET_STATUSES:
        problems.append(Problem("status", "allowed_values",
                                f"{status!r} is not one of {', '.join(ASSET_STATUSES)}", feature))
    for a in ft.attributes:
        if partial and a.name not in properties:
            continue
        value, found = _check_attribute(a, properties.get(a.name), feature)
        problems.extend(found)
        clean[a.name] = value
    return clean, problems


def validate_answers(checks, answers: dict, *, feature: str | None = None
                     ) -> tuple[dict, list[Problem]]:
    """Check and convert the answers of an inspection against its declared ``checks``.

    The same rules as an asset's attributes; an unknown check is a problem.
    """
    declared = {a.name for a in checks}
    problems = [Problem(name, "unknown_check", f"the form has no check {name!r}", feature)
                for name in answers if name not in declared]
    clean = {}
    for a in checks:
        clean[a.name], found = _check_attribute(a, answers.get(a.name), feature)
        problems.extend(found)
    return clean, problems


def validate_geometry(ft: FeatureType, geom: BaseGeometry | None, *,
                      feature: str | None = None, check_bounds: bool = True
                      ) -> tuple[BaseGeometry | None, list[Problem]]:
    """Check a geometry (storage CRS, lon/lat) against the declared type.

    A Polygon is promoted to a one-part MultiPolygon where the type asks for
    it; coordinates outside Vietnam usually mean a wrong coordinate system.
    """
    if geom is None or geom.is_empty:
        return None, [Problem("geometry", "required", "a geometry is required", feature)]
    if ft.geometry == "MultiPolygon" and isinstance(geom, Polygon):
        geom = MultiPolygon([geom])
    if geom.geom_type != ft.geometry:
        return None, [Problem("geometry", "geometry_type",
                              f"{ft.table} needs a {ft.geometry}, got a {geom.geom_type}",
                              feature)]
    problems = []
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
    if not geom.is_valid:
        problems.append(Problem("geometry", "valid_geometry",
                                f"invalid {geom.geom_type}: {shapely.is_valid_reason(geom)}",
                                feature))
    if check_bounds:
        minx, miny, maxx, maxy = geom.bounds
        w, s, e, n = VIETNAM_BOUNDS
        if minx < w or maxx > e or miny < s or maxy > n:
            problems.append(Problem(
                "geometry", "inside_vietnam",
                f"coordinates ({minx:.4f}, {miny:.4f}) lie outside Vietnam: "
                "wrong coordinate system (try --crs vn2000:<province>)?", feature))
    return geom, problems


def validate_feature(ft: FeatureType, properties: dict, geom: BaseGeometry | None, *,
                     feature: str | None = None, partial: bool = False):
    """Validate attributes and geometry together; returns ``(values, geom, problems)``."""
    values, problems = validate_attributes(ft, properties, feature=feature, partial=partial)
    if geom is None and partial:
        return values, None, problems
    geom, geom_problems = validate_geometry(ft, geom, feature=feature)
    return values, geom, problems + geom_problems
