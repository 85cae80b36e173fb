"""The ``qgis`` schema: one view per feature type without its personal fields.

Personal database logins (QGIS, psql) read and write the data through these
views, never the tables: a view lists every column but those declared
``personal`` (:class:`twin.declare.Attribute`), so QGIS, which selects every
column of a layer, works for roles that may not see them.  Each view is a
plain projection of one table, so PostgreSQL makes it updatable: an insert,
update or delete reaches the table with its constraints and triggers.
What each role may do with them is in ``migrations/sql/person_grants.sql``.
"""

from __future__ import annotations

from layers import LAYERS
from twin.declare import FeatureType, Layer
from twin.models import model

__all__ = ["SCHEMA", "personal_columns", "view_columns", "views_sql"]

SCHEMA = "qgis"


def personal_columns(ft: FeatureType) -> tuple[str, ...]:
    """Names of the personal attributes of ``ft``, left out of its view."""
    return tuple(a.name for a in ft.attributes if a.personal)


def view_columns(ft: FeatureType) -> list[str]:
    """The columns of ``ft``'s view, in table order.

    Generated columns (``length_m``, ``area_m2``) are left out too: a client
    inserting NULL into one through the view would be refused.
    """
    hidden = set(personal_columns(ft))
    return [c.name for c in model(ft.table).__table__.columns
            if c.name not in hidden and c.computed is None]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


#: Each view lists the columns its table has when the SQL runs (so a
#: migration that runs before a later one adds a column still works), less
#: the personal and the generated ones; a table not made yet is skipped.
_VIEWS = f"""
DO $$
DECLARE
    t record;
    cols text;
BEGIN
    FOR t IN SELECT * FROM (VALUES %s) AS wanted(schema_name, table_name, personal, label) LOOP
        CONTINUE WHEN to_regclass(format('%%I.%%I', t.schema_name, t.table_name)) IS NULL;
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = format('%%I.%%I', t.schema_name, t.table_name)::regclass
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
          AND a.attname <> ALL (t.personal);
        EXECUTE format('DROP VIEW IF EXISTS {SCHEMA}.%%I', t.table_name);
        EXECUTE format('CREATE VIEW {SCHEMA}.%%I AS SELECT %%s FROM %%I.%%I',
                       t.table_name, cols, t.schema_name, t.table_name);
        EXECUTE format('COMMENT ON VIEW {SCHEMA}.%%I IS %%L', t.table_name, t.label);
    END LOOP;
END
$$;
"""


def _row(lyr: Layer, ft: FeatureType) -> str:
    personal = ", ".join(_literal(c) for c in personal_columns(ft))
    label = f"{ft.vi} ({ft.en}), without personal fields"
    return (f"({_literal(lyr.schema)}, {_literal(ft.table)}, "
            f"ARRAY[{personal}]::text[], {_literal(label)})")


#: A view's columns take the defaults of its table's, so that a client that
#: names every column (QGIS sends the default's text for an unset field)
#: gets the next id, version 1 and the stamps rather than a NULL refused.
_DEFAULTS = f"""
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT v.relname AS view, a.attname AS col, pg_get_expr(d.adbin, d.adrelid) AS expr
             FROM pg_catalog.pg_class v
             JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
             JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = v.oid
             JOIN pg_catalog.pg_depend dep ON dep.objid = rw.oid AND dep.refobjsubid > 0
             JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid
                                           AND a.attnum = dep.refobjsubid
             JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE vn.nspname = '{SCHEMA}' AND v.relkind = 'v' AND a.attgenerated = ''
               AND dep.refobjid <> v.oid LOOP
        EXECUTE format('ALTER VIEW {SCHEMA}.%I ALTER COLUMN %I SET DEFAULT %s',
                       r.view, r.col, r.expr);
    END LOOP;
END
$$;
"""


def views_sql() -> str:
    """SQL making the schema and every view again (re-runnable, run by the owner)."""
    rows = ",\n        ".join(_row(lyr, ft) for lyr in LAYERS for ft in lyr.feature_types)
    return f"CREATE SCHEMA IF NOT EXISTS {SCHEMA};\n" + _VIEWS % rows + _DEFAULTS
