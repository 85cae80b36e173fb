"""A parser for the common operators of CQL2 text (OGC 21-065), free of any database.

Supported: ``AND``, ``OR``, ``NOT``, parentheses; comparisons ``= <> < > <= >=``;
``[NOT] LIKE``, ``[NOT] BETWEEN … AND …``, ``[NOT] IN (…)``, ``IS [NOT] NULL``;
literals: strings (``'it''s'``), numbers, ``TRUE``/``FALSE``, ``DATE('…')``,
``TIMESTAMP('…')``; the spatial predicates ``S_INTERSECTS``, ``S_WITHIN``,
``S_CONTAINS``, ``S_DISJOINT`` with a WKT geometry or ``BBOX(…)``.
Property names are bare or double-quoted identifiers.

:func:`parse` returns a small tree of tuples that :mod:`twin.api.filters`
turns into SQL; every syntax error is an
:class:`~twin.api.errors.InvalidParameter` saying where it happened.

>>> parse("status = 'in_service' AND diameter_mm >= 200")
('and', [('cmp', '=', ('prop', 'status'), ('lit', 'in_service')), \
('cmp', '>=', ('prop', 'diameter_mm'), ('lit', 200))])
"""

from __future__ import annotations

import re
from datetime import date, datetime

import shapely.wkt
from shapely.geometry import box

from .errors import bad_parameter

__all__ = ["SPATIAL", "parse"]

SPATIAL = {
    "S_INTERSECTS": "ST_Intersects",
    "S_WITHIN": "ST_Within",
    "S_CONTAINS": "ST_Contains",
    "S_DISJOINT": "ST_Disjoint",
}
_WKT = (
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<qid>"(?:[^"]|"")+")
  | (?P<id>[A-Za-z_][A-Za-z0-9_.:]*)
  | (?P<op><>|<=|>=|=|<|>)
  | (?P<punct>[(),])
""",
    re.VERBOSE,
)
_MAX_LENGTH = 10_000
_MAX_DEPTH = 50


def _syntax(message: str, pos: int):
    return bad_parameter("filter", "cql2_syntax", f"{message} at character {pos + 1}")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _syntax(f"unexpected {text[pos]!r}", pos)
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group(), pos))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------------
    def peek(self, k: int = 0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def word(self, k: int = 0) -> str:
        kind, value, _ = self.peek(k)
        return value.upper() if kind == "id" else ""

    def take(self, kind: str, value: str | None = None):
        tok = self.peek()
        ok = tok[0] == kind and (value is None or tok[1].upper() == value)
        if not ok:
            want = value or kind
            got = tok[1] or "the end"
            raise _syntax(f"expected {want}, found {got!r}", tok[2])
        self.i += 1
        return tok

    def keyword(self, value: str) -> bool:
        if self.word() == value:
            self.i += 1
            return True
        return False

    # -- grammar ---------------------------------------------------------------
    def parse(self):
        node = self.or_()
        tok = self.peek()
        if tok[0] != "end":
            raise _syntax(f"unexpected {tok[1]!r}", tok[2])
        return node

    def or_(self):
        parts = [self.and_()]
        while self.keyword("OR"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_(self):
        parts = [self.not_()]
        while self.keyword("AND"):
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def not_(self):
        negations = 0
        while self.keyword("NOT"):
            negations += 1
        node = self.predicate()
        return ("not", node) if negations % 2 else node

    def predicate(self):
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _syntax("the filter nests too deeply", self.peek()[2])
        try:
            return self._predicate()
        finally:
            self.depth -= 1

    def _predicate(self):
        kind, value, pos = self.peek()
        if kind == "punct" and value == "(":
            self.i += 1
            node = self.or_()
            self.take("punct", ")")
            return node
        if self.word() in SPATIAL and self.peek(1)[1] == "(":
            return self.spatial()
        left = self.scalar()
        return self.tail(left)

    def tail(self, left):
        kind, value, pos = self.peek()
        if kind == "op":
            self.i += 1
            return ("cmp", value, left, self.scalar())
        negate = self.keyword("NOT")
        if self.keyword("LIKE"):
            node = ("like", left, self.scalar())
        elif self.keyword("BETWEEN"):
            low = self.scalar()
            self.take("id", "AND")
            node = ("between", left, low, self.scalar())
        elif self.keyword("IN"):
            self.take("punct", "(")
            items = [self.scalar()]
            while self.peek()[1] == ",":
                self.i += 1
                items.append(self.scalar())
            self.take("punct", ")")
            node = ("in", left, items)
        elif not negate and self.keyword("IS"):
            null_negated = self.keyword("NOT")
            self.take("id", "NULL")
            node = ("isnull", left)
            return ("not", node) if null_negated else node
        else:
            raise _syntax(
                f"expected a comparison, LIKE, BETWEEN, IN or IS, found {value or 'the end'!r}", pos
            )
        return ("not", node) if negate else node

    def scalar(self):
        kind, value, pos = self.peek()
        if kind == "str":
            self.i += 1
            return ("lit", value[1:-1].replace("''", "'"))
        if kind == "num":
            self.i += 1
            number = float(value)
            return ("lit", int(number) if re.fullmatch(r"[+-]?\d+", value) else number)
        if kind == "qid":
            self.i += 1
            return ("prop", value[1:-1].replace('""', '"'))
        if kind == "id":
            word = value.upper()
            if word in ("TRUE", "FALSE"):
                self.i += 1
                return ("lit", word == "TRUE")
            if word in ("DATE", "TIMESTAMP") and self.peek(1)[1] == "(":
                return self.temporal(word)
            if word in ("AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL"):
                raise _syntax(f"expected a property or a value, found {value!r}", pos)
            self.i += 1
            return ("prop", value)
        raise _syntax(f"expected a property or a value, found {value or 'the end'!r}", pos)

    def temporal(self, word: str):
        self.i += 2
        _, value, pos = self.take("str")
        self.take("punct", ")")
        text = value[1:-1]
        try:
            if word == "DATE":
                return ("lit", date.fromisoformat(text))
            return ("lit", datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            raise _syntax(f"{word}({value}) is not an ISO 8601 {word.lower()}", pos) from None

    def spatial(self):
        name = self.word()
        self.i += 1
        self.take("punct", "(")
        first = self.geometry_or_scalar()
        self.take("punct", ",")
        second = self.geometry_or_scalar()
        self.take("punct", ")")
        return ("spatial", SPATIAL[name], first, second)

    def geometry_or_scalar(self):
        word = self.word()
        if word in _WKT or word in ("BBOX", "ENVELOPE"):
            return self.geometry(word)
        return self.scalar()

    def geometry(self, word: str):
        start = self.peek()[2]
        self.i += 1
        self.take("punct", "(")
        depth = 1
        while depth:
            kind, value, pos = self.peek()
            if kind == "end":
                raise _syntax(f"unclosed {word}", start)
            depth += {"(": 1, ")": -1}.get(value, 0) if kind == "punct" else 0
            self.i += 1
        end = self.toks[self.i - 1][2] + 1
        text = self.text[start:end]
        try:
            if word in ("BBOX", "ENVELOPE"):
                numbers = [
                    float(v) for v in re.findall(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", text)
                ]
                if len(numbers) not in (4, 6):
                    raise ValueError("BBOX takes 4 or 6 numbers")
                if len(numbers) == 6:
                    numbers = numbers[:2] + numbers[3:5]
                if word == "ENVELOPE":  # ENVELOPE(west, east, north, south)
                    w, e, n, s = numbers
                    numbers = [w, s, e, n]
                return ("geom", box(*numbers))
            return ("geom", shapely.wkt.loads(text))
        except Exception as exc:  # shapely raises several types for bad WKT
            raise _syntax(f"unreadable geometry {text[:60]!r}: {exc}", start) from None


def parse(text: str):
    """The syntax tree of a CQL2 text filter."""
    if len(text) > _MAX_LENGTH:
        raise bad_parameter(
            "filter", "max_length", f"a filter may have at most {_MAX_LENGTH} characters"
        )
    if not text.strip():
        raise bad_parameter("filter", "cql2_syntax", "the filter is empty")
    return _Parser(text).parse()
