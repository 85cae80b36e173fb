"""``sortby`` and keyset paging of ``/items``: the order of a page and where the next one starts.

``sortby=-diameter_mm,code`` sorts on queryables, ``-`` descending (``+`` or
nothing ascending); the feature id always ends the order, so it is total and
a page boundary is exact.  Empty values come last in both directions.

The ``next`` link of a page carries a ``cursor``: the sort values and id of
its last feature.  The next page starts right after it with a ``WHERE``
on those values (a keyset), which an index answers at the same cost on page
500 as on page 2, unlike an ``OFFSET`` that reads and drops every row before
it.  Rows inserted or deleted meanwhile do not shift a cursor's page.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime

from sqlalchemy import and_, false, or_

from .errors import bad_parameter

__all__ = ["Sort", "after_clause", "decode_cursor", "encode_cursor", "order_by", "parse_sortby"]

#: ``((name, descending), ...)`` in order of precedence.
Sort = tuple[tuple[str, bool], ...]
_MAX_KEYS = 5


def parse_sortby(raw: str | None, types: dict[str, str]) -> Sort:
    """The keys of ``sortby``; an unknown or repeated one is a 400 naming it."""
    if not raw:
        return ()
    keys: list[tuple[str, bool]] = []
    for part in raw.split(","):
        part = part.strip()
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        if name not in types:
            raise bad_parameter(
                "sortby",
                "queryable",
                f"cannot sort on {name!r}; sort on one of {', '.join(sorted(types))}",
            )
        if name in {k for k, _ in keys}:
            raise bad_parameter("sortby", "unique", f"{name!r} is given twice")
        keys.append((name, descending))
    if len(keys) > _MAX_KEYS:
        raise bad_parameter("sortby", "max_keys", f"at most {_MAX_KEYS} keys")
    return tuple(keys)


def order_by(columns, sort: Sort) -> list:
    """ORDER BY terms of ``columns`` (a table or CTE's ``.c``): the keys, then the id."""
    terms = [
        (columns[name].desc() if descending else columns[name].asc()).nulls_last()
        for name, descending in sort
    ]
    return [*terms, columns["id"].asc()]


def _after_one(column, value, descending: bool):
    """``column`` comes strictly after ``value`` (empty values last)."""
    if value is None:
        return false()
    beyond = column < value if descending else column > value
    return or_(beyond, column.is_(None))


def after_clause(columns, sort: Sort, values: list):
    """Rows after the one whose sort values (then id) are ``values``: the keyset."""
    ors = []
    for i, (name, descending) in enumerate(sort):
        same = [columns[k].is_not_distinct_from(values[j]) for j, (k, _) in enumerate(sort[:i])]
        ors.append(and_(*same, _after_one(columns[name], values[i], descending)))
    same = [columns[k].is_not_distinct_from(values[j]) for j, (k, _) in enumerate(sort)]
    ors.append(and_(*same, columns["id"] > values[-1]))  # the id is never empty
    return or_(*ors) if len(ors) > 1 else ors[0]


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def encode_cursor(values) -> str:
    """An opaque URL-safe token of the last row's sort values and id."""
    text = json.dumps([_plain(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(raw: str, sort: Sort, convert) -> list:
    """The values of a cursor for ``sort``, each converted by ``convert(name, value)``."""
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_parameter(
            "cursor", "token", "not a cursor of this API (follow 'next' links)"
        ) from None
    names = [name for name, _ in sort] + ["id"]
    if not isinstance(values, list) or len(values) != len(names):
        raise bad_parameter("cursor", "token", "the cursor does not fit this sortby")
    if not isinstance(values[-1], int):
        raise bad_parameter("cursor", "token", "not a cursor of this API (follow 'next' links)")
    return [None if v is None else convert(n, v) for n, v in zip(names, values, strict=True)]
