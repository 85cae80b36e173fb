"""Communes furthest from the mobile coverage target, from the last saved coverage run."""

from __future__ import annotations

from pathlib import Path

from twin.coverage.store import read_summary

__all__ = ["TARGET_PCT", "coverage_gaps"]

#: The provincial plans' target: every residential area covered by 4G/5G.
TARGET_PCT = 100.0


def coverage_gaps(home: Path, *, target_pct: float = TARGET_PCT, top: int = 25
                  ) -> tuple[list[dict], str | None]:
    """Rows of the communes least covered (households short of the target first).

    Also returns when the run was computed, or None when no run is saved
    (``twin coverage compute`` makes one).
    """
    summary = read_summary(home, "all")
    if summary is None:
        return [], None
    rows = []
    for c in summary["communes"]:
        short = max(0.0, target_pct / 100.0 * c["households"] - c["households_covered"])
        rows.append({
            "commune": c["commune"], "name": c["name"], "households": round(c["households"]),
            "households_pct": c["households_pct"], "buildings_pct": c["buildings_pct"],
            "villages": round(c["villages"]),
            "villages_without": round(c["villages"] - c["villages_covered"]),
            "households_to_target": round(short),
        })
    rows.sort(key=lambda r: (-r["households_to_target"], r["households_pct"]))
    return [r for r in rows if r["households_to_target"] > 0][:top], summary["computed_at"]
