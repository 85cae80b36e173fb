"""Feeder reports and restoration checks as lines of plain text (CLI, crew report)."""

from __future__ import annotations

__all__ = ["feeder_lines", "restoration_lines", "violation_text"]


def violation_text(v: dict) -> str:
    """``PWR-LINE-1 loaded 134.1 % (limit 100 %)`` or ``PWR-CUST-2 at 0.931 p.u. (min 0.95)``."""
    if v["rule"] == "overload":
        return f"{v['code']} loaded {v['value']:.1f} % (limit {v['limit']:g} %)"
    bound = "min" if v["rule"] == "undervoltage" else "max"
    return f"{v['code']} at {v['value']:.3f} p.u. ({bound} {v['limit']:g})"


def feeder_lines(reports: list[dict]) -> list[str]:
    """Two or more lines per feeder: load and losses, extremes, then its violations."""
    out = []
    for r in reports:
        if not r["converged"]:
            out.append(f"{r['feeder']}: the load flow did not converge")
            continue
        line_pct = r["max_line_loading_percent"]
        tx_pct = r["max_transformer_loading_percent"]
        out.append(
            f"{r['feeder']} (breaker {r['head']}): {r['customers_supplied']} customers, "
            f"{r['load_kw']:.0f} kW, losses {r['losses_kw']:.1f} kW; voltage "
            f"{r['min_vm_pu']:.3f}-{r['max_vm_pu']:.3f} p.u.; most loaded line "
            f"{line_pct if line_pct is not None else 0:.1f} %, transformer "
            f"{tx_pct if tx_pct is not None else 0:.1f} %"
        )
        found = r["violations"]
        count = r.get("violation_count", len(found))
        if count:
            out.append(f"  {count} violation(s): " + "; ".join(
                violation_text(v) for v in found[:5]) + ("; ..." if count > 5 else ""))
    return out


def restoration_lines(check: dict) -> list[str]:
    """The restoration check of an outage report, a line per tie and alternative."""
    out = [f"Restoration checked by load flow: {check['verdict']}"]
    for s in check["steps"]:
        head = f"  tie {s['tie_switch']} from {s['fed_from']}: {s['verdict']}"
        if s["violations"]:
            head += " — " + "; ".join(violation_text(v) for v in s["violations"][:3])
        out.append(head)
        alt = s.get("alternative")
        if alt and alt["kind"] == "other_tie":
            out.append(f"    instead close tie {alt['tie_switch']} (from {alt['fed_from']})")
        elif alt and alt["kind"] == "partial":
            out.append(f"    instead close {alt['tie_switch']} after opening "
                       f"{', '.join(alt['open'])}: {alt['customers_shed']} customers stay dark")
        elif s["verdict"] != "ok":
            out.append("    no feasible restoration: the island stays dark until repair")
    return out
