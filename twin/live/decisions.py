"""Decision support: what to renew first, where fiber lags, which circuits fail,
which trees threaten power lines and roads.

Each function returns plain rows for a table, best candidates first, and
says where a figure comes from when an optional service is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.i18n import N_, Message

from .algorithms import TreeRules, rank_trees
from .services import optional, pipe_criticality

__all__ = [
    "CRITICALITY_SERVICE",
    "FIBER_COST_SERVICE",
    "INSPECTED_LIFE",
    "Note",
    "faulty_circuits",
    "fiber_gaps",
    "renewal_entry",
    "renewal_ranking",
    "trees_at_risk",
]

SERVICE_LIFE = Path(__file__).parent / "data" / "service_life.json"
TREE_RISK = Path(__file__).parent / "data" / "tree_risk.json"
CRITICALITY_SERVICE = "twin.network.rankings:criticality"
FIBER_COST_SERVICE = "twin.fiber.service:gap_costs"
LAMP_RULES = ("lamp_out",)
#: What a lamp check found that counts as a fault, and where lamp checks are kept.
LAMP_FOUND = ("out", "dim")
LAMP_CHECKS = "ops.inspection_lighting_light_lamp_check"
#: The share of its service life an inspected condition stands for (good … failed).
INSPECTED_LIFE = {"good": 0.25, "fair": 0.6, "poor": 0.9, "failed": 1.2}


@dataclass(frozen=True)
class Note(Message):
    """Where a figure comes from: an English message (marked for the catalogue)
    and its values, so each page shows it in its reader's language.

    ``missing`` says the figure is not available.
    """

    missing: bool = False


def _service_life() -> dict[str, float]:
    return json.loads(SERVICE_LIFE.read_text(encoding="utf-8"))["water_pipe"]


def renewal_entry(pipe: dict, life: dict[str, float], criticality: float, this_year: int) -> dict:
    """One pipe's row of the renewal ranking: score = (1 + criticality) × condition.

    ``pipe`` has ``code``, ``commune``, ``material``, ``install_year``,
    ``diameter_mm``, ``length_m`` and ``bursts`` (burst incidents in five
    years), and may have ``inspected_condition`` and ``last_inspected`` (an
    inspection's grade and date); ``life`` is the service life in years by
    material (``unknown`` for the rest).  Condition is the share of its life
    the inspected grade stands for (:data:`INSPECTED_LIFE`) where the pipe
    was inspected, otherwise age / service life (0.5 when the age is
    unknown), plus one per burst; ``condition_from`` says which.

    >>> life = {"hdpe": 50, "unknown": 50}
    >>> pipe = {"code": "P1", "commune": "X", "material": "hdpe", "install_year": 2000,
    ...         "diameter_mm": 200, "length_m": 12.34, "bursts": 1}
    >>> row = renewal_entry(pipe, life, 2.0, 2025)
    >>> row["condition"], row["score"], row["condition_from"]
    (1.5, 4.5, 'age')
    >>> renewal_entry({**pipe, "inspected_condition": "poor"}, life, 2.0, 2025)["condition"]
    1.9
    """
    age = this_year - pipe["install_year"] if pipe["install_year"] else None
    years = life.get(pipe["material"] or "unknown", life["unknown"])
    inspected = INSPECTED_LIFE.get(pipe.get("inspected_condition"))
    worn = inspected if inspected is not None else (age / years if age is not None else 0.5)
    condition = worn + pipe["bursts"]
    crit = float(criticality)
    return {
        "code": pipe["code"],
        "commune": pipe["commune"],
        "material": pipe["material"],
        "age_years": age,
        "service_life_years": years,
        "bursts_5y": pipe["bursts"],
        "diameter_mm": pipe["diameter_mm"],
        "length_m": round(pipe["length_m"] or 0, 1),
        "criticality": round(crit, 3),
        "condition": round(condition, 3),
        "condition_from": "age" if inspected is None else "inspection",
        "inspected_on": pipe.get("last_inspected") if inspected is not None else None,
        "score": round((1 + crit) * condition, 3),
    }


def renewal_ranking(session: Session, *, top: int = 25) -> tuple[list[dict], Note]:
    """Water pipes to renew first: (1 + criticality) × condition, with the method used.

    Condition is the consumed share of the material's service life: from the
    pipe's inspected condition where it was inspected, otherwise its age /
    life (from ``data/service_life.json``); raised by one for each burst
    incident on the pipe in five years.  Criticality is the network
    service's households-weighted N-1 score when installed, otherwise the
    pipe diameter in hundreds of millimetres (a bigger main feeds more); the
    one added keeps a pipe that cuts nobody off ranked by its condition.
    """
    life = _service_life()
    rows = session.execute(
        text(
            "SELECT p.code, p.material, p.install_year, p.diameter_mm, p.length_m, "
            "p.condition AS inspected_condition, p.last_inspected, "
            "coalesce(u.name, p.commune) AS commune, "
            "(SELECT count(*) FROM live.incident i WHERE i.outage -> 'assets' ? p.code "
            " AND i.opened_at >= now() - interval '5 years') AS bursts "
            "FROM assets.water_pipe p LEFT JOIN base.base_admin_unit u ON u.code = p.commune "
            "WHERE p.status = 'in_service'"
        )
    ).all()
    criticality = pipe_criticality(session)
    if criticality is not None:
        method = Note(
            N_(
                "N-1 criticality of the pipe's isolation group (households and critical "
                "facilities cut off)"
            )
        )
    else:
        criticality = {r.code: (r.diameter_mm or 100) / 100 for r in rows}
        method = Note(
            N_(
                "criticality from diameter (network criticality service %(service)s "
                "not installed)"
            ),
            {"service": CRITICALITY_SERVICE},
        )
    this_year = date.today().year
    out = [renewal_entry(r._asdict(), life, criticality.get(r.code, 0.0), this_year) for r in rows]
    out.sort(key=lambda x: (-x["score"], x["code"]))
    return out[:top], method


def _cost_note(costs) -> Note:
    """Where the cost column comes from, or why it is empty."""
    if costs is None:
        return Note(
            N_(
                "Plan cost unavailable: no fiber plan has been run yet; make one with the "
                "command 'twin fiber plan' or on the fiber plan page (/fiber/), and the "
                "newest plan fills this column"
            ),
            missing=True,
        )
    # Raw values (an aware time, VND as a number): the page writes them the reader's way.
    values = {"plan": costs.plan_id, "when": costs.saved or "?"}
    if not costs.unallocated_vnd:
        return Note(
            N_(
                "Cost from fiber plan %(plan)s of %(when)s: each extension of its build "
                "order charged to the villages it connects, by households; rings excluded"
            ),
            values,
        )
    return Note(
        N_(
            "Cost from fiber plan %(plan)s of %(when)s: each extension of its build "
            "order charged to the villages it connects, by households; rings excluded; "
            "%(vnd)s VND of trunk laid ahead of its villages is not charged to a commune"
        ),
        {**values, "vnd": round(costs.unallocated_vnd)},
    )


def fiber_gaps(
    session: Session, *, home: str | Path, target_households_pct: float = 80.0, top: int = 25
) -> tuple[list[dict], Note]:
    """Communes furthest from the fiber targets, and what closing the gap costs.

    A village has fiber when an access node in service names it (planned
    ones do not count, as in the KPI).  The cost is that of the newest fiber
    plan saved under ``home`` (``TWIN_HOME``), from the optional planning
    service: None for a commune the plan does not know; the note names the plan.
    """
    rows = session.execute(
        text(
            "SELECT v.commune, u.name, count(*) AS villages, count(*) FILTER (WHERE EXISTS ("
            " SELECT 1 FROM assets.telecom_access_node a WHERE a.village = v.code"
            " AND a.status = 'in_service')) AS connected, "
            "sum(v.households) AS households, sum(coalesce(v.fiber_households, 0)) AS fiber "
            "FROM base.base_village v LEFT JOIN base.base_admin_unit u ON u.code = v.commune "
            "GROUP BY v.commune, u.name"
        )
    ).all()
    service = optional(FIBER_COST_SERVICE)
    if service is None:
        costs = None
        note = Note(
            N_("Plan cost unavailable: fiber planning service %(service)s not installed"),
            {"service": FIBER_COST_SERVICE},
            missing=True,
        )
    else:
        costs = service(home)
        note = _cost_note(costs)
    out = []
    for r in rows:
        hh = r.households or 0
        pct = 100.0 * r.fiber / hh if hh else None
        missing_hh = max(0, round(target_households_pct / 100 * hh - r.fiber))
        cost = costs.cost_vnd.get(r.commune) if costs is not None else None
        unreachable = costs.unreachable.get(r.commune) if costs is not None else None
        out.append(
            {
                "commune": r.commune,
                "name": r.name,
                "villages": r.villages,
                "villages_without_fiber": r.villages - r.connected,
                "households": hh,
                "fiber_pct": None if pct is None else round(pct, 1),
                "households_to_target": missing_hh,
                "cost_vnd": None if cost is None else round(cost),
                "villages_unreachable": unreachable,
                "cost_plan": costs.plan_id if costs is not None else None,
            }
        )
    out.sort(
        key=lambda x: (-x["villages_without_fiber"], -x["households_to_target"], str(x["commune"]))
    )
    return out[:top], note


def faulty_circuits(session: Session, *, days: int = 30, top: int = 25) -> list[dict]:
    """Lighting circuits with the most lamp faults in the last ``days``.

    A fault is a lamp alarm raised (``alarm_faults``) or a lamp check that
    found a lamp out or dim (``inspected_faults``, :data:`LAMP_FOUND`);
    ``faults_from`` says which sources the count holds.
    """
    rows = session.execute(
        text(
            "WITH faults AS ("
            " SELECT a.asset_code AS code, 'alarm' AS source FROM live.alarm a"
            " WHERE a.rule_id = ANY(:rules) AND a.raised_at >= now() - make_interval(days => :days)"
            f" UNION ALL SELECT i.asset_code, 'inspection' FROM {LAMP_CHECKS} i"
            " WHERE i.lamp = ANY(:found)"
            " AND i.inspected_at >= now() - make_interval(days => :days)) "
            "SELECT l.circuit, l.cabinet, min(coalesce(u.name, l.commune)) AS commune, "
            "count(*) AS faults, count(*) FILTER (WHERE f.source = 'alarm') AS alarm_faults, "
            "count(*) FILTER (WHERE f.source = 'inspection') AS inspected_faults, "
            "count(DISTINCT l.code) AS lamps_faulted, "
            "(SELECT count(*) FROM assets.lighting_light x WHERE x.circuit = l.circuit "
            " AND x.cabinet IS NOT DISTINCT FROM l.cabinet) AS lamps "
            "FROM faults f JOIN assets.lighting_light l ON l.code = f.code "
            "LEFT JOIN base.base_admin_unit u ON u.code = l.commune "
            "WHERE l.circuit IS NOT NULL GROUP BY l.circuit, l.cabinet "
            "ORDER BY faults DESC, l.circuit LIMIT :top"
        ),
        {"rules": list(LAMP_RULES), "found": list(LAMP_FOUND), "days": days, "top": top},
    )
    return [{**r._mapping, "faults_from": _faults_from(r)} for r in rows]


def _faults_from(row) -> str:
    sources = [name for name, n in (("alarms", row.alarm_faults),
                                    ("inspections", row.inspected_faults)) if n]
    return "+".join(sources)


#: How far around a tree [degrees, about 75 m here] lines and roads are looked for.
_TREE_SEARCH_DEG = 0.0007
_TREES_NEAR = text(
    "SELECT t.code, t.species_scientific, t.trunk_diameter_cm, t.height_m, "
    "t.crown_diameter_m, t.condition, "
    "extract(year FROM now()) - extract(year FROM t.planting_date) AS age_years, "
    "(SELECT json_agg(json_build_object('code', l.code, 'voltage_kv', l.voltage_kv, "
    "  'distance_m', ST_Distance(t.geom::geography, l.geom::geography))) "
    " FROM assets.power_line l WHERE ST_DWithin(l.geom, t.geom, :deg) "
    " AND l.status = 'in_service' AND coalesce(l.placement, 'overhead') = 'overhead') AS lines, "
    "(SELECT json_build_object('code', r.code, 'name', r.name, "
    "  'distance_m', ST_Distance(t.geom::geography, r.geom::geography)) "
    " FROM base.base_road r WHERE ST_DWithin(r.geom, t.geom, :deg) "
    " ORDER BY r.geom <-> t.geom LIMIT 1) AS road, "
    "i.result AS inspected_risk, "
    "(i.inspected_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS inspected_on "
    "FROM assets.trees_tree t LEFT JOIN LATERAL (SELECT x.result, x.inspected_at "
    " FROM ops.inspection_trees_tree_traq x WHERE x.asset_id = t.id "
    " ORDER BY x.inspected_at DESC, x.id DESC LIMIT 1) i ON true "
    "WHERE t.status = 'in_service' AND (EXISTS (SELECT 1 FROM assets.power_line l "
    " WHERE ST_DWithin(l.geom, t.geom, :deg)) "
    " OR EXISTS (SELECT 1 FROM base.base_road r WHERE ST_DWithin(r.geom, t.geom, :deg)))"
)


def _tree_row(ranked: dict) -> dict:
    """One ranked tree flattened for the table and its CSV."""
    line = next((n for n in ranked["near"] if n["kind"] == "power_line"), None)
    road = next((n for n in ranked["near"] if n["kind"] == "road"), None)
    return {
        "code": ranked["code"], "species": ranked["species"], "risk": ranked["risk"],
        "risk_from": ranked["risk_from"],
        "inspected_on": ranked["inspected_on"] and ranked["inspected_on"].isoformat(),
        "estimate_reasons": " ".join(ranked["estimate_reasons"]),
        "power_line": line and line["code"], "power_line_kv": line and line["voltage_kv"],
        "power_line_m": line and round(line["distance_m"], 1),
        "road": road and (road["name"] or road["code"]),
        "road_m": road and round(road["distance_m"], 1),
    }


def trees_at_risk(session: Session, *, top: int = 25, lang: str = "en"
                  ) -> tuple[list[dict], Note]:
    """In-service trees that could reach an overhead power line or a road, riskiest first.

    A tree's crown within a line's protection corridor (by voltage), or a
    road within its height, puts it in the table; its risk is its latest
    TRAQ inspection's rating, otherwise a screening estimate from size, age,
    condition and species (:mod:`twin.live.algorithms.tree_risk`).  Each row
    says which in ``risk_from`` (``inspection`` with ``inspected_on``, or
    ``estimate`` with its reasons); the note names the rules' sources (in
    Vietnamese with ``lang="vi"``).
    """
    data = json.loads(TREE_RISK.read_text(encoding="utf-8"))
    trees = [dict(r._mapping) for r in session.execute(_TREES_NEAR, {"deg": _TREE_SEARCH_DEG})]
    ranked = rank_trees(TreeRules.from_data(data), trees, top=top)
    note = Note(N_("Power line corridors: %(corridor)s. Reach of a fall: %(reach)s."),
                {name: data[part]["source_vi" if lang == "vi" else "source"]
                 for name, part in (("corridor", "power_corridor"), ("reach", "road_reach"))})
    return [_tree_row(r) for r in ranked], note
