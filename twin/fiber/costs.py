"""What a fibre rollout costs, and the rules that shape the trench graph.

Every number lives in one CSV file with its unit and a description
(``twin/fiber/data/costs.csv``: columns ``key, value, unit, description``).
A project's own prices go in a file of the same shape holding only the rows
it changes; :func:`load_costs` lays it over the defaults and refuses unknown
keys or a unit that differs from the default's, so a price in VND/m can never
be read as a price per village.

Keys
----
``trench.<road_class>.<surface>``
    Trenching along a road, VND/m (road classes of ``base_road``).
``trench.off_road``
    Lead-ins across open ground, VND/m.
``crossing.per_m_width``
    Boring under a wide road, VND per metre of road width.
``aerial.per_m``, ``duct.per_m``, ``cable.per_m``
    Cable on existing poles, pulled through a free duct way, the cable
    itself, VND/m of route.
``cabinet.each``, ``splice_closure.each``
    VND per unit.
``access_node.each``
    VND per village.
``drop.per_household``
    VND per household.
``rule.*``
    Distances (m), shares and fibre counts that decide which edges exist.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from twin.errors import InvalidInput, Problem

__all__ = [
    "ROAD_CLASSES",
    "SURFACES",
    "UNITS",
    "CostItem",
    "CostModel",
    "default_costs_path",
    "load_costs",
]

#: Units a cost file may use, and what each means.
UNITS = {
    "VND/m": "Vietnamese đồng per metre of route (or of road width for crossings)",
    "VND": "Vietnamese đồng per unit installed",
    "VND/village": "Vietnamese đồng per village connected",
    "VND/household": "Vietnamese đồng per household",
    "m": "metres",
    "share": "a fraction between 0 and 1",
    "fibres": "a number of fibres",
}
ROAD_CLASSES = ("highway", "arterial", "street", "rural", "alley")
SURFACES = ("asphalt", "concrete", "gravel", "earth")
#: Road class and surface assumed when a road does not say.
_FALLBACK_CLASS, _FALLBACK_SURFACE = "street", "asphalt"


@dataclass(frozen=True)
class CostItem:
    """One number of the cost file: its value, unit and meaning."""

    key: str
    value: float
    unit: str
    description: str


@dataclass(frozen=True)
class CostModel:
    """Prices (VND) and rules of the planner, looked up by key.

    Use :func:`load_costs` to build one; ``items`` maps each key to its
    :class:`CostItem`.
    """

    items: Mapping[str, CostItem]

    def __getitem__(self, key: str) -> float:
        try:
            return self.items[key].value
        except KeyError:
            raise InvalidInput(
                f"cost model: no entry {key!r}",
                [Problem(key, "known_key", "not in the cost file")],
            ) from None

    def unit(self, key: str) -> str:
        return self.items[key].unit

    def trench_vnd_per_m(self, road_class: str | None, surface: str | None) -> float:
        """Trenching along a road, VND/m; unknown class or surface fall back.

        A road of unknown class is priced as a street, an unknown surface as
        asphalt: the dearer assumption for a planning estimate.
        """
        cls = road_class if road_class in ROAD_CLASSES else _FALLBACK_CLASS
        surf = surface if surface in SURFACES else _FALLBACK_SURFACE
        return self[f"trench.{cls}.{surf}"]

    @property
    def cable_vnd_per_m(self) -> float:
        return self["cable.per_m"]

    def rule(self, name: str) -> float:
        """A ``rule.<name>`` value (m, share or fibres: see :meth:`unit`)."""
        return self[f"rule.{name}"]

    def with_values(self, **values: float) -> CostModel:
        """A copy with some values changed; keys use ``__`` for dots.

        >>> costs = load_costs().with_values(aerial__per_m=40_000)
        >>> costs["aerial.per_m"]
        40000.0
        """
        items = dict(self.items)
        for name, value in values.items():
            key = name.replace("__", ".")
            old = items.get(key)
            if old is None:
                raise InvalidInput(
                    f"cost model: no entry {key!r}",
                    [Problem(key, "known_key", "not in the cost file")],
                )
            items[key] = CostItem(key, float(value), old.unit, old.description)
        return CostModel(items)

    def to_rows(self) -> list[dict]:
        """The model as rows ``key, value, unit, description`` (for reports)."""
        return [
            {"key": i.key, "value": i.value, "unit": i.unit, "description": i.description}
            for i in self.items.values()
        ]


def default_costs_path() -> Path:
    """The file of documented defaults shipped with the planner."""
    return Path(str(resources.files("twin.fiber") / "data" / "costs.csv"))


def _read(path: Path) -> tuple[list[CostItem], list[Problem]]:
    items, problems = [], []
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"key", "value"} <= set(reader.fieldnames):
            problems.append(
                Problem("columns", "required", f"{Path(path).name}: needs columns key, value")
            )
            return items, problems
        for line, row in enumerate(reader, start=2):
            key = (row.get("key") or "").strip()
            unit = (row.get("unit") or "").strip()
            try:
                value = float(row.get("value") or "")
            except ValueError:
                problems.append(Problem(key or f"line {line}", "number", f"{row.get('value')!r}"))
                continue
            if value < 0:
                problems.append(Problem(key, "non_negative", f"{value:g} is negative"))
            items.append(CostItem(key, value, unit, (row.get("description") or "").strip()))
    return items, problems


def load_costs(path: str | Path | None = None) -> CostModel:
    """The default cost model, with the rows of ``path`` laid over it.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``key, value`` and optionally ``unit`` and
        ``description``; only the rows to change are needed.

    Raises
    ------
    twin.errors.InvalidInput
        If the defaults lack a unit from :data:`UNITS`, or ``path`` holds an
        unknown key, a value that is not a non-negative number, a unit other
        than the default's, or a share above 1.
    """
    defaults, problems = _read(default_costs_path())
    for item in defaults:
        if item.unit not in UNITS or not item.description:
            problems.append(Problem(item.key, "documented", "needs a known unit and a description"))
    items = {i.key: i for i in defaults}
    if path is not None:
        overrides, more = _read(Path(path))
        problems += more
        for item in overrides:
            base = items.get(item.key)
            if base is None:
                problems.append(Problem(item.key, "known_key", "not a key of the cost model"))
            elif item.unit and item.unit != base.unit:
                problems.append(
                    Problem(item.key, "unit", f"unit {item.unit!r}, the model uses {base.unit!r}")
                )
            else:
                items[item.key] = CostItem(
                    item.key, item.value, base.unit, item.description or base.description
                )
    problems += [
        Problem(i.key, "share", f"{i.value:g} is above 1")
        for i in items.values()
        if i.unit == "share" and i.value > 1
    ]
    if problems:
        raise InvalidInput("fibre cost file: invalid entries", problems)
    return CostModel(items)
