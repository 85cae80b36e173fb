"""Turning CQL2 trees and ``?name=value`` filters into SQL on a feature source.

``CASEI`` is ``lower()``, ``ACCENTI`` the database's ``twin_unaccent()``;
temporal functions are in :mod:`twin.api.temporal`.

A *source* is the table of a feature type or its state at a past moment
(:func:`twin.api.timetravel.state_at`): both have the same columns, so one
compiler serves the present and the past.  Literals are converted to the
type of the property they meet, so a wrong value is a clear 400 rather than
a database error.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Text, and_, cast, func, literal, not_, or_, true

from twin.config import STORAGE_SRID
from twin.validation import coerce_value

from .crs import STORAGE, ApiCrs, to_storage
from .errors import bad_parameter
from .temporal import temporal_clause

__all__ = ["attribute_filters", "compile_filter", "typed_value"]

_OPS = {"=": "__eq__", "<>": "__ne__", "<": "__lt__", ">": "__gt__", "<=": "__le__", ">=": "__ge__"}
_GEOMETRY_NAMES = ("geometry", "geom")
#: CQL2 CASEI and ACCENTI; ``twin_unaccent`` is the immutable wrapper of
#: ``unaccent`` made by ``migrations/sql/search.sql``.
_TEXT_FUNCTIONS = {"casei": func.lower, "accenti": func.twin_unaccent}


def _target(node):
    """The property or literal inside CASEI/ACCENTI."""
    while node[0] in _TEXT_FUNCTIONS:
        node = node[1]
    return node


def _timestamp(value) -> datetime:
    """A datetime (UTC when no zone is given); a date is its midnight."""
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def typed_value(literal, kind: str, name: str, *, parameter: str = "filter"):
    """``literal`` as a value of the property ``name`` of type ``kind``; a 400 if it is not."""
    if isinstance(literal, float) and not math.isfinite(literal):
        raise bad_parameter(parameter, "finite", f"{name}: {literal} is not a finite number")
    try:
        if kind == "timestamp":
            return _timestamp(literal)
        value = coerce_value("integer" if kind == "bigint" else kind, literal)
    except (TypeError, ValueError) as exc:
        raise bad_parameter(parameter, "type", f"{name}: {exc}") from None
    if value is None:
        raise bad_parameter(parameter, "type", f"{name}: compare with IS NULL, not an empty value")
    return value


class _Compiler:
    def __init__(self, source, types: dict[str, str], filter_crs: ApiCrs):
        self.source = source
        self.types = types
        self.crs = filter_crs

    def column(self, name: str):
        if name not in self.types:
            known = ", ".join(sorted(self.types))
            raise bad_parameter(
                "filter", "queryable", f"unknown property {name!r}; queryables: {known}"
            )
        return self.source.c[name]

    def value(self, literal, kind: str, name: str):
        return typed_value(literal, kind, name)

    def operand(self, node, other):
        """SQL for ``node``; a literal takes the type of the property ``other``."""
        if node[0] == "prop":
            return self.column(node[1])
        if node[0] == "lit":
            if other is None or other[0] != "prop":
                raise bad_parameter(
                    "filter", "property_needed", "each comparison needs a property on one side"
                )
            name = other[1]
            self.column(name)
            return self.value(node[1], self.types[name], name)
        if node[0] in _TEXT_FUNCTIONS:
            raise bad_parameter(
                "filter", "casei", "CASEI and ACCENTI compare text with text on both sides"
            )
        raise bad_parameter(
            "filter", "geometry_position", "a geometry is allowed only in S_* predicates"
        )

    def text_side(self, node):
        """SQL text for a property, a text literal or CASEI/ACCENTI of either."""
        kind = node[0]
        if kind in _TEXT_FUNCTIONS:
            return _TEXT_FUNCTIONS[kind](self.text_side(node[1]))
        if kind == "prop":
            column = self.column(node[1])
            return column if self.types[node[1]] == "text" else cast(column, Text)
        if kind == "lit" and isinstance(node[1], str):
            return literal(node[1], Text)
        raise bad_parameter("filter", "text", "LIKE, CASEI and ACCENTI take text or a property")

    def compile(self, node):
        kind = node[0]
        if kind == "and":
            return and_(*[self.compile(n) for n in node[1]])
        if kind == "or":
            return or_(*[self.compile(n) for n in node[1]])
        if kind == "not":
            return not_(self.compile(node[1]))
        if kind == "cmp":
            return self.comparison(*node[1:])
        if kind == "like":
            _, left, pattern = node
            if _target(left)[0] != "prop" or _target(pattern)[0] != "lit":
                raise bad_parameter("filter", "like", "LIKE needs a property and a text pattern")
            return self.text_side(left).like(self.text_side(pattern))
        if kind == "between":
            _, left, low, high = node
            column = self.operand(left, low)
            return column.between(self.operand(low, left), self.operand(high, left))
        if kind == "in":
            _, left, items = node
            if left[0] in _TEXT_FUNCTIONS:
                return self.text_side(left).in_([self.text_side(i) for i in items])
            column = self.operand(left, items[0])
            return column.in_([self.operand(item, left) for item in items])
        if kind == "isnull":
            if node[1][0] != "prop":
                raise bad_parameter("filter", "property_needed", "IS NULL needs a property")
            return self.column(node[1][1]).is_(None)
        if kind == "spatial":
            return self.spatial(*node[1:])
        if kind == "temporal":
            return temporal_clause(self, *node[1:])
        raise bad_parameter("filter", "cql2_syntax", f"unsupported expression {kind!r}")

    def comparison(self, op: str, left, right):
        if left[0] in _TEXT_FUNCTIONS or right[0] in _TEXT_FUNCTIONS:
            if "prop" not in (_target(left)[0], _target(right)[0]):
                raise bad_parameter(
                    "filter", "property_needed", "each comparison needs a property on one side"
                )
            return getattr(self.text_side(left), _OPS[op])(self.text_side(right))
        if left[0] != "prop" and right[0] == "prop":
            left, right = right, left
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        column = self.operand(left, right)
        return getattr(column, _OPS[op])(self.operand(right, left))

    def spatial(self, function: str, first, second):
        nodes = sorted([first, second], key=lambda n: n[0] != "prop")
        prop, geom = nodes
        if prop[0] != "prop" or prop[1] not in _GEOMETRY_NAMES or geom[0] != "geom":
            raise bad_parameter(
                "filter",
                "spatial",
                "S_* predicates compare the property 'geometry' with a geometry literal",
            )
        shape: BaseGeometry = geom[1]
        if not self.crs.is_storage:
            from shapely.geometry import shape as to_shape

            shape = to_shape(to_storage(shape.__geo_interface__, self.crs))
        literal = func.ST_GeomFromText(shape.wkt, STORAGE_SRID)
        args = (self.source.c.geom, literal) if first is prop else (literal, self.source.c.geom)
        return getattr(func, function)(*args)


def compile_filter(tree, source, types: dict[str, str], *, filter_crs: ApiCrs = STORAGE):
    """A SQL boolean expression on ``source`` for a tree from :func:`twin.api.cql2.parse`."""
    if tree is None:
        return true()
    return _Compiler(source, types, filter_crs).compile(tree)


def attribute_filters(params: dict[str, str], source, types: dict[str, str]) -> list:
    """Equality filters from query parameters named like properties (``?status=in_service``).

    A comma-separated value matches any of its parts (``?status=planned,in_service``).
    """
    compiler = _Compiler(source, types, STORAGE)
    clauses = []
    for name, raw in params.items():
        column = compiler.column(name)
        values = [compiler.value(v, types[name], name) for v in str(raw).split(",")]
        clauses.append(column == values[0] if len(values) == 1 else column.in_(values))
    return clauses
