"""Reconciliation of urban plans with one another and with existing assets.

Pure analysis: plans, zones, red lines, corridors and assets come in as plain
records with shapely geometries in a metric CRS (metres); findings go out as
plain records.  Loading from the database and projecting from WGS 84 happen at
the edges: ``store`` (plan versions), ``asset_source`` (assets and today's
roads), ``run_store`` (runs, findings, decisions), ``service`` (one check from
the database to the database), ``reading`` and ``reading_cad`` (plan files and
drawings, with their boundary), ``report`` and ``cli``.

>>> from shapely import box
>>> plan = Plan("P1", "zoning", "demo", [Zone("a", "ODT", box(0, 0, 100, 100)),
...                                      Zone("b", "DKV", box(90, 0, 200, 100))])
>>> [(f.kind, f.area_m2) for f in check_plans([plan])]
[('overlap', 1000.0)]
"""

from twin.zoning.assets import AssetTable
from twin.zoning.finding_pages import FindingFilter, decide_findings, findings_page, kind_totals
from twin.zoning.jobs import KIND, queue_check
from twin.zoning.model import (
    DECISION_STATUSES,
    FINDING_KINDS,
    Asset,
    Corridor,
    Decision,
    Finding,
    Plan,
    RedLine,
    Zone,
)
from twin.zoning.report import report_zip, write_report
from twin.zoning.run import apply_decisions, check_plans, decide, stale_decisions
from twin.zoning.run_store import (
    decide_finding,
    decision_history,
    finding_feature,
    get_finding,
    get_run,
    recent_runs,
)
from twin.zoning.sides import finding_sides
from twin.zoning.store import plan_summaries
from twin.zoning.tolerances import Tolerances
from twin.zoning.zone_edits import (
    create_zone,
    delete_zone,
    update_zone,
    zone_feature,
    zone_features,
)

__all__ = [
    "DECISION_STATUSES",
    "FINDING_KINDS",
    "KIND",
    "Asset",
    "AssetTable",
    "Corridor",
    "Decision",
    "Finding",
    "FindingFilter",
    "Plan",
    "RedLine",
    "Tolerances",
    "Zone",
    "apply_decisions",
    "check_plans",
    "create_zone",
    "decide",
    "decide_finding",
    "decide_findings",
    "decision_history",
    "delete_zone",
    "finding_feature",
    "finding_sides",
    "findings_page",
    "get_finding",
    "get_run",
    "kind_totals",
    "plan_summaries",
    "queue_check",
    "recent_runs",
    "report_zip",
    "stale_decisions",
    "update_zone",
    "write_report",
    "zone_feature",
    "zone_features",
]
