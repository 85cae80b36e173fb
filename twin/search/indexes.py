"""Which columns the search reads, and the trigram indexes that keep it off full scans.

Derived from the layer declarations: the code of every feature type, the
``name`` of roads, administrative units and villages, the ``address`` of
every feature type that has one.  Each index is a GIN ``gin_trgm_ops`` on
``twin_fold(column)``, which answers ``LIKE '%...%'`` and the similarity
operators of ``pg_trgm`` on folded text.
"""

from __future__ import annotations

from layers import feature_type, feature_types, layer

__all__ = ["ADDRESS_TABLES", "NAMED_TABLES", "SEARCH_INDEX_PREFIX", "indexes_sql", "searched"]

#: Names of the search indexes (they live in the migrations, not in the models).
SEARCH_INDEX_PREFIX = "ix_search_"
#: Feature types searched by ``name``.
NAMED_TABLES = ("base_road", "base_admin_unit", "base_village")
#: Feature types searched by ``address``.
ADDRESS_TABLES = tuple(
    ft.table for ft in feature_types() if any(a.name == "address" for a in ft.attributes)
)


def searched() -> list[tuple[str, str, str]]:
    """``(schema, table, column)`` of every searched column."""
    out = [(layer(ft.layer).schema, ft.table, "code") for ft in feature_types()]
    for table in NAMED_TABLES:
        out.append((layer(feature_type(table).layer).schema, table, "name"))
    for table in ADDRESS_TABLES:
        out.append((layer(feature_type(table).layer).schema, table, "address"))
    return out


def indexes_sql(*, drop: bool = False, tables=None) -> str:
    """``CREATE INDEX IF NOT EXISTS`` (or ``DROP INDEX IF EXISTS``) for every searched
    column, or only those of ``tables``: a migration that adds a feature table
    indexes its own (the search migration runs before later tables exist)."""
    lines = []
    for schema, table, column in searched():
        if tables is not None and table not in tables:
            continue
        name = f"{SEARCH_INDEX_PREFIX}{table}_{column}"
        if drop:
            lines.append(f'DROP INDEX IF EXISTS "{schema}"."{name}";')
        else:
            lines.append(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{schema}"."{table}" '
                f"USING gin (public.twin_fold({column}) gin_trgm_ops);"
            )
    return "\n".join(lines)
