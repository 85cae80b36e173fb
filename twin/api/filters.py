"""Turning CQL2 trees and ``?name=value`` filters into SQL on a feature source.

A *source* is the table of a feature type or its state at a past moment
(:func:`twin.api.timetravel.state_at`): both have the same columns, so one
compiler serves the present and the past.  Literals are converted to the
type of the property they meet, so a wrong value is a clear 400 rather than
a database error.
"""

from __future__ import annotations

import math
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Text, and_, cast, func, not_, or_, true

from twin.config import STORAGE_SRID
from twin.validation import coerce_value

from .crs import STORAGE, ApiCrs, to_storage
from .errors import bad_parameter

__all__ = ["attribute_filters", "compile_filter"]

_OPS = {"=": "__eq__", "<>": "__ne__", "<": "__lt__", ">": "__gt__", "<=": "__le__", ">=": "__ge__"}
_GEOMETRY_NAMES = ("geometry", "geom")


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
        if isinstance(literal, float) and not math.isfinite(literal):
            raise bad_parameter("filter", "finite", f"{name}: {literal} is not a finite number")
        try:
            if kind == "timestamp":
                if isinstance(literal, datetime):
                    return literal
                return datetime.fromisoformat(str(literal).replace("Z", "+00:00"))
            if kind == "bigint":
                kind = "integer"
            value = coerce_value(kind, literal)
        except (TypeError, ValueError) as exc:
            raise bad_parameter("filter", "type", f"{name}: {exc}") from None
        if value is None:
            raise bad_parameter(
                "filter", "type", f"{name}: compare with IS NULL, not an empty value"
            )
        return value

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
        raise bad_parameter(
            "filter", "geometry_position", "a geometry is allowed only in S_* predicates"
        )

    def compile(self, node):
        kind = node[0]
        if kind == "and":
            return and_(*[self.compile(n) for n in node[1]])
        if kind == "or":
            return or_(*[self.compile(n) for n in node[1]])
        if kind == "not":
            return not_(self.compile(node[1]))
        if kind == "cmp":
            _, op, left, right = node
            if left[0] != "prop" and right[0] == "prop":
                left, right = right, left
                op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
            column = self.operand(left, right)
            return getattr(column, _OPS[op])(self.operand(right, left))
        if kind == "like":
            _, left, pattern = node
            if left[0] != "prop" or pattern[0] != "lit" or not isinstance(pattern[1], str):
                raise bad_parameter("filter", "like", "LIKE needs a property and a text pattern")
            column = self.column(left[1])
            column = column if self.types[left[1]] == "text" else cast(column, Text)
            return column.like(pattern[1])
        if kind == "between":
            _, left, low, high = node
            column = self.operand(left, low)
            return column.between(self.operand(low, left), self.operand(high, left))
        if kind == "in":
            _, left, items = node
            column = self.operand(left, items[0])
            return column.in_([self.operand(item, left) for item in items])
        if kind == "isnull":
            if node[1][0] != "prop":
                raise bad_parameter("filter", "property_needed", "IS NULL needs a property")
            return self.column(node[1][1]).is_(None)
        if kind == "spatial":
            return self.spatial(*node[1:])
        raise bad_parameter("filter", "cql2_syntax", f"unsupported expression {kind!r}")

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
