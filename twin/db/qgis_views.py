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


def _view(lyr: Layer, ft: FeatureType) -> str:
    columns = ", ".join(f'"{c}"' for c in view_columns(ft))
    label = f"{ft.vi} ({ft.en}), without personal fields".replace("'", "''")
    return (f'DROP VIEW IF EXISTS {SCHEMA}."{ft.table}";\n'
            f'CREATE VIEW {SCHEMA}."{ft.table}" AS SELECT {columns} '
            f'FROM "{lyr.schema}"."{ft.table}";\n'
            f'COMMENT ON VIEW {SCHEMA}."{ft.table}" IS \'{label}\';\n')


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
    return f"CREATE SCHEMA IF NOT EXISTS {SCHEMA};\n" + "".join(
        _view(lyr, ft) for lyr in LAYERS for ft in lyr.feature_types) + _DEFAULTS
