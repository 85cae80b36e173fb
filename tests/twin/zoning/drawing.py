"""Hand-drawn plans for the zoning tests: plain factory functions, metres."""

from shapely import LineString, box

from twin.zoning.model import Plan, RedLine, Zone


def make_plan(plan_id="P", zones=None, *, level="zoning", red_lines=(), **overrides):
    """A plan from ``{zone_id: (code, geometry)}`` and ``{id: [(x, y), ...]}`` red lines."""
    zones = zones if zones is not None else {"a": ("ODT", box(0, 0, 100, 100))}
    red = dict(red_lines) if red_lines else {}
    return Plan(
        id=plan_id,
        level=level,
        name=f"plan {plan_id}",
        zones=[Zone(zone_id, code, geometry) for zone_id, (code, geometry) in zones.items()],
        red_lines=[RedLine(line_id, LineString(coords)) for line_id, coords in red.items()],
        **overrides,
    )


def kinds(findings):
    """Sorted kinds of the findings, to compare with what a drawing should raise."""
    return sorted(finding.kind for finding in findings)
