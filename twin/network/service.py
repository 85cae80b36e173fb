"""Outage analysis of stored assets: the one entry point of the web, CLI and live ingest.

:func:`analyse_outage` finds the utility of the failed assets, takes the
current graphs from the process-wide registry (edits committed since the
last analysis applied first, see :mod:`twin.network.registry`), runs the
analysis of that utility (and the cascade of a power outage into water,
drainage, telecom and lighting), and adds what a crew needs: asset
positions for the map, the device operations in order with their
location and street, customers per street, critical facilities, and the
customers already out in incidents still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from twin.declare import normal_code
from twin.errors import InvalidInput, Problem
from twin.network.graph import UTILITIES
from twin.network.impact import critical_rank, overlap_with_active
from twin.network.outage import (
    Layer,
    Outcome,
    check_one_utility,
    drainage_outcome,
    lighting_outcome,
    power_outcome,
    telecom_outcome,
    water_outcome,
)
from twin.network.places import (
    active_outages,
    asset_tables,
    edge_geometries,
    lonlat,
    nearest_streets,
)
from twin.network.records import utility_of_table
from twin.network.registry import registry_for
from twin.simulation import outage_pressure

__all__ = ["MAP_LIMIT", "analyse_outage"]

#: Features drawn per map role; the report says how many more there were.
MAP_LIMIT = 5000


def _codes(codes: str | Iterable[str]) -> list[str]:
    # Codes are stored in upper case; a crew may type them in any case.
    codes = [codes] if isinstance(codes, str) else list(codes)
    codes = list(dict.fromkeys(normal_code(c) for c in codes if str(c).strip()))
    if not codes:
        raise InvalidInput(
            "nothing to analyse", [Problem("codes", "required", "give at least one asset code")]
        )
    return codes


def _run(registry, graphs: Mapping, utility: str, codes: list[str], unavailable) -> Outcome:
    if utility == "water":
        model = registry.isolation_model()
        return water_outcome(graphs["water"], codes, model=model, unavailable=unavailable)
    if utility == "power":
        if len(codes) > 1:
            raise InvalidInput(
                "one power fault at a time",
                [Problem("codes", "one_fault", f"got {len(codes)} power assets: {codes}")],
            )
        return power_outcome(graphs, codes[0], unavailable=unavailable)
    run = {"telecom": telecom_outcome, "lighting": lighting_outcome, "drainage": drainage_outcome}
    return run[utility](graphs[utility], codes)


def analyse_outage(
    session,
    codes: str | Iterable[str],
    *,
    unavailable: Iterable[str] = (),
    active_incidents: Mapping[str, Iterable[str]] | None = None,
) -> dict:
    """Analyse the failure of stored assets and build the crew's report.

    Parameters
    ----------
    session : sqlalchemy Session or Connection
        Reads positions, streets and incidents; the graphs come from the
        registry of the same database (committed edits only).
    codes : str or iterable of str
        Failed assets of one utility (one fault for power).
    unavailable : iterable of str, keyword-only
        Valves or switches that cannot be operated now.
    active_incidents : mapping, optional, keyword-only
        Incident code -> customer codes already out; read from
        ``live.incident`` when omitted.

    Returns
    -------
    dict
        JSON-ready: ``utility``, ``assets``, ``analysis`` (the engine's
        report), ``cascade`` (power), ``customers``, ``customers_out``,
        ``critical``, ``by_street``, ``overlap``, ``work_order``,
        ``locations`` (``[lon, lat]`` by code), ``map`` (GeoJSON features
        with a ``role``), ``network`` (how the graph was refreshed) and
        ``pressure`` (customers cut off, at low pressure and fine after a
        pressure-driven run, see :func:`twin.simulation.outage_pressure`;
        None when no water asset is shut).
    """
    codes = _codes(codes)
    unavailable = sorted({normal_code(c) for c in unavailable})
    tables = asset_tables(session, codes)
    utility = check_one_utility(tables, {t: utility_of_table(t) for t in tables.values()})
    registry = registry_for(session)
    needed = UTILITIES if utility == "power" else (utility,)
    with registry.graphs(needed) as graphs:
        outcome = _run(registry, graphs, utility, codes, unavailable)
        if active_incidents is None:
            active_incidents = active_outages(session)
        report = _report(session, graphs, outcome, active_incidents)
        report["unavailable"] = unavailable
        report["pressure"] = outage_pressure(session, outcome)
        report["network"] = {
            "refresh": registry.stats()[utility],
            "version": registry.cache.version(utility),
        }
        return report


def _customer_rows(graphs, outcome: Outcome) -> list[tuple[str, str, dict]]:
    return [
        (utility, code, graphs[utility].nodes[code])
        for utility, impact in outcome.customers
        for code in impact.customer_nodes
    ]


def _report(session, graphs, outcome: Outcome, active: Mapping) -> dict:
    rows = _customer_rows(graphs, outcome)
    customers_out = sorted({code for _, code, _ in rows})
    already = overlap_with_active(customers_out, {c for cs in active.values() for c in cs})
    out_before = set(already.already_out)
    own_utility, own = outcome.customers[0]
    return {
        "utility": outcome.utility,
        "assets": outcome.assets,
        "analysis": outcome.analysis,
        "cascade": outcome.cascade,
        "customers": own.to_dict(),
        "cascade_customers": {u: imp.to_dict() for u, imp in outcome.customers[1:]},
        "customers_out": customers_out,
        "critical": _critical(outcome),
        "by_street": _by_street(session, graphs, rows, out_before),
        "overlap": {
            **already.to_dict(),
            "incidents": {
                code: sorted(set(cs) & out_before)
                for code, cs in sorted(active.items())
                if set(cs) & out_before
            },
        },
        "work_order": {"steps": _steps(session, graphs, outcome)},
        **_map(session, graphs, outcome, out_before),
    }


def _critical(outcome: Outcome) -> list[dict]:
    found = [
        {**c, "utility": utility} for utility, impact in outcome.customers for c in impact.critical
    ]
    return sorted(found, key=lambda c: (critical_rank(c["kind"]), c["utility"], c["code"]))


def _by_street(session, graphs, rows, out_before: set[str]) -> list[dict]:
    streets = {}
    for utility in {u for u, _, _ in rows}:
        codes = [c for u, c, _ in rows if u == utility]
        streets[utility] = nearest_streets(session, graphs[utility], codes)
    groups: dict[tuple[str, str], dict] = {}
    for utility, code, attrs in rows:
        street = streets[utility].get(code) or ""
        entry = groups.setdefault(
            (utility, street),
            {
                "utility": utility,
                "street": street,
                "customers": 0,
                "households": 0,
                "already_out": 0,
                "customer_nodes": [],
            },
        )
        entry["customers"] += int(attrs.get("customers") or 0)
        entry["households"] += int(attrs.get("households") or 0)
        entry["already_out"] += code in out_before
        entry["customer_nodes"].append(code)
    return sorted(groups.values(), key=lambda e: (-e["customers"], e["utility"], e["street"]))


def _steps(session, graphs, outcome: Outcome) -> list[dict]:
    places, streets = {}, {}
    for utility in {s["utility"] for s in outcome.steps}:
        devices = [s["device"] for s in outcome.steps if s["utility"] == utility]
        places[utility] = lonlat(graphs[utility], devices)
        streets[utility] = nearest_streets(session, graphs[utility], devices)
    steps = []
    for order, step in enumerate(outcome.steps, start=1):
        utility, device = step["utility"], step["device"]
        attrs = graphs[utility].nodes.get(device) or {}
        steps.append(
            {
                "order": order,
                **step,
                "kind": attrs.get("kind"),
                "operable": attrs.get("operable", True) is not False,
                "street": streets[utility].get(device),
                "lonlat": places[utility].get(device),
            }
        )
    return steps


def _node_properties(attrs: Mapping) -> dict:
    keys = ("kind", "name", "customers", "households", "critical", "category", "normal_state")
    return {k: attrs[k] for k in keys if attrs.get(k) is not None}


def _map(session, graphs, outcome: Outcome, out_before: set[str]) -> dict:
    """GeoJSON features by role, and ``[lon, lat]`` of every node drawn."""
    features, locations, truncated = [], {}, {}
    failed_layers = _failed_layers(graphs[outcome.utility], outcome)
    for layer in failed_layers + outcome.layers:
        G = graphs[layer.utility]
        codes = layer.codes[:MAP_LIMIT]
        if len(layer.codes) > MAP_LIMIT:
            truncated[f"{layer.utility}:{layer.role}"] = len(layer.codes) - MAP_LIMIT
        if layer.kind == "edge":
            shapes = edge_geometries(session, G, codes)
            for code in codes:
                if code in shapes:
                    props = {"role": layer.role, "utility": layer.utility, "code": code}
                    features.append(
                        {"type": "Feature", "geometry": shapes[code], "properties": props}
                    )
            continue
        places = lonlat(G, codes)
        locations.update(places)
        for code in codes:
            if code not in places:
                continue
            props = {
                "role": layer.role,
                "utility": layer.utility,
                "code": code,
                **_node_properties(G.nodes[code]),
            }
            if layer.role == "customer":
                props["already_out"] = code in out_before
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": places[code]},
                    "properties": props,
                }
            )
    return {
        "locations": locations,
        "map": {"type": "FeatureCollection", "features": features},
        "map_truncated": truncated,
    }


def _failed_layers(G, outcome: Outcome) -> list[Layer]:
    lookup = G.graph.get("edges_by_code", {})
    return [
        Layer("failed", outcome.utility, "edge", [c for c in outcome.assets if c in lookup]),
        Layer("failed", outcome.utility, "node", [c for c in outcome.assets if c in G]),
    ]
