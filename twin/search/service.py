"""The map search: what a reader may see, matched without accents and ranked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from layers import feature_types
from twin.declare import CODE_PATTERN

from .algorithms.folding import fold
from .indexes import ADDRESS_TABLES, NAMED_TABLES
from .store import addresses_matching, codes_matching, names_matching

__all__ = ["search"]

MIN_QUERY_LENGTH = 2


def _bbox(row) -> list[float]:
    return [row.xmin, row.ymin, row.xmax, row.ymax]


def _code_tables(code: str, tables: list[str]) -> list[str]:
    """Tables whose code prefix fits ``code`` (``WP`` → water pipes), else all of them."""
    fitting = [
        ft.table
        for ft in feature_types()
        if ft.table in tables
        and (ft.code_prefix.startswith(code) or code.startswith(ft.code_prefix))
    ]
    return fitting or tables


def search(
    session: Session, query: str, *, readable_tables: Iterable[str], limit: int = 10
) -> list[dict]:
    """Assets by code, roads, communes and villages by name, features by address.

    Only ``readable_tables`` are read (the reader's layers), so what a reader
    may not see is never scanned.  Names and addresses match without
    diacritics (``hoang van thu`` finds ``Đường Hoàng Văn Thụ``), best match
    first.  Each result carries the ``bbox`` (lon/lat) to zoom to.
    """
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    tables = [ft.table for ft in feature_types() if ft.table in set(readable_tables)]
    code, folded = query.upper(), fold(query)
    results = []
    if re.fullmatch(CODE_PATTERN, code):  # "hoang van thu" is no code: no table is read
        results = [
            {"kind": "asset", "table": r.tbl, "code": r.code, "label": r.code, "bbox": _bbox(r)}
            for r in codes_matching(session, folded, _code_tables(code, tables), limit)
        ]
    named = [t for t in NAMED_TABLES if t in tables]
    results += [
        {"kind": r.kind, "label": r.name, "code": r.code, "bbox": _bbox(r)}
        for r in names_matching(session, folded, named, limit)
    ]
    addressed = [t for t in ADDRESS_TABLES if t in tables]
    results += [
        {"kind": "address", "table": r.tbl, "code": r.code, "label": r.address, "bbox": _bbox(r)}
        for r in addresses_matching(session, folded, addressed, limit)
    ]
    return results[: limit * 3]
