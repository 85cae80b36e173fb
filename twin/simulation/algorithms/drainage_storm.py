"""Design storms: rain intensity from an IDF formula, turned into a hyetograph.

TCVN 7957:2023 gives the design rainfall intensity of a region as

    q = A (1 + C lg P) / (t + b)^n        [L/s/ha]

for a rain lasting ``t`` minutes that comes once every ``P`` years, with
``A``, ``C``, ``b``, ``n`` read from the regional table.  A hyetograph
(intensity per block of time) is built by the alternating-block method
(Chow, Maidment and Mays, *Applied Hydrology*, 1988, §14.4): the block
depths are the increments of the IDF's depth–duration curve, the largest
placed at the peak and the others alternately after and before it, so
every duration around the peak holds the IDF's depth for that duration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["IdfParameters", "Storm", "alternating_block", "design_storm", "intensity_mm_h"]

#: 1 L/s/ha is 0.36 mm/h (1 L over 10,000 m² is 0.1 mm; 3,600 s in an hour).
LPS_PER_HA_TO_MM_H = 0.36


@dataclass(frozen=True)
class IdfParameters:
    """``A``, ``C``, ``b`` (min) and ``n`` of the intensity formula of one region."""

    a: float
    c: float
    b: float
    n: float
    region: str = ""


@dataclass(frozen=True)
class Storm:
    """Rain intensities (mm/h), one per block of ``step_min`` minutes from the start."""

    name: str
    intensities_mm_h: tuple[float, ...]
    step_min: float

    @property
    def duration_min(self) -> float:
        return self.step_min * len(self.intensities_mm_h)

    @property
    def depth_mm(self) -> float:
        return sum(self.intensities_mm_h) * self.step_min / 60.0


def intensity_mm_h(idf: IdfParameters, return_period_years: float, duration_min: float) -> float:
    """Mean intensity (mm/h) of the rain of ``duration_min`` minutes and return period
    ``return_period_years``.

    >>> round(intensity_mm_h(IdfParameters(5890, 0.65, 20, 0.84), 5, 120), 1)
    48.6
    """
    if return_period_years <= 0 or duration_min <= 0:
        raise ValueError("the return period and the duration are positive")
    q = idf.a * (1 + idf.c * math.log10(return_period_years)) / (duration_min + idf.b) ** idf.n
    return q * LPS_PER_HA_TO_MM_H


def alternating_block(depths_mm: list[float], *, peak_fraction: float = 0.5) -> list[float]:
    """Block depths arranged with the largest at ``peak_fraction`` of the storm and the
    others alternately after and before it (where room is left).

    >>> alternating_block([5.0, 3.0, 2.0, 1.0, 0.5])
    [0.5, 2.0, 5.0, 3.0, 1.0]
    """
    ranked = sorted(depths_mm, reverse=True)
    count = len(ranked)
    peak = min(max(int(round(peak_fraction * (count - 1))), 0), count - 1)
    out: list[float | None] = [None] * count
    before, after = peak - 1, peak + 1
    out[peak] = ranked[0]
    for k, depth in enumerate(ranked[1:]):
        go_after = (k % 2 == 0 and after < count) or before < 0
        if go_after:
            out[after], after = depth, after + 1
        else:
            out[before], before = depth, before - 1
    return [float(d) for d in out]


def design_storm(
    idf: IdfParameters,
    return_period_years: float,
    *,
    duration_min: float,
    step_min: float = 5.0,
    peak_fraction: float = 0.5,
) -> Storm:
    """The alternating-block hyetograph of the ``return_period_years`` storm lasting
    ``duration_min`` minutes, in blocks of ``step_min`` minutes.

    >>> s = design_storm(IdfParameters(5890, 0.65, 20, 0.84), 5, duration_min=120)
    >>> len(s.intensities_mm_h), round(s.depth_mm, 1)
    (24, 97.1)
    """
    blocks = max(int(round(duration_min / step_min)), 1)
    cumulative = [
        intensity_mm_h(idf, return_period_years, k * step_min) * k * step_min / 60.0
        for k in range(1, blocks + 1)
    ]
    depths = [cumulative[0]] + [b - a for a, b in zip(cumulative, cumulative[1:], strict=False)]
    arranged = alternating_block(depths, peak_fraction=peak_fraction)
    return Storm(
        f"P{return_period_years:g}y_{blocks * step_min:g}min",
        tuple(d * 60.0 / step_min for d in arranged),
        step_min,
    )
