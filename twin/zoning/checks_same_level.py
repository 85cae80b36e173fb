"""Checks between neighbouring plans of the same level.

Law 47/2024/QH15 asks plans of one level to agree where they meet: no land
planned twice, compatible land use across the shared boundary, and road red
lines and utility corridors that continue from one plan into the next.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely import STRtree

from twin.i18n import N_, Message
from twin.zoning.codes import Compatibility, load_compatibility
from twin.zoning.geometry import interior_overlaps
from twin.zoning.layout import plan_layout
from twin.zoning.model import Finding, Plan, levels_refused, new_finding
from twin.zoning.tolerances import Tolerances
from twin.zoning.wording import fixed

__all__ = [
    "are_neighbours",
    "check_same_level",
    "incompatible_neighbours",
    "line_mismatches",
    "plan_overlaps",
]

_DEFAULT = Tolerances()


def are_neighbours(plan_a: Plan, plan_b: Plan, *, tolerances: Tolerances = _DEFAULT) -> bool:
    """Whether the planning areas of two plans touch or come within the snap distance."""
    extent_a, extent_b = plan_layout(plan_a).extent, plan_layout(plan_b).extent
    return bool(shapely.dwithin(extent_a, extent_b, tolerances.neighbour_snap_m))


def check_same_level(
    plan_a: Plan,
    plan_b: Plan,
    *,
    tolerances: Tolerances = _DEFAULT,
    compatibility: Compatibility | None = None,
) -> list[Finding]:
    """Every finding between two plans of the same level.

    Returns
    -------
    list of Finding
        Kinds ``plan_overlap``, ``incompatible_neighbour``, ``red_line_mismatch``
        and ``corridor_mismatch``; empty when the plans are not neighbours.

    Raises
    ------
    InvalidInput
        When the plans are of different levels.
    """
    if plan_a.level != plan_b.level:
        raise levels_refused(
            "Plans of different levels are not checked side by side",
            "same_level",
            plan_b,
            f"{plan_a.id} is {plan_a.level}, {plan_b.id} is {plan_b.level}",
        )
    if not are_neighbours(plan_a, plan_b, tolerances=tolerances):
        return []
    return [
        *plan_overlaps(plan_a, plan_b, tolerances=tolerances),
        *incompatible_neighbours(
            plan_a, plan_b, tolerances=tolerances, compatibility=compatibility
        ),
        *line_mismatches(plan_a, plan_b, tolerances=tolerances),
        *line_mismatches(plan_a, plan_b, tolerances=tolerances, lines="corridors"),
    ]


def plan_overlaps(
    plan_a: Plan, plan_b: Plan, *, tolerances: Tolerances = _DEFAULT
) -> list[Finding]:
    """Land that both plans designate: one finding per overlapping pair of zones."""
    a, b = plan_layout(plan_a), plan_layout(plan_b)
    ia, ib, pieces = interior_overlaps(
        a.zones, b.zones, b.tree, min_area_m2=tolerances.min_area_m2, min_width_m=tolerances.snap_m
    )
    return [
        new_finding(
            "plan_overlap",
            Message(N_("plans of one level must not designate the same land")),
            pieces[k],
            plan_ids=(plan_a.id, plan_b.id),
            involved=(a.refs[i], b.refs[j]),
            area_m2=float(pieces[k].area),
            details={"codes": [a.codes[i] or None, b.codes[j] or None]},
        )
        for k, (i, j) in enumerate(zip(ia, ib, strict=True))
    ]


def incompatible_neighbours(
    plan_a: Plan,
    plan_b: Plan,
    *,
    tolerances: Tolerances = _DEFAULT,
    compatibility: Compatibility | None = None,
) -> list[Finding]:
    """Zones of two plans that meet with land uses the matrix keeps apart."""
    compatibility = compatibility or load_compatibility()
    a, b = plan_layout(plan_a), plan_layout(plan_b)
    ia, ib = b.tree.query(a.zones, predicate="dwithin", distance=tolerances.neighbour_snap_m)
    verdicts = [
        compatibility.compatible_neighbours(a.codes[i], b.codes[j])
        if a.codes[i] and b.codes[j]
        else (True, "")
        for i, j in zip(ia, ib, strict=True)
    ]
    bad = np.array([not ok for ok, _ in verdicts], dtype=bool)
    if not bad.any():
        return []
    ia, ib = ia[bad], ib[bad]
    notes = [note for ok, note in verdicts if not ok]
    shared = shapely.intersection(
        shapely.boundary(a.zones[ia]), shapely.buffer(b.zones[ib], tolerances.neighbour_snap_m)
    )
    lengths = shapely.length(shared)
    return [
        new_finding(
            "incompatible_neighbour",
            Message(
                N_("%(code)s may not meet %(other)s across the plan boundary: %(note)s"),
                {"code": a.codes[i], "other": b.codes[j], "note": notes[k]},
            ),
            shared[k],
            plan_ids=(plan_a.id, plan_b.id),
            involved=(a.refs[i], b.refs[j]),
            length_m=float(lengths[k]),
            details={"codes": [a.codes[i], b.codes[j]]},
        )
        for k, (i, j) in enumerate(zip(ia, ib, strict=True))
        if lengths[k] >= tolerances.min_shared_length_m
    ]


def _seam_ends(lines: np.ndarray, other_extent, seam_m: float):
    """Start and end points of ``lines`` lying within ``seam_m`` of the other plan."""
    ends = np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    owner = np.concatenate([np.arange(len(lines)), np.arange(len(lines))])
    near = shapely.dwithin(ends, other_extent, seam_m)
    return ends[near], owner[near]


def _unjoined(lines, refs, other_lines, other_refs, other_extent, tolerances):
    """(own ref, other ref or None, offset line or point, offset m) for unjoined ends."""
    ends, owner = _seam_ends(lines, other_extent, tolerances.seam_distance_m)
    if not len(ends):
        return []
    tree = STRtree(other_lines)
    (end_index, line_index), offsets = tree.query_nearest(
        ends, max_distance=tolerances.red_line_search_m, return_distance=True, all_matches=False
    )
    found = {
        int(k): (int(j), float(d)) for k, j, d in zip(end_index, line_index, offsets, strict=True)
    }
    result = []
    for k, end in enumerate(ends):
        if k not in found:
            result.append((refs[owner[k]], None, end, None))
        elif found[k][1] > tolerances.red_line_tolerance_m:
            j, offset = found[k]
            result.append(
                (refs[owner[k]], other_refs[j], shapely.shortest_line(end, other_lines[j]), offset)
            )
    return result


_LINE_KINDS = {  # attribute of the layout -> (finding kind, words, refs attribute)
    "red_lines": ("red_line_mismatch", "red line", "red_line_refs"),
    "corridors": ("corridor_mismatch", "utility corridor", "corridor_refs"),
}


def _worst_per_pair(found) -> list[tuple]:
    """One unjoined end per pair of lines (or per lone line): the largest offset."""
    worst: dict[tuple, tuple] = {}
    for own, other, where, offset in found:
        key = (own,) if other is None else tuple(sorted((own, other)))
        if key not in worst or (offset or 0) > (worst[key][3] or 0):
            worst[key] = (own, other, where, offset)
    return list(worst.values())


def line_mismatches(
    plan_a: Plan, plan_b: Plan, *, tolerances: Tolerances = _DEFAULT, lines: str = "red_lines"
) -> list[Finding]:
    """Red lines (or, with ``lines="corridors"``, utility corridors) not joining at the seam.

    An end of a line of one plan lying within ``seam_distance_m`` of the other
    plan must meet a line of the other plan within ``red_line_tolerance_m``;
    otherwise the finding gives the offset to the nearest line within
    ``red_line_search_m`` or, when there is none, says the line stops at the
    seam.  Both directions are tested; one finding is kept per pair of lines.
    """
    kind, what, refs = _LINE_KINDS[lines]
    a, b = plan_layout(plan_a), plan_layout(plan_b)
    geoms_a, geoms_b = getattr(a, lines), getattr(b, lines)
    refs_a, refs_b = getattr(a, refs), getattr(b, refs)
    found = _unjoined(geoms_a, refs_a, geoms_b, refs_b, b.extent, tolerances)
    found += _unjoined(geoms_b, refs_b, geoms_a, refs_a, a.extent, tolerances)
    findings = []
    for own, other, where, offset in _worst_per_pair(found):
        if other is None:
            rule = Message(
                N_("a %(what)s must continue across the plan boundary: none within %(metres)s m"),
                {"what": fixed(what), "metres": tolerances.red_line_search_m},
            )
        else:
            rule = Message(
                N_(
                    "%(what)ss of neighbouring plans must join within %(metres)s m: "
                    "offset %(offset)s m"
                ),
                {
                    "what": fixed(what),
                    "metres": tolerances.red_line_tolerance_m,
                    "offset": f"{offset:.2f}",
                },
            )
        findings.append(
            new_finding(
                kind,
                rule,
                where,
                plan_ids=(plan_a.id, plan_b.id),
                involved=(own,) if other is None else (own, other),
                length_m=None if offset is None else float(offset),
                details={} if offset is None else {"offset_m": round(float(offset), 3)},
            )
        )
    return findings
