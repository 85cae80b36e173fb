"""The words of the planner page in the reader's language: values by their keys, script texts."""

from __future__ import annotations

from flask_babel import gettext, pgettext

from twin.zoning import DECISION_STATUSES, FINDING_KINDS

__all__ = ["page_words", "status_name", "value_names"]


def status_name(status: str) -> str:
    """A finding's status in the user's language (the value stays the stable key)."""
    names = {
        "open": pgettext("finding", "open"),
        "resolved": pgettext("finding", "resolved"),
        "accepted": pgettext("finding", "accepted"),
    }
    return names.get(status, status)


def _kind_names() -> dict[str, str]:
    """Finding kinds (the keys of ``FINDING_KINDS``, in its order) in the user's language."""
    names = {
        "invalid_geometry": gettext("invalid geometry"),
        "unknown_code": gettext("unknown land-use code"),
        "overlap": gettext("overlap"),
        "gap": gettext("gap"),
        "sliver": gettext("sliver"),
        "plan_overlap": gettext("plans overlap"),
        "incompatible_neighbour": gettext("incompatible neighbour"),
        "red_line_mismatch": gettext("red line mismatch"),
        "corridor_mismatch": gettext("corridor mismatch"),
        "land_use_conflict": gettext("land-use conflict"),
        "road_not_followed": gettext("road not followed"),
        "asset_in_planned_building": gettext("asset in a planned building"),
        "tree_in_road_widening": gettext("tree in a road widening"),
        "pole_in_road_widening": gettext("pole in a road widening"),
        "fiber_in_restricted_zone": gettext("fibre in a restricted zone"),
        "clearance": gettext("clearance"),
    }
    return {kind: names.get(kind, kind) for kind in FINDING_KINDS}


def value_names() -> dict[str, dict[str, str]]:
    """The values the page shows (kinds, severities, statuses, plan levels) by their keys."""
    return {
        "kinds": _kind_names(),
        "severities": {
            "high": pgettext("severity", "high"),
            "medium": pgettext("severity", "medium"),
            "low": pgettext("severity", "low"),
        },
        "statuses": {s: status_name(s) for s in ("open", *DECISION_STATUSES)},
        "levels": {
            "general": pgettext("plan level", "general"),
            "zoning": pgettext("plan level", "zoning"),
            "detailed": pgettext("plan level", "detailed"),
        },
        "features": {
            "zone": gettext("zone"),
            "red_line": gettext("red line"),
            "corridor": gettext("corridor"),
            "asset": gettext("asset"),
        },
        "run_statuses": {
            "queued": pgettext("check run", "queued"),
            "running": pgettext("check run", "running"),
            "done": pgettext("check run", "done"),
            "failed": pgettext("check run", "failed"),
        },
        "plan_statuses": {
            "draft": pgettext("plan", "draft"),
            "approved": pgettext("plan", "approved"),
            "superseded": pgettext("plan", "superseded"),
        },
    }


def page_words() -> dict[str, str]:
    """Words the page's script writes, in the user's language; {name} is a value."""
    return {
        "run_n": gettext("run {id}"),
        "conflicts": gettext("{count} conflicts"),
        "kept": gettext("{count} earlier decisions kept"),
        "more_features": gettext(
            "{count} more features of the plan around the conflict on the map"
        ),
        "plan_side": gettext("plan {name}@{version} ({level}, {status})"),
        "asset_side": gettext("asset {code} ({table})"),
        "asset_gone": gettext("asset {code} (no longer stored)"),
        "pick_draft": gettext("pick a draft plan to draw in (✎)"),
        "code_prompt": gettext("Land-use code of the new zone (e.g. ODT, DKV):"),
        "page_of": gettext("page {page} of {pages}"),
        "kind_count": gettext("{name}: {open} open of {total}"),
        "decided_n": gettext("{count} conflicts decided"),
        "legend": gettext("Legend"),
        "by_severity": gettext("Conflicts by severity"),
    }
