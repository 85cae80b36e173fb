"""Minimum clearances between utilities (QCVN 01:2021/BXD table 2.30).

The rule table is ``data/clearances.csv`` with its source and caveats; this
module reads it and finds the utilities closer to one another than it allows.

* **Horizontal** clearance applies where two utilities of one placement run
  side by side.  The stretch of one utility within the required distance of the
  other (measured wall to wall: axis distance minus both radii) is reported,
  except near a crossing: within ``t / sin(crossing_angle_deg)`` of the point
  where they cross, a run is a crossing and the vertical rule governs.
* **Vertical** clearance applies where two utilities cross; it is tested when
  both vertical positions are known (elevations, else depths or heights).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from shapely import STRtree

from twin.errors import InvalidInput, Problem
from twin.i18n import N_, Message
from twin.zoning.assets import AssetTable, asset_table
from twin.zoning.codes import read_data_rows
from twin.zoning.model import Asset, Finding, new_finding
from twin.zoning.tolerances import Tolerances
from twin.zoning.wording import fixed

__all__ = ["ClearanceRule", "ClearanceRules", "check_clearances", "load_clearance_rules"]

_DEFAULT = Tolerances()
_DIRECTIONS = ("horizontal", "vertical")


@dataclass(frozen=True)
class ClearanceRule:
    """One row of the clearance table; distances in metres, diameters in mm."""

    rule_id: str
    placement: str
    direction: str
    class_a: str
    class_b: str
    min_m: float
    dn_min_mm: float | None
    dn_max_mm: float | None
    dn_of: str
    source: str
    caveat: str

    def describe(self) -> Message:
        """The rule in words: its id, the classes, the distance and its source."""
        dn = ""
        if self.dn_of:
            low = f"DN ≥ {self.dn_min_mm:g}" if self.dn_min_mm is not None else ""
            high = f"DN ≤ {self.dn_max_mm:g}" if self.dn_max_mm is not None else ""
            dn = f" ({', '.join(filter(None, (low, high)))})"
        return Message(
            N_("%(rule)s: %(a)s–%(b)s %(direction)s clearance ≥ %(metres)s m%(dn)s, %(source)s"),
            {
                "rule": self.rule_id,
                "a": self.class_a,
                "b": self.class_b,
                "direction": fixed(self.direction),
                "metres": f"{self.min_m:g}",
                "dn": dn,
                "source": self.source,
            },
        )


def _float_or_none(value: str) -> float | None:
    return float(value) if value else None


class ClearanceRules:
    """The rule table with a vectorised lookup of the distance a pair requires."""

    def __init__(self, rules: Sequence[ClearanceRule]):
        self.rules = tuple(rules)

    def reach_m(self, placement: str, direction: str) -> float:
        """The largest distance any rule of this placement and direction requires."""
        return max(
            (r.min_m for r in self.rules if r.placement == placement and r.direction == direction),
            default=0.0,
        )

    def required(
        self,
        placement: str,
        direction: str,
        class_a: np.ndarray,
        dn_a: np.ndarray,
        class_b: np.ndarray,
        dn_b: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Required clear distance (m, 0 = no rule) and the governing rule's index.

        Every rule applying to a pair, in either order, counts and the largest
        distance wins: the notes under table 2.30 tighten the table.  A rule
        with a diameter condition is skipped when the diameter is unknown.
        """
        need = np.zeros(len(class_a))
        which = np.full(len(class_a), -1)
        largest = np.maximum(dn_a, dn_b)
        for index, rule in enumerate(self.rules):
            if rule.placement != placement or rule.direction != direction:
                continue
            for ca, da, cb in ((class_a, dn_a, class_b), (class_b, dn_b, class_a)):
                applies = (ca == rule.class_a) & (cb == rule.class_b)
                if rule.dn_of:
                    dn = da if rule.dn_of == "a" else largest
                    low = -np.inf if rule.dn_min_mm is None else rule.dn_min_mm
                    high = np.inf if rule.dn_max_mm is None else rule.dn_max_mm
                    with np.errstate(invalid="ignore"):
                        applies &= (dn >= low) & (dn <= high)
                stricter = applies & (rule.min_m > need)
                need[stricter] = rule.min_m
                which[stricter] = index
        return need, which


@cache
def _packaged_rules() -> ClearanceRules:
    return _read_rules(None)


def load_clearance_rules(path: str | Path | None = None) -> ClearanceRules:
    """Read the clearance table (the packaged one unless ``path`` is given)."""
    return _packaged_rules() if path is None else _read_rules(path)


def _read_rules(path) -> ClearanceRules:
    rules, problems = [], []
    for row in read_data_rows("clearances.csv", path):
        where = f"clearances.csv rule {row['rule_id']}"
        if row["direction"] not in _DIRECTIONS:
            problems.append(
                Problem(
                    field="direction",
                    rule="one_of",
                    feature=where,
                    message=f"direction must be one of {_DIRECTIONS}",
                )
            )
        if row["dn_of"] not in ("", "a", "max"):
            problems.append(
                Problem(
                    field="dn_of",
                    rule="one_of",
                    feature=where,
                    message="dn_of must be empty, 'a' or 'max'",
                )
            )
        try:
            rules.append(
                ClearanceRule(
                    rule_id=row["rule_id"],
                    placement=row["placement"],
                    direction=row["direction"],
                    class_a=row["class_a"],
                    class_b=row["class_b"],
                    min_m=float(row["min_m"]),
                    dn_min_mm=_float_or_none(row["dn_min_mm"]),
                    dn_max_mm=_float_or_none(row["dn_max_mm"]),
                    dn_of=row["dn_of"],
                    source=row["source"],
                    caveat=row["caveat"],
                )
            )
        except ValueError as error:
            problems.append(
                Problem(field="min_m", rule="number", feature=where, message=str(error))
            )
    if problems:
        raise InvalidInput("The clearance table is not valid", problems)
    return ClearanceRules(rules)


def check_clearances(
    assets: Sequence[Asset] | AssetTable,
    *,
    rules: ClearanceRules | None = None,
    tolerances: Tolerances = _DEFAULT,
) -> list[Finding]:
    """Pairs of utilities closer to one another than the rule table allows.

    Parameters
    ----------
    assets : sequence of Asset or AssetTable
        Utility lines in a metric CRS (m); other assets are ignored.
    rules : ClearanceRules, optional
        Defaults to ``data/clearances.csv``.
    tolerances : Tolerances
        ``crossing_angle_deg`` and ``min_length_m`` (shorter runs are ignored).

    Returns
    -------
    list of Finding
        Kind ``clearance``; ``high`` severity below half the required distance.
    """
    table = asset_table(assets)
    rules = rules or load_clearance_rules()
    lines = table.lines() & (table.classes != "")
    findings = []
    for placement in np.unique(table.placements[lines]).tolist():
        chosen = np.flatnonzero(lines & (table.placements == placement))
        horizontal = rules.reach_m(placement, "horizontal")
        if not horizontal and not rules.reach_m(placement, "vertical"):
            continue
        # One spatial join serves both directions: crossings are within any reach.
        reach = horizontal + 2 * float(np.nanmax(_radii_m(table, chosen))) if horizontal else 0.0
        a, b = _near_pairs(table, chosen, reach)
        findings += _horizontal(table, a, b, rules, placement, tolerances)
        findings += _vertical(table, a, b, rules, placement)
    return findings


def _radii_m(table: AssetTable, index: np.ndarray) -> np.ndarray:
    return np.nan_to_num(table.diameter_mm[index]) / 2000.0


def _near_pairs(table: AssetTable, chosen: np.ndarray, reach_m: float):
    """Pairs of chosen assets (indices into the table, each pair once) within ``reach_m``."""
    tree = STRtree(table.geometries[chosen])
    i, j = tree.query(table.geometries[chosen], predicate="dwithin", distance=reach_m)
    keep = i < j
    return chosen[i[keep]], chosen[j[keep]]


def _ruled(table: AssetTable, a, b, rules: ClearanceRules, placement: str, direction: str):
    """The pairs some rule applies to, with the required distance and the rule's index."""
    need, which = rules.required(
        placement,
        direction,
        table.classes[a],
        table.diameter_mm[a],
        table.classes[b],
        table.diameter_mm[b],
    )
    ruled = need > 0
    return a[ruled], b[ruled], need[ruled], which[ruled]


def _clearance_finding(table, a, b, rule: ClearanceRule, where, clear: float, **measures):
    return new_finding(
        "clearance",
        rule.describe(),
        where,
        severity="high" if clear < rule.min_m / 2 else "medium",
        involved=(table.ref(a), table.ref(b)),
        details={
            "required_m": rule.min_m,
            "clear_m": round(float(clear), 3),
            "direction": rule.direction,
            "placement": rule.placement,
            "feature_types": [table.feature_types[a], table.feature_types[b]],
            "caveat": rule.caveat,
        },
        **measures,
    )


def _horizontal(table, a, b, rules, placement, tolerances) -> list[Finding]:
    a, b, need, which = _ruled(table, a, b, rules, placement, "horizontal")
    radii = _radii_m(table, a) + _radii_m(table, b)
    geom_a, geom_b = table.geometries[a], table.geometries[b]
    close = shapely.distance(geom_a, geom_b) - radii < need
    a, b, need, which, radii = a[close], b[close], need[close], which[close], radii[close]
    geom_a, geom_b = geom_a[close], geom_b[close]
    axis = need + radii
    run = shapely.intersection(geom_a, shapely.buffer(geom_b, axis, quad_segs=4))
    crossing = shapely.intersection(geom_a, geom_b)
    crossed = ~shapely.is_empty(crossing)
    reach_x = axis / math.sin(math.radians(tolerances.crossing_angle_deg))
    run[crossed] = shapely.difference(
        run[crossed], shapely.buffer(crossing[crossed], reach_x[crossed], quad_segs=4)
    )
    lengths = shapely.length(run)
    findings = []
    for k in np.flatnonzero(lengths >= tolerances.min_length_m):
        clear = float(shapely.distance(run[k], geom_b[k]) - radii[k])
        findings.append(
            _clearance_finding(
                table, a[k], b[k], rules.rules[which[k]], run[k], clear, length_m=float(lengths[k])
            )
        )
    return findings


def _vertical_gap(table: AssetTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Axis-to-axis vertical distance (m): elevations, else depths or heights; nan if unknown."""
    both_elev = np.abs(table.elevation_m[a] - table.elevation_m[b])
    relative = np.where(np.isnan(table.height_m), -table.depth_m, table.height_m)
    both_rel = np.abs(relative[a] - relative[b])
    return np.where(np.isnan(both_elev), both_rel, both_elev)


def _vertical(table, a, b, rules, placement) -> list[Finding]:
    a, b, need, which = _ruled(table, a, b, rules, placement, "vertical")
    clear = _vertical_gap(table, a, b) - _radii_m(table, a) - _radii_m(table, b)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(clear < need)
    # Lines that only touch (a branch joining a main) do not cross.
    bad = bad[shapely.crosses(table.geometries[a[bad]], table.geometries[b[bad]])]
    where = shapely.intersection(table.geometries[a[bad]], table.geometries[b[bad]])
    return [
        _clearance_finding(table, a[k], b[k], rules.rules[which[k]], where[n], clear[k])
        for n, k in enumerate(bad)
    ]
