"""The design values of a drainage run, each with its source.

``data/drainage.csv``
    Conduit roughness by material, manhole depth, catchment surfaces and
    Horton infiltration, the storm's duration, blocks and peak, and the
    rules a new sewer is designed by (``design.*``).
``data/rain_idf.csv``
    ``A``, ``C``, ``b``, ``n`` of TCVN 7957:2023's rainfall intensity
    formula by region.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from .algorithms.drainage_design import DesignRules
from .algorithms.drainage_storm import IdfParameters

__all__ = ["design_rules", "drainage_standards", "idf_parameters", "runoff_coefficient"]


def _rows(name: str) -> list[dict]:
    text = resources.files("twin.simulation").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


@cache
def drainage_standards() -> dict[str, float | str]:
    """The values of ``drainage.csv`` by key (units in the table)."""
    return {r["key"]: _value(r["value"]) for r in _rows("drainage.csv")}


@cache
def idf_parameters(region: str | None = None) -> IdfParameters:
    """The intensity formula's parameters of ``region`` (default: the table's region)."""
    region = region or str(drainage_standards()["storm.region"])
    for r in _rows("rain_idf.csv"):
        if r["region"] == region:
            return IdfParameters(float(r["a"]), float(r["c"]), float(r["b"]), float(r["n"]),
                                 region)
    raise KeyError(f"no rainfall region {region!r} in rain_idf.csv")


@cache
def design_rules() -> DesignRules:
    """The rules of ``design.*`` in ``drainage.csv``, concrete pipes' Manning's n."""
    std = drainage_standards()
    sizes = tuple(int(d) for d in str(std["design.diameters_mm"]).split())
    keys = ("cover_m", "max_depth_ratio", "self_cleansing_ms", "drop_m", "inlet_time_min",
            "branch_years", "main_years", "main_area_m2")
    return DesignRules(sizes, float(std["conduit.manning_n.concrete"]),
                       **{k: float(std[f"design.{k}"]) for k in keys})


def runoff_coefficient(impervious_pct):
    """Runoff coefficient ψ of a surface ``impervious_pct`` % paved, the rest green
    (works on numbers and numpy arrays)."""
    std = drainage_standards()
    share = impervious_pct / 100.0
    return share * float(std["design.runoff_paved"]) + (1 - share) * float(std["design.runoff_green"])
