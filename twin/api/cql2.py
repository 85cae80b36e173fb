"""CQL2 filters (OGC 21-065) in text or JSON, read by the ``cql2`` library, as a small tree.

Both encodings are parsed by the maintained ``cql2`` parser, which turns
text into CQL2 JSON; this module only walks that JSON into the tuples that
:mod:`twin.api.filters` compiles into SQL, so text and JSON cannot mean
different things.  What the tree holds:

* logic: ``("and", [...])``, ``("or", [...])``, ``("not", node)``;
* predicates: ``("cmp", op, a, b)``, ``("like", a, b)``, ``("between", a, lo, hi)``,
  ``("in", a, [items])``, ``("isnull", a)``, ``("spatial", "ST_Intersects", a, b)``,
  ``("temporal", "t_after", a, b)``;
* operands: ``("prop", name)``, ``("lit", value)`` (a date or datetime for
  ``DATE``/``TIMESTAMP``), ``("interval", start, end)`` (``None`` for an open
  end), ``("geom", shapely geometry)``, ``("casei", operand)``, ``("accenti", operand)``.

Every error is an :class:`~twin.api.errors.InvalidParameter` naming ``filter``.
A filter nesting deeper than :data:`MAX_DEPTH` is refused before the parser
sees it (a deep enough one would overflow its stack).

>>> parse("status = 'in_service' AND diameter_mm >= 200")
('and', [('cmp', '=', ('prop', 'status'), ('lit', 'in_service')), \
('cmp', '>=', ('prop', 'diameter_mm'), ('lit', 200))])
>>> parse_json('{"op": "like", "args": [{"op": "accenti", "args": [{"property": "name"}]}, '
...            '{"op": "accenti", "args": ["%Thu%"]}]}')
('like', ('accenti', ('prop', 'name')), ('accenti', ('lit', '%Thu%')))
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import cql2 as cql2_library
from shapely.geometry import box, shape

from .errors import bad_parameter

__all__ = ["LANGUAGES", "MAX_DEPTH", "SPATIAL", "TEMPORAL", "parse", "parse_filter", "parse_json"]

#: CQL2 spatial functions and the PostGIS function of each.
SPATIAL = {
    "s_intersects": "ST_Intersects",
    "s_within": "ST_Within",
    "s_contains": "ST_Contains",
    "s_disjoint": "ST_Disjoint",
    "s_equals": "ST_Equals",
    "s_touches": "ST_Touches",
    "s_overlaps": "ST_Overlaps",
    "s_crosses": "ST_Crosses",
}
#: CQL2 temporal functions the twin answers (its temporal properties are all instants).
TEMPORAL = frozenset({"t_after", "t_before", "t_disjoint", "t_during", "t_equals", "t_intersects"})
#: The ``filter-lang`` values understood.
LANGUAGES = ("cql2-text", "cql2-json")
MAX_DEPTH = 50
_MAX_LENGTH = 10_000
_COMPARISONS = {"=", "<>", "<", ">", "<=", ">="}


def _syntax(message: str):
    return bad_parameter("filter", "cql2_syntax", message)


def _text_depth(text: str) -> int:
    """The deepest nesting of brackets outside quoted strings."""
    depth = deepest = 0
    quote = None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
    return deepest


def _json_depth(value) -> int:
    """The deepest nesting of a decoded JSON value, walked without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _checked_length(text: str) -> str:
    if len(text) > _MAX_LENGTH:
        raise bad_parameter(
            "filter", "max_length", f"a filter may have at most {_MAX_LENGTH} characters"
        )
    if not text.strip():
        raise _syntax("the filter is empty")
    return text


def _library_error(exc: Exception) -> Exception:
    """The parser's complaint in one line, with the character where it happened."""
    message = str(exc)
    where = re.search(r"--> \d+:(\d+)", message)
    said = [line.strip(" =") for line in message.splitlines() if line.strip().startswith("=")]
    words = said[-1] if said else " ".join(message.split())[:300]
    return _syntax(f"{words}" + (f" at character {where.group(1)}" if where else ""))


def parse(text: str):
    """The tree of a CQL2 text filter."""
    _checked_length(text)
    if _text_depth(text) > MAX_DEPTH:
        raise _syntax("the filter nests too deeply")
    try:
        expression = cql2_library.parse_text(text).to_json()
    except (ValueError, RecursionError, cql2_library.ParseError) as exc:
        raise _library_error(exc) from None
    return _Walker().node(expression)


def parse_json(text_or_value):
    """The tree of a CQL2 JSON filter (its text, or the decoded value)."""
    if isinstance(text_or_value, str):
        try:
            value = json.loads(_checked_length(text_or_value))
        except (ValueError, RecursionError):
            raise _syntax("the filter is not JSON") from None
    else:
        value = text_or_value
    if _json_depth(value) > 2 * MAX_DEPTH:
        raise _syntax("the filter nests too deeply")
    try:
        expression = cql2_library.parse_json(json.dumps(value)).to_json()
    except (ValueError, RecursionError, cql2_library.ParseError) as exc:
        raise _library_error(exc) from None
    return _Walker().node(expression)


def parse_filter(text: str, lang: str | None):
    """The tree of ``filter`` in ``filter-lang`` (CQL2 text unless told otherwise)."""
    lang = lang or "cql2-text"
    if lang not in LANGUAGES:
        raise bad_parameter(
            "filter-lang", "supported", f"{lang!r}: use one of {', '.join(LANGUAGES)}"
        )
    return parse(text) if lang == "cql2-text" else parse_json(text)


def _instant(value: dict):
    try:
        if "date" in value:
            return date.fromisoformat(value["date"])
        return datetime.fromisoformat(str(value["timestamp"]).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise _syntax(f"{value} is not an ISO 8601 date or timestamp") from None


class _Walker:
    """CQL2 JSON (as the library writes it) to the tree of this module."""

    def node(self, expr):
        if not isinstance(expr, dict) or "op" not in expr:
            raise _syntax("expected a predicate (an object with 'op' and 'args')")
        op, args = str(expr["op"]).lower(), expr.get("args") or []
        if op in ("and", "or"):
            return (op, [self.node(a) for a in args])
        if op == "not":
            negations = 0
            while isinstance(expr, dict) and str(expr.get("op", "")).lower() == "not":
                negations += 1  # a chain of NOT, walked without recursion
                expr = self._one("not", expr.get("args"))
            inner = self.node(expr)
            return ("not", inner) if negations % 2 else inner
        if op in _COMPARISONS:
            return ("cmp", op, *(self.operand(a) for a in self._n(op, args, 2)))
        if op == "like":
            return ("like", *(self.operand(a) for a in self._n(op, args, 2)))
        if op == "between":
            return ("between", *(self.operand(a) for a in self._n(op, args, 3)))
        if op == "in":
            left, items = self._n(op, args, 2)
            if not isinstance(items, list) or not items:
                raise _syntax("IN needs a non-empty list")
            return ("in", self.operand(left), [self.operand(i) for i in items])
        if op == "isnull":
            return ("isnull", self.operand(self._one(op, args)))
        if op in SPATIAL:
            return ("spatial", SPATIAL[op], *(self.operand(a) for a in self._n(op, args, 2)))
        if op in TEMPORAL:
            return ("temporal", op, *(self.operand(a) for a in self._n(op, args, 2)))
        raise bad_parameter("filter", "supported", f"the operator {op!r} is not supported")

    def _n(self, op: str, args, n: int) -> list:
        if not isinstance(args, list) or len(args) != n:
            raise _syntax(f"{op} takes {n} arguments")
        return args

    def _one(self, op: str, args):
        return self._n(op, args, 1)[0]

    def operand(self, value):
        if isinstance(value, bool | str) or value is None:
            return ("lit", value)
        if isinstance(value, int | float):
            whole = isinstance(value, float) and value.is_integer() and abs(value) < 2**53
            return ("lit", int(value) if whole else value)
        if isinstance(value, dict):
            return self._object(value)
        raise _syntax(f"unexpected value {str(value)[:60]!r}")

    def _object(self, value: dict):
        if "property" in value:
            return ("prop", str(value["property"]))
        if "date" in value or "timestamp" in value:
            return ("lit", _instant(value))
        if "interval" in value:
            ends = value["interval"]
            if not isinstance(ends, list) or len(ends) != 2:
                raise _syntax("an interval has a start and an end")
            return ("interval", *(None if e == ".." else self._end(e) for e in ends))
        if "bbox" in value:
            return ("geom", _box(value["bbox"]))
        if "type" in value and "coordinates" in value or value.get("type") == "GeometryCollection":
            return ("geom", _geometry(value))
        op = str(value.get("op", "")).lower()
        if op in ("casei", "accenti"):
            return (op, self.operand(self._one(op, value.get("args"))))
        if op == "envelope":  # ENVELOPE(west, east, north, south), from CQL 1
            west, east, north, south = self._n(op, value.get("args"), 4)
            return ("geom", _box([west, south, east, north]))
        if op.upper() in _WKT_NAMES:
            raise _syntax(f"unreadable geometry {op.upper()}{value.get('args')}")
        raise bad_parameter("filter", "supported", f"the function {op or value!r} is not supported")

    def _end(self, end):
        if isinstance(end, dict):
            return _instant(end)
        text = str(end)
        return _instant({"date": text} if len(text) == 10 else {"timestamp": text})


_WKT_NAMES = {
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
}


def _box(numbers):
    if not isinstance(numbers, list) or len(numbers) not in (4, 6):
        raise _syntax("BBOX takes 4 or 6 numbers")
    if len(numbers) == 6:
        numbers = numbers[:2] + numbers[3:5]
    try:
        return box(*(float(n) for n in numbers))
    except (TypeError, ValueError):
        raise _syntax(f"BBOX{numbers}: four numbers") from None


def _geometry(value: dict):
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several types for bad coordinates
        raise _syntax(f"unreadable geometry {str(value)[:60]}: {exc}") from None
    if geometry.is_empty and value.get("coordinates"):
        raise _syntax(f"unreadable geometry {str(value)[:60]}")
    return geometry
