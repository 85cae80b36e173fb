"""The audit triggers of every declared feature table, derived from the layers.

Each table gets three triggers calling the functions of
``migrations/sql/audit_triggers.sql``: ``twin_rules`` (BEFORE INSERT OR
UPDATE: version, audit stamps, snapped line ends, commune) and
``twin_history`` (AFTER INSERT, UPDATE OR DELETE: one ``audit.history``
row), for each row but not while :mod:`twin.bulk` copies rows
(``twin.bulk_load``); ``twin_bulk_guard``, once per statement of such a
load, which refuses it unless the login is trusted; and ``twin_tile_version``,
once per writing statement, which bumps the layer's data version
(``migrations/sql/layer_versions.sql``) once that function exists.
A network edge's trigger names the node tables of its network and the
default snapping tolerance, so a migration that adds a layer or a node type
runs :func:`trigger_statements` again.
"""

from __future__ import annotations

from layers import LAYERS
from twin.config import SNAP_TOLERANCE_M
from twin.declare import FeatureType
from twin.topology import node_tables

__all__ = ["BULK_GUARD_TRIGGER", "HISTORY_TRIGGER", "RULES_TRIGGER", "TRIGGERS",
           "VERSION_TRIGGER", "drop_statements", "feature_tables", "rules_arguments", "trigger_statements"]

RULES_TRIGGER = "twin_rules"
HISTORY_TRIGGER = "twin_history"
BULK_GUARD_TRIGGER = "twin_bulk_guard"
VERSION_TRIGGER = "twin_tile_version"
TRIGGERS = (RULES_TRIGGER, HISTORY_TRIGGER, BULK_GUARD_TRIGGER, VERSION_TRIGGER)


def feature_tables() -> list[tuple[str, FeatureType]]:
    """``(qualified table, feature type)`` of every declared feature type."""
    return [(f"{lyr.schema}.{ft.table}", ft) for lyr in LAYERS for ft in lyr.feature_types]


def rules_arguments(ft: FeatureType) -> list[str]:
    """Arguments of ``ft``'s rules trigger: tolerance and node tables for an edge."""
    if ft.network != "edge":
        return []
    return [str(SNAP_TOLERANCE_M), *node_tables(ft)]


def trigger_statements(only: str | None = None) -> list[str]:
    """Re-runnable SQL making the triggers on every declared feature table.

    One statement per table, skipped when the table is not made yet: an
    early migration declares the triggers of the tables that exist then, the
    migration adding a table runs this again with ``only`` its name.
    """
    out = []
    for table, ft in feature_tables():
        if only is not None and table.split(".")[1] != only:
            continue
        args = ", ".join(_literal(a) for a in rules_arguments(ft))
        body = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in TRIGGERS] + [
            f"CREATE TRIGGER {RULES_TRIGGER} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW "
            f"WHEN (NOT audit.bulk_loading()) EXECUTE FUNCTION audit.keep_feature_rules({args})",
            f"CREATE TRIGGER {HISTORY_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW WHEN (NOT audit.bulk_loading()) "
            "EXECUTE FUNCTION audit.record_feature_change()",
            f"CREATE TRIGGER {BULK_GUARD_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT WHEN (audit.bulk_loading()) "
            "EXECUTE FUNCTION audit.check_bulk_load()",
        ]
        out.append(_if_table(table, body))
        out.append(_version_trigger(table, ft))
    return out


def _version_trigger(table: str, ft: FeatureType) -> str:
    """The layer version trigger of ``table``, made only once its function exists."""
    create = (f"CREATE TRIGGER {VERSION_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
              f"ON {table} FOR EACH STATEMENT "
              f"EXECUTE FUNCTION audit.bump_layer_version({_literal(ft.layer)})")
    return (f"DO $$ BEGIN IF to_regclass({_literal(table)}) IS NOT NULL AND "
            "to_regprocedure('audit.bump_layer_version()') IS NOT NULL THEN "
            f"EXECUTE {_literal(create)}; END IF; END $$")


def drop_statements() -> list[str]:
    """SQL dropping the triggers of every declared table (that exists)."""
    return [_if_table(table, [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in TRIGGERS])
            for table, _ in feature_tables()]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _if_table(table: str, statements: list[str]) -> str:
    """One DO block running ``statements`` only if ``table`` exists."""
    run = " ".join(f"EXECUTE {_literal(s)};" for s in statements)
    return (f"DO $$ BEGIN IF to_regclass({_literal(table)}) IS NOT NULL THEN {run} "
            "END IF; END $$")
