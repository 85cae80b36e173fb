"""Two water runs side by side: where their junction pressures differ, the largest first.

A run after an edit, a scenario against normal operation, or today's run
against last month's: what moved is what matters, so the junctions come
sorted by the size of the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["PressureComparison", "pressure_differences"]


@dataclass
class PressureComparison:
    """Per-junction differences ``b - a`` (m), the largest in size first.

    ``rows`` holds ``{"code", "a_m", "b_m", "difference_m"}``; ``compared`` is
    the number of junctions in both runs, ``only_in_a``/``only_in_b`` the
    codes of one run only (a junction added or removed between them).
    """

    compared: int = 0
    largest_m: float = 0.0
    mean_abs_m: float = 0.0
    rows: list[dict] = field(default_factory=list)
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)


def pressure_differences(
    a: Mapping[str, float], b: Mapping[str, float], *, limit: int | None = None
) -> PressureComparison:
    """Compare junction pressures ``{code: m}`` of run ``a`` with run ``b``.

    >>> c = pressure_differences({"J1": 30.0, "J2": 25.0}, {"J1": 29.5, "J2": 18.0, "J3": 1.0})
    >>> [(r["code"], r["difference_m"]) for r in c.rows], c.only_in_b
    ([('J2', -7.0), ('J1', -0.5)], ['J3'])
    """
    both = sorted(set(a) & set(b))
    rows = [{"code": c, "a_m": a[c], "b_m": b[c], "difference_m": round(b[c] - a[c], 3)}
            for c in both]
    rows.sort(key=lambda r: (-abs(r["difference_m"]), r["code"]))
    sizes = [abs(r["difference_m"]) for r in rows]
    return PressureComparison(
        compared=len(rows),
        largest_m=max(sizes, default=0.0),
        mean_abs_m=round(sum(sizes) / len(sizes), 3) if sizes else 0.0,
        rows=rows if limit is None else rows[:limit],
        only_in_a=sorted(set(a) - set(b)),
        only_in_b=sorted(set(b) - set(a)),
    )
