"""The search's SQL: trigram-indexed matches on folded codes, names and addresses.

Tables are named from the layer registry only (never from the request) and
every value is a bound parameter.  Each part reads only the tables it is
given: the caller passes those the reader may see, so a closed layer is
never scanned.  Matches are ``twin_fold(column) LIKE '%query%'`` or a close
word (``pg_trgm``'s ``<%``), both answered by the ``ix_search_*`` GIN
indexes, ranked by ``word_similarity`` then ``similarity``.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.models import model

__all__ = ["addresses_matching", "codes_matching", "names_matching"]

#: Matches of one table among which a common query's best are chosen.
CANDIDATES = 500
_BOX = "ST_XMin({g}) xmin, ST_YMin({g}) ymin, ST_XMax({g}) xmax, ST_YMax({g}) ymax"
_MATCH = "(twin_fold({c}) LIKE :contains OR :q <% twin_fold({c}))"
_RANK = "word_similarity(:q, twin_fold({c})) DESC, similarity(:q, twin_fold({c})) DESC"


def _qualified(table: str) -> str:
    t = model(table).__table__
    return f'{t.schema}."{t.name}"'


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _union(parts: list[str], order: str) -> str:
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) hits ORDER BY {order} LIMIT :limit"


def _folded_params(folded: str, limit: int) -> dict:
    return {"q": folded, "contains": f"%{_like_escaped(folded)}%", "limit": limit}


def codes_matching(session: Session, code: str, tables: list[str], limit: int):
    """Rows ``(tbl, code, xmin..ymax)`` whose code starts with ``code`` (folded)."""
    if not tables:
        return []
    parts = [
        f"(SELECT '{t}' AS tbl, code, {_BOX.format(g='geom')} FROM {_qualified(t)} "
        f"WHERE twin_fold(code) LIKE :prefix ORDER BY code LIMIT :limit)"
        for t in tables
    ]
    sql = _union(parts, "code")
    prefix = _like_escaped(code) + "%"
    return session.execute(text(sql), {"prefix": prefix, "limit": limit}).all()


def _named_part(table: str) -> str | None:
    match, rank = _MATCH.format(c="name"), _RANK.format(c="name")
    if table == "base_road":  # a road is all the segments of one name
        return (
            f"(SELECT 'road' AS kind, name, NULL AS code, {_BOX.format(g='ext')}, rank "
            f"FROM (SELECT name, ST_Extent(geom) AS ext, "
            f"max(word_similarity(:q, twin_fold(name))) AS rank FROM {_qualified(table)} "
            f"WHERE {match} GROUP BY name ORDER BY rank DESC LIMIT :limit) r)"
        )
    if table == "base_admin_unit":
        return (
            f"(SELECT 'commune', name, code, {_BOX.format(g='geom')}, "
            f"word_similarity(:q, twin_fold(name)) FROM {_qualified(table)} "
            f"WHERE level = 'commune' AND valid_to IS NULL AND {match} "
            f"ORDER BY {rank} LIMIT :limit)"
        )
    if table == "base_village":
        return (
            f"(SELECT 'village', name, code, {_BOX.format(g='geom')}, "
            f"word_similarity(:q, twin_fold(name)) FROM {_qualified(table)} "
            f"WHERE {match} ORDER BY {rank} LIMIT :limit)"
        )
    return None


def names_matching(session: Session, folded: str, tables: list[str], limit: int):
    """Rows ``(kind, name, code, xmin..ymax, rank)`` of roads, communes and villages."""
    parts = [p for t in tables if (p := _named_part(t))]
    if not parts:
        return []
    sql = _union(parts, "rank DESC")
    return session.execute(text(sql), _folded_params(folded, limit)).all()


def addresses_matching(session: Session, folded: str, tables: list[str], limit: int):
    """Rows ``(tbl, code, address, xmin..ymax, rank)`` whose address matches.

    A common query (``so 5``) matches a great many addresses: the best are
    chosen among the first :data:`CANDIDATES` of each table, so its cost stays
    bounded; a precise query has fewer matches than that and is ranked whole.
    """
    if not tables:
        return []
    match = _MATCH.format(c="address")
    parts = [
        f"(SELECT * FROM (SELECT '{t}' AS tbl, code, address, {_BOX.format(g='geom')}, "
        f"word_similarity(:q, twin_fold(address)) AS rank, "
        f"similarity(:q, twin_fold(address)) AS closeness FROM {_qualified(t)} "
        f"WHERE {match} LIMIT {CANDIDATES}) c ORDER BY rank DESC, closeness DESC LIMIT :limit)"
        for t in tables
    ]
    sql = _union(parts, "rank DESC, closeness DESC")
    return session.execute(text(sql), _folded_params(folded, limit)).all()
