"""The design values of a drainage run, each with its source.

``data/drainage.csv``
    Conduit roughness by material, manhole depth, catchment surfaces and
    Horton infiltration, the storm's duration, blocks and peak.
``data/rain_idf.csv``
    ``A``, ``C``, ``b``, ``n`` of TCVN 7957:2023's rainfall intensity
    formula by region.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from .algorithms.drainage_storm import IdfParameters

__all__ = ["drainage_standards", "idf_parameters"]


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
