"""Tolerances of the plan checks, in metres and square metres.

Plans are drawn at 1/500 to 1/10 000: 0.2 mm on paper, the usual drafting
accuracy, is 0.1 m at 1/500, 0.4 m at 1/2000 and 2 m at 1/10 000.  The defaults
below follow from that.

What a *gap* and a *sliver* are
-------------------------------
An uncovered piece of the planning area (a hole between zones, or a part of the
plan boundary no zone covers) is

* **noise**, and not reported, when its area is below ``min_area_m2`` or it is
  nowhere wider than ``snap_m`` (a negative buffer of ``snap_m / 2`` leaves
  nothing): digitising jitter along shared edges;
* a **sliver** when it is wider than ``snap_m`` somewhere but nowhere wider than
  ``sliver_width_m``: a thin strip left by zones that were drawn not to meet;
* a **gap** otherwise: land the plan forgot to designate.

Without a plan boundary, the planning area is the zones with what lies
between them: the holes they enclose, and the strips between zones that
open to the plan's edge and are narrower than ``slot_width_m`` (found by
closing the zones by half of it, so two blocks drawn 4 m apart leave a gap,
not an outside).

The width of a polygon here is twice the radius of the largest disc it holds,
tested with a negative buffer; the area/perimeter ratio (the "thinness" reported
in the details) is given as a second, cheaper indication.  Overlaps of zones use
the same noise rule.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from twin.errors import InvalidInput, Problem

__all__ = ["Tolerances"]


@dataclass(frozen=True)
class Tolerances:
    """Thresholds of the plan checks (metres, m², degrees).

    Attributes
    ----------
    min_area_m2 : float
        Overlaps and gaps smaller than this are noise.
    snap_m : float
        Overlaps and gaps nowhere wider than this are noise (digitising jitter).
    sliver_width_m : float
        Gaps nowhere wider than this are slivers; wider ones are gaps.
    slot_width_m : float
        Plans without a boundary: strips between zones open to the plan's
        edge and narrower than this are uncovered planning area.
    neighbour_snap_m : float
        Zones of two plans closer than this share a boundary.
    min_shared_length_m : float
        Shared boundaries shorter than this (corner contacts) are ignored.
    red_line_tolerance_m : float
        Red lines and corridors of neighbouring plans must meet within this offset.
    seam_distance_m : float
        A red line ending this close to a neighbouring plan ends at the seam.
    red_line_search_m : float
        How far across the seam the continuation of a red line is looked for;
        beyond it a line is taken for another road edge (a road's far edge is
        usually 7 m or more away), and the red line is said to stop at the seam.
    hierarchy_width_m : float
        Overlaps between a lower and a higher plan nowhere wider than this are
        drawing differences, not land-use conflicts (2 m = 0.2 mm at 1/10 000).
    road_follow_m : float
        A higher plan's red line is followed when the lower plan has a road edge
        within this distance.
    min_road_length_m : float
        Unfollowed stretches of a higher plan's red line shorter than this are ignored.
    edge_m : float
        Zones are shrunk by this before assets are tested against them, to absorb
        the positional error of asset records along zone edges.
    min_length_m : float
        Lengths of assets inside a zone, or too close to one another, below this
        are ignored.
    crossing_angle_deg : float
        Two utilities meeting at a steeper angle cross (vertical clearance
        applies there); at a shallower angle they run parallel (horizontal
        clearance applies).
    """

    min_area_m2: float = 1.0
    snap_m: float = 0.1
    sliver_width_m: float = 2.0
    slot_width_m: float = 10.0
    neighbour_snap_m: float = 1.0
    min_shared_length_m: float = 5.0
    red_line_tolerance_m: float = 0.5
    seam_distance_m: float = 5.0
    red_line_search_m: float = 5.0
    hierarchy_width_m: float = 2.0
    road_follow_m: float = 5.0
    min_road_length_m: float = 10.0
    edge_m: float = 1.0
    min_length_m: float = 1.0
    crossing_angle_deg: float = 30.0

    def __post_init__(self) -> None:
        problems = [
            Problem(
                field=f.name,
                rule="non_negative",
                feature="tolerances",
                message=f"{f.name} must be zero or more, got {getattr(self, f.name)}",
            )
            for f in fields(self)
            if not getattr(self, f.name) >= 0
        ]
        if not 0 < self.crossing_angle_deg <= 90:
            problems.append(
                Problem(
                    field="crossing_angle_deg",
                    rule="range",
                    feature="tolerances",
                    message="crossing_angle_deg must lie in (0, 90]",
                )
            )
        if problems:
            raise InvalidInput("Tolerances are not valid", problems)
