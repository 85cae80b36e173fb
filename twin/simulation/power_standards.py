"""The design values of a power load flow, each with its source.

Read from the tables in ``twin/simulation/data/`` (every row names the
standard, specification or handbook it comes from, or says it is a project
choice):

``power_conductors.csv``
    Resistance, reactance, capacitance per km and the current rating of
    each conductor type the power layer names.
``power_transformers.csv``
    Short-circuit voltage, losses and no-load current of 22/0.4 kV
    distribution transformers by rating.
``power_loads.csv``
    Peak demand per household, per connection of other categories, and
    power factors.
``power_limits.csv``
    The voltage band and thermal loading of Vietnam's distribution grid
    code (Circular 39/2015/TT-BCT) and the source busbar voltage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .algorithms.power_records import Conductor
from .standards import table_rows

__all__ = ["PowerStandards", "power_standards"]


@dataclass(frozen=True)
class PowerStandards:
    """Values of the power tables; ``values`` by key (units in the tables)."""

    conductors: dict[str, Conductor]
    transformers: tuple[dict, ...]
    values: dict[str, float]

    def conductor(self, name: str | None, vn_kv: float) -> Conductor:
        """The conductor ``name``, or the default of its voltage level when unknown."""
        found = self.conductors.get(name or "")
        return found or self.conductors["unknown_lv" if vn_kv < 1 else "unknown_mv"]

    def transformer(self, rating_kva: float) -> dict:
        """The row of the smallest listed rating at or above ``rating_kva`` (else the largest)."""
        for row in self.transformers:
            if row["rating_kva"] >= rating_kva:
                return row
        return self.transformers[-1]

    def __getitem__(self, key: str) -> float:
        return self.values[key]


@cache
def power_standards() -> PowerStandards:
    """The values of the power tables shipped with the twin."""
    conductors = {
        r["conductor"]: Conductor(
            r["conductor"], float(r["r_ohm_per_km"]), float(r["x_ohm_per_km"]),
            float(r["c_nf_per_km"]), float(r["max_i_ka"]),
        )
        for r in table_rows("power_conductors.csv")
    }
    keys = ("rating_kva", "vk_percent", "vkr_percent", "pfe_kw", "i0_percent")
    transformers = tuple(sorted(
        ({k: float(r[k]) for k in keys} for r in table_rows("power_transformers.csv")),
        key=lambda r: r["rating_kva"],
    ))
    values = {r["key"]: float(r["value"]) for name in ("power_loads.csv", "power_limits.csv")
              for r in table_rows(name)}
    return PowerStandards(conductors, transformers, values)
