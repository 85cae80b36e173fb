"""The crew's work order from an outage report: readable text and CSV.

Both read the dict of :func:`twin.network.service.analyse_outage` only, so
the CLI, the printable page and the CSV download say the same thing.
"""

from __future__ import annotations

import io

from twin import people_csv
from twin.simulation import restoration_lines

__all__ = ["CSV_COLUMNS", "format_report", "workorder_csv", "workorder_rows"]

CSV_COLUMNS = (
    "section",
    "order",
    "action",
    "code",
    "kind",
    "utility",
    "street",
    "lon",
    "lat",
    "customers",
    "households",
    "note",
)


def workorder_rows(report: dict) -> list[dict]:
    """Rows of the work order: device steps, then streets, then critical facilities."""
    rows = []
    for step in report["work_order"]["steps"]:
        lon, lat = step.get("lonlat") or (None, None)
        rows.append(
            {
                "section": "step",
                "order": step["order"],
                "action": step["action"],
                "code": step["device"],
                "kind": step.get("kind"),
                "utility": step["utility"],
                "street": step.get("street"),
                "lon": lon,
                "lat": lat,
                "note": step.get("note")
                + ("" if step.get("operable", True) else "; marked not operable"),
            }
        )
    for street in report["by_street"]:
        rows.append(
            {
                "section": "street",
                "utility": street["utility"],
                "street": street["street"] or "(no street)",
                "customers": street["customers"],
                "households": street["households"],
                "note": f"{street['already_out']} already out" if street["already_out"] else "",
            }
        )
    for facility in report["critical"]:
        lon, lat = report["locations"].get(facility["code"], (None, None))
        rows.append(
            {
                "section": "critical",
                "code": facility["code"],
                "kind": facility["kind"],
                "utility": facility["utility"],
                "lon": lon,
                "lat": lat,
                "note": facility.get("name") or "",
            }
        )
    return rows


def workorder_csv(report: dict) -> str:
    """The work order as CSV text (UTF-8, one header row)."""
    out = io.StringIO()
    writer = people_csv.dict_writer(out, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in workorder_rows(report):
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in CSV_COLUMNS})
    return out.getvalue()


def _impact_line(label: str, impact: dict) -> str:
    return f"{label}: {impact['customers']} customers, {impact['households']} households" + (
        f", {len(impact['critical'])} critical facilities" if impact["critical"] else ""
    )


def _analysis_lines(report: dict) -> list[str]:
    a, utility = report["analysis"], report["utility"]
    if utility == "water":
        lines = [
            f"Isolation level {a['level']}: {len(a['valves_to_close'])} valves to close, "
            f"{len(a['isolated_edges'])} pipes isolated ({a['isolated_length_m']:.0f} m, "
            f"{a['isolated_volume_m3']:.1f} m³ to drain), {len(a['cut_off_edges'])} pipes cut off"
        ]
        if a["unavailable_valves"]:
            lines.append("Valves that cannot be operated: " + ", ".join(a["unavailable_valves"]))
        return lines
    if utility == "power":
        lines = [
            f"Tripped: {a['tripped_device'] or 'nothing (no supply reached the fault)'}; "
            f"{len(a['transformers_at_trip'])} transformers dark at trip, "
            f"{len(a['transformers_until_repair'])} until repair",
            _impact_line("Dark until repair", a["customers_until_repair"]),
        ]
        if a.get("trip"):
            lines.insert(1, f"Why: {a['trip']['note']}")
        for step in a["restoration"]:
            lines.append(
                f"Tie {step['tie_switch']} restores {len(step['nodes'])} nodes "
                f"({step['customers']['customers']} customers) from {step['fed_from']}"
            )
        return lines
    if utility == "telecom":
        return [
            f"Access nodes cut off: {', '.join(a['access_nodes']) or 'none'}; villages: "
            f"{', '.join(a['villages']) or 'none'}; rerouted: "
            f"{', '.join(a['rerouted_access_nodes']) or 'none'}"
        ]
    if utility == "lighting":
        return [
            f"{len(a['dark_lights'])} lights dark, {len(a['dark_segments'])} cable segments "
            f"({a['dark_length_m']:.0f} m), cabinets {', '.join(a['cabinets']) or 'none'}"
        ]
    return [
        f"{entry['asset']}: spill reaches {', '.join(entry['spill']['outfalls']) or 'no outfall'}"
        for entry in a["assets"]
    ]


def _cascade_lines(report: dict) -> list[str]:
    lines = []
    for stage in (report.get("cascade") or {}).get("at_trip", [])[1:]:
        lines.append(
            f"Cascade {stage['utility']}: stops {', '.join(stage['stopped'])}; "
            f"{len(stage['lost_nodes'])} nodes lose service; "
            + _impact_line("customers", stage["customers"])
        )
    return lines


def _pressure_line(pressure: dict) -> str:
    groups = ", ".join(
        f"{pressure[g]['customers']} {label} ({pressure[g]['households']} households)"
        for g, label in (("cut_off", "cut off"), ("low", "low"), ("fine", "fine"))
    )
    hour = pressure["at_s"] / 3600
    return (f"Water pressure at {hour:02.0f}:00 (below {pressure['service_minimum_m']:g} m is "
            f"low): {groups}")


def format_report(report: dict) -> str:
    """The outage report as text for a terminal or a radio call."""
    lines = [f"Outage of {', '.join(report['assets'])} ({report['utility']})"]
    lines += _analysis_lines(report)
    lines.append(_impact_line("Customers out", report["customers"]))
    if report.get("pressure"):
        lines.append(_pressure_line(report["pressure"]))
    if report.get("restoration_check"):
        lines += restoration_lines(report["restoration_check"])
    overlap = report["overlap"]
    if overlap["already_out"]:
        lines.append(
            f"Already out in open incidents: {len(overlap['already_out'])} "
            f"({', '.join(overlap['incidents'])})"
        )
    lines += _cascade_lines(report)
    if report["critical"]:
        lines.append("Critical facilities:")
        lines += [
            f"  {c['kind']:<12} {c['code']:<18} {c.get('name') or ''} ({c['utility']})"
            for c in report["critical"]
        ]
    if report["work_order"]["steps"]:
        lines.append("Work order:")
    for step in report["work_order"]["steps"]:
        lon, lat = step.get("lonlat") or ("?", "?")
        lines.append(
            f"  {step['order']:>2}. {step['action']:<10} {step['device']:<18} "
            f"{step.get('street') or '':<28} {lon}, {lat}  {step.get('note') or ''}"
        )
    if report["by_street"]:
        lines.append("Customers per street:")
        lines += [
            f"  {s['street'] or '(no street)':<32} {s['utility']:<9} {s['customers']:>6} customers"
            f" {s['households']:>6} households"
            + (f"  ({s['already_out']} already out)" if s["already_out"] else "")
            for s in report["by_street"]
        ]
    return "\n".join(lines)
