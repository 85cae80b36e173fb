"""The design values a water simulation takes from standards, each with its source.

Read from the tables in ``twin/simulation/data/`` (every row names the
standard or handbook it comes from):

``roughness.csv``
    Hazen–Williams C by pipe material and age (years, upper bound of the band).
``demand.csv``
    Per-capita demand and household size, per-connection demand of other
    customer categories, the share of water lost in the network.
``pattern.csv``
    The daily demand pattern: 24 hourly multipliers averaging 1.
``pressure.csv``
    The service minimum head, pressure-driven demand heads, the fire-flow
    requirement and its minimum residual head, plant outlet head, tank and
    pump defaults.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Standards", "standards", "table_rows"]


def table_rows(name: str) -> list[dict]:
    """Rows of the data table ``name`` shipped in ``twin/simulation/data/``."""
    text = resources.files("twin.simulation").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Standards:
    """Values of the data tables; ``values`` by key (units in the tables)."""

    roughness: dict[str, tuple[tuple[float, float], ...]]
    values: dict[str, float]
    daily_pattern: tuple[float, ...]

    def hazen_williams_c(self, material: str | None, age_years: float | None) -> float:
        """C of a pipe of ``material`` aged ``age_years`` (unknown age: the newest band)."""
        bands = self.roughness.get(material or "unknown") or self.roughness["unknown"]
        age = 0.0 if age_years is None else max(age_years, 0.0)
        for upper, c in bands:
            if age <= upper:
                return c
        return bands[-1][1]

    def __getitem__(self, key: str) -> float:
        return self.values[key]


@cache
def standards() -> Standards:
    """The values of the tables shipped with the twin."""
    roughness: dict[str, list] = {}
    for r in table_rows("roughness.csv"):
        roughness.setdefault(r["material"], []).append(
            (float(r["max_age_years"]), float(r["hazen_williams_c"]))
        )
    values = {r["key"]: float(r["value"]) for name in ("demand.csv", "pressure.csv")
              for r in table_rows(name)}
    pattern = tuple(float(r["multiplier"]) for r in sorted(
        table_rows("pattern.csv"), key=lambda r: int(r["hour"])))
    return Standards(
        {m: tuple(sorted(b)) for m, b in roughness.items()}, values, pattern
    )
