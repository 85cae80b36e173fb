"""Trees at risk near power lines and roads: which trees, and how risky, first.

A tree matters when it could reach a power line or a road: its crown inside
the line's protection corridor (the corridor's width by voltage, plus the
crown's radius), or the road within the reach of its fall (its height).
Its risk is the TRAQ rating of its latest inspection where there is one,
otherwise a screening estimate from size, age, condition and species — and
each row says which, so an estimate is never taken for an assessment.

The rule values (corridor widths, reach, thresholds) come from
``twin/live/data/tree_risk.json`` with their sources; this module takes
them as a :class:`TreeRules` and plain dicts, and returns plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RISK_ORDER", "TreeRules", "estimated_risk", "power_corridor_m", "rank_trees"]

#: TRAQ risk ratings, lowest first.
RISK_ORDER = ("low", "medium", "high", "extreme")


@dataclass(frozen=True)
class TreeRules:
    """The rule values: corridor widths [m] by voltage [kV], reach and estimate thresholds."""

    corridors: tuple[tuple[float, float], ...]
    height_factor: float
    dead_height_factor: float
    height_unknown_m: float
    large_trunk_cm: float
    very_large_trunk_cm: float
    tall_m: float
    old_years: float
    storm_prone: frozenset[str]

    @classmethod
    def from_data(cls, data: dict) -> TreeRules:
        """The rules from the data file's dict (``tree_risk.json``)."""
        reach, guess = data["road_reach"], data["estimate"]
        return cls(
            corridors=tuple((r["up_to_kv"], r["metres"])
                            for r in data["power_corridor"]["by_voltage_kv"]),
            height_factor=reach["height_factor"], dead_height_factor=reach["dead_height_factor"],
            height_unknown_m=reach["height_unknown_m"], large_trunk_cm=guess["large_trunk_cm"],
            very_large_trunk_cm=guess["very_large_trunk_cm"], tall_m=guess["tall_m"],
            old_years=guess["old_years"],
            storm_prone=frozenset(n.lower() for n in guess["storm_prone_species"]["names"]))


def power_corridor_m(rules: TreeRules, voltage_kv: float | None) -> float:
    """The protection corridor [m] each side of a line of ``voltage_kv`` (the widest if unknown).

    >>> rules = TreeRules(((22, 2.0), (35, 3.0)), 1, 1.5, 10, 60, 100, 15, 50, frozenset())
    >>> power_corridor_m(rules, 0.4), power_corridor_m(rules, 35), power_corridor_m(rules, None)
    (2.0, 3.0, 3.0)
    """
    if voltage_kv is None:
        return max(m for _, m in rules.corridors)
    for up_to, metres in rules.corridors:
        if voltage_kv <= up_to:
            return metres
    return rules.corridors[-1][1]


def estimated_risk(rules: TreeRules, tree: dict) -> tuple[str, list[str]]:
    """A screening risk (low … high) from ``tree``'s size, age, condition and species,
    and the reasons (``large``, ``old``, ``poor``, ``dead``, ``storm_prone``).

    ``tree`` has ``trunk_diameter_cm``, ``height_m``, ``age_years``,
    ``condition`` and ``species_scientific`` (any may be None).

    >>> rules = TreeRules(((22, 2.0),), 1, 1.5, 10, 60, 100, 15, 50,
    ...                   frozenset({"khaya senegalensis"}))
    >>> estimated_risk(rules, {"trunk_diameter_cm": 80, "height_m": 18, "age_years": 60,
    ...                        "condition": "fair", "species_scientific": "Khaya senegalensis"})
    ('high', ['large', 'old', 'storm_prone'])
    >>> estimated_risk(rules, {"trunk_diameter_cm": 20, "height_m": 6, "age_years": 5,
    ...                        "condition": "good", "species_scientific": "Lagerstroemia"})
    ('low', [])
    """
    trunk, height = tree.get("trunk_diameter_cm") or 0, tree.get("height_m") or 0
    reasons = []
    if trunk >= rules.very_large_trunk_cm:
        reasons.append("very_large")
    elif trunk >= rules.large_trunk_cm or height >= rules.tall_m:
        reasons.append("large")
    if (tree.get("age_years") or 0) >= rules.old_years:
        reasons.append("old")
    if tree.get("condition") in ("poor", "dead"):
        reasons.append(tree["condition"])
    if (tree.get("species_scientific") or "").strip().lower() in rules.storm_prone:
        reasons.append("storm_prone")
    points = len(reasons) + ("very_large" in reasons) + ("dead" in reasons)
    return ("low" if points == 0 else "medium" if points <= 2 else "high"), reasons


def _reach_m(rules: TreeRules, tree: dict) -> float:
    factor = rules.dead_height_factor if tree.get("condition") == "dead" else rules.height_factor
    return factor * (tree.get("height_m") or rules.height_unknown_m)


def _near(rules: TreeRules, tree: dict) -> list[dict]:
    """What the tree could reach: lines whose corridor its crown enters, roads in its fall."""
    crown = (tree.get("crown_diameter_m") or 0) / 2
    found = [{"kind": "power_line", "code": line["code"], "voltage_kv": line["voltage_kv"],
              "distance_m": line["distance_m"]}
             for line in tree.get("lines") or []
             if line["distance_m"] <= power_corridor_m(rules, line["voltage_kv"]) + crown]
    road = tree.get("road")
    if road and road["distance_m"] <= _reach_m(rules, tree):
        found.append({"kind": "road", "code": road["code"], "name": road.get("name"),
                      "distance_m": road["distance_m"]})
    return found


def rank_trees(rules: TreeRules, trees: list[dict], *, top: int = 25) -> list[dict]:
    """The trees near a power line or a road, riskiest first, each saying where its risk is from.

    Each tree dict has its attributes (see :func:`estimated_risk`), ``code``,
    ``lines`` (overhead lines nearby: ``code``, ``voltage_kv``, ``distance_m``),
    ``road`` (the nearest road: ``code``, ``name``, ``distance_m``, or None),
    and ``inspected_risk`` and ``inspected_on`` from its latest TRAQ inspection
    (None if never assessed).  A tree near a power line comes before one near
    a road only, at the same risk.
    """
    out = []
    for tree in trees:
        near = _near(rules, tree)
        if not near:
            continue
        if tree.get("inspected_risk") in RISK_ORDER:
            risk, source, reasons = tree["inspected_risk"], "inspection", []
        else:
            (risk, reasons), source = estimated_risk(rules, tree), "estimate"
        out.append({
            "code": tree["code"], "species": tree.get("species_scientific"),
            "risk": risk, "risk_from": source,
            "inspected_on": tree.get("inspected_on") if source == "inspection" else None,
            "estimate_reasons": reasons, "near": near,
            "near_power_line": any(n["kind"] == "power_line" for n in near),
        })
    out.sort(key=lambda r: (-RISK_ORDER.index(r["risk"]), not r["near_power_line"],
                            min(n["distance_m"] for n in r["near"]), r["code"]))
    return out[:top]
