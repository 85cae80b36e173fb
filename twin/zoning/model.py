"""Plain records for plan reconciliation: plans, their features, assets and findings.

Every geometry is a shapely 2 geometry in a metric CRS (metres): the loader at the
edge projects from the WGS 84 storage to the VN-2000 zone of the data set, so areas
come out in m² and lengths in m without further conversion.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from twin.errors import InvalidInput, Problem
from twin.i18n import Message

__all__ = [
    "DECISION_STATUSES",
    "FINDING_KINDS",
    "LEVELS",
    "LEVEL_RANK",
    "PLACEMENTS",
    "PLAN_STATUSES",
    "SEVERITIES",
    "Asset",
    "Corridor",
    "Decision",
    "Finding",
    "Plan",
    "RedLine",
    "Zone",
    "levels_refused",
    "new_finding",
    "zone_ref",
]

#: Plan levels of Law 47/2024/QH15, highest first; a lower plan follows a higher one.
LEVELS = ("general", "zoning", "detailed")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PLAN_STATUSES = ("draft", "approved", "superseded")
PLACEMENTS = ("underground", "overhead", "surface")
SEVERITIES = ("high", "medium", "low")
DECISION_STATUSES = ("resolved", "accepted")

#: Stable identifiers of finding kinds with their usual severity.
FINDING_KINDS = {
    "invalid_geometry": "high",
    "unknown_code": "medium",
    "overlap": "high",
    "gap": "medium",
    "sliver": "low",
    "plan_overlap": "high",
    "incompatible_neighbour": "medium",
    "red_line_mismatch": "high",
    "corridor_mismatch": "medium",
    "land_use_conflict": "high",
    "road_not_followed": "high",
    "asset_in_planned_building": "high",
    "tree_in_road_widening": "medium",
    "pole_in_road_widening": "medium",
    "fiber_in_restricted_zone": "high",
    "clearance": "medium",
}


def _require(
    problems: list[Problem], ok: bool, feature: str, field_: str, rule: str, message: str
) -> None:
    if not ok:
        problems.append(Problem(field=field_, rule=rule, message=message, feature=feature))


def _raise_if(problems: list[Problem], what: str) -> None:
    if problems:
        raise InvalidInput(f"{what} is not valid", problems)


@dataclass(frozen=True)
class Zone:
    """A land-use zone of a plan.

    ``code`` is the code drawn on the plan: a national land-use code of Circular
    08/2024/TT-BTNMT, or a legend code of the plan mapped to one by ``Plan.legend``.
    """

    id: str
    code: str | None
    geometry: BaseGeometry
    name: str | None = None


@dataclass(frozen=True)
class RedLine:
    """A planned road red line (chỉ giới đường đỏ), the edge of a road's right of way."""

    id: str
    geometry: BaseGeometry
    road_name: str | None = None


@dataclass(frozen=True)
class Corridor:
    """A planned utility corridor: its centre line and width (m), e.g. a 110 kV line."""

    id: str
    kind: str
    geometry: BaseGeometry
    width_m: float | None = None


@dataclass(frozen=True, eq=False)
class Plan:
    """One version of an urban plan.

    Plans compare by identity (their geometry is heavy); compare ``id`` and
    ``version`` to tell two copies apart.  ``boundary`` is the planning area; when it
    is missing the union of the zones stands for it, and only holes between zones
    and narrow strips between them open to the edge can then count as gaps.
    """

    id: str
    level: str
    name: str
    zones: tuple[Zone, ...]
    red_lines: tuple[RedLine, ...] = ()
    corridors: tuple[Corridor, ...] = ()
    status: str = "draft"
    version: int = 1
    decision_number: str | None = None
    decision_date: date | None = None
    boundary: BaseGeometry | None = None
    legend: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("zones", "red_lines", "corridors"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        problems: list[Problem] = []
        feature = f"plan {self.id}"
        _require(
            problems,
            self.level in LEVELS,
            feature,
            "level",
            "one_of",
            f"level {self.level!r} is not one of {', '.join(LEVELS)}",
        )
        _require(
            problems,
            self.status in PLAN_STATUSES,
            feature,
            "status",
            "one_of",
            f"status {self.status!r} is not one of {', '.join(PLAN_STATUSES)}",
        )
        for name in ("zones", "red_lines", "corridors"):
            ids = [item.id for item in getattr(self, name)]
            _require(
                problems,
                len(ids) == len(set(ids)),
                feature,
                name,
                "unique_ids",
                f"{name} ids repeat: ids must be unique within a plan",
            )
        _raise_if(problems, f"Plan {self.id}")


def zone_ref(plan_id: str, zone_id: str) -> str:
    """The qualified id of a zone, as findings list it: ``zone:<plan>/<zone>``."""
    return f"zone:{plan_id}/{zone_id}"


@dataclass(frozen=True)
class Asset:
    """An existing or planned asset, as the plan checks need it.

    ``depth_m`` is the depth of the axis below ground, ``height_m`` the height of an
    overhead line above ground and ``elevation_m`` the absolute elevation of the axis:
    vertical clearances use elevations when both assets have one, else depths or
    heights.  ``diameter_mm`` is the nominal diameter (DN) or the cable's outer
    diameter; clearances are measured wall to wall, so it is subtracted.
    """

    code: str
    feature_type: str
    geometry: BaseGeometry
    placement: str = "underground"
    status: str = "existing"
    depth_m: float | None = None
    height_m: float | None = None
    elevation_m: float | None = None
    diameter_mm: float | None = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        _require(
            problems,
            self.placement in PLACEMENTS,
            f"asset {self.code}",
            "placement",
            "one_of",
            f"placement {self.placement!r} is not one of {', '.join(PLACEMENTS)}",
        )
        _raise_if(problems, f"Asset {self.code}")


def _measure_key(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return str(round(value))


@dataclass(frozen=True)
class Finding:
    """A located conflict.

    Parameters
    ----------
    kind : str
        A key of ``FINDING_KINDS``.
    severity : str
        ``high``, ``medium`` or ``low``.
    rule : str
        The rule broken, in words, naming its source.
    geometry : shapely geometry
        Where the conflict is, in the metric CRS of the inputs.
    plan_ids : tuple of str
        The plans involved.
    involved : tuple of str
        Qualified ids of the features involved (``zone:<plan>/<zone>``,
        ``red_line:<plan>/<id>``, ``asset:<code>`` ...), sorted.
    area_m2, length_m : float or None
        The size of the conflict, in m² for areas and m for lines.
    details : mapping
        Extra facts (codes, required and actual distances) as plain JSON values.
    status, note : str
        ``open`` until a planner marks it ``resolved`` or ``accepted`` with a note.
    """

    kind: str
    severity: str
    rule: str
    geometry: BaseGeometry
    plan_ids: tuple[str, ...] = ()
    involved: tuple[str, ...] = ()
    area_m2: float | None = None
    length_m: float | None = None
    details: Mapping = field(default_factory=dict)
    status: str = "open"
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "plan_ids", tuple(sorted(set(self.plan_ids))))
        object.__setattr__(self, "involved", tuple(sorted(set(self.involved))))

    @cached_property
    def fingerprint(self) -> str:
        """A stable key: kind, involved ids and the geometry rounded to 1 m (computed once).

        The geometry counts by its centroid snapped to a 1 m grid and its area or
        length rounded to whole m² or m, so re-running the checks on unchanged
        plans gives the same key while any real edit of the conflict changes it.
        """
        centroid = shapely.centroid(self.geometry)
        where = "empty" if centroid.is_empty else f"{round(centroid.x)},{round(centroid.y)}"
        text = "|".join(
            (
                self.kind,
                ",".join(self.involved),
                where,
                _measure_key(self.area_m2),
                _measure_key(self.length_m),
            )
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

    def to_dict(self) -> dict:
        """The finding as JSON values; the geometry as a GeoJSON-like mapping."""
        return {
            "fingerprint": self.fingerprint,
            "kind": self.kind,
            "severity": self.severity,
            "rule": self.rule,
            "plan_ids": list(self.plan_ids),
            "involved": list(self.involved),
            "area_m2": None if self.area_m2 is None else round(self.area_m2, 2),
            "length_m": None if self.length_m is None else round(self.length_m, 2),
            "details": dict(self.details),
            "status": self.status,
            "note": self.note,
            "geometry": _json_mapping(self.geometry),
        }


def levels_refused(summary: str, rule: str, plan: Plan, message: str) -> InvalidInput:
    """The refusal of a check given two plans whose levels it does not compare."""
    return InvalidInput(
        summary,
        [Problem(field="level", rule=rule, feature=f"plan {plan.id}", message=message)],
    )


def new_finding(
    kind: str,
    rule: str | Message,
    geometry: BaseGeometry,
    *,
    severity: str | None = None,
    **fields,
) -> Finding:
    """A finding of ``kind`` with the kind's usual severity unless one is given.

    A ``rule`` given as a :class:`twin.i18n.Message` is stored in English and,
    in ``details["rule_message"]``, as the message and its values, so the
    planners' page shows it in Vietnamese.
    """
    if kind not in FINDING_KINDS:
        raise ValueError(f"unknown finding kind {kind!r}")
    if isinstance(rule, Message):
        fields["details"] = {**fields.get("details", {}), "rule_message": rule.to_json()}
        rule = str(rule)
    return Finding(
        kind=kind, severity=severity or FINDING_KINDS[kind], rule=rule, geometry=geometry, **fields
    )


def _json_mapping(geometry: BaseGeometry) -> dict:
    """A GeoJSON-like mapping with lists instead of tuples, rounded to 1 mm."""

    def _lists(value):
        if isinstance(value, (tuple, list)):
            return [_lists(item) for item in value]
        if isinstance(value, float):
            return round(value, 3)
        if isinstance(value, dict):
            return {key: _lists(item) for key, item in value.items()}
        return value

    return _lists(mapping(geometry))


@dataclass(frozen=True)
class Decision:
    """A planner's decision on a finding, kept across runs by the finding's fingerprint."""

    fingerprint: str
    status: str
    note: str
    decided_by: str | None = None
    decided_at: str | None = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        feature = f"decision {self.fingerprint}"
        _require(
            problems,
            self.status in DECISION_STATUSES,
            feature,
            "status",
            "one_of",
            f"status {self.status!r} is not one of {', '.join(DECISION_STATUSES)}",
        )
        _require(
            problems,
            bool(self.note and self.note.strip()),
            feature,
            "note",
            "required",
            "a planner's decision needs a note saying why",
        )
        _raise_if(problems, "Decision")

    def to_dict(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "status": self.status,
            "note": self.note,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
        }
