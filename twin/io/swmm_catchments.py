"""SWMM subcatchments (.inp) as drainage catchments, with what a simulation needs.

=====================  =================================================
``[SUBCATCHMENTS]``    ``drainage_catchment``: the outlet node, the
                       imperviousness; the area, width, slope, curb
                       length and rain gage name in ``extra.swmm``
``[Polygons]``         its outline (a square of its area around its
                       outlet when the file draws none)
``[SUBAREAS]``         Manning's n and depression storage (mm) of both
                       parts, the share without storage, in ``extra.swmm``
``[INFILTRATION]``     Horton rates (mm/h), decay, drying days, cap (mm)
``[RAINGAGES]``,       the gage's interval and its intensities (mm/h) at
``[TIMESERIES]``       hours from the start, in ``extra.swmm.gage``
=====================  =================================================

US files are converted: acres to m², feet to m, inches to mm.  Only
intensity gages fed by a time series and Horton infiltration are kept;
the report's notes say what was left out.
"""

from __future__ import annotations

import math

from shapely.geometry import Point, Polygon

__all__ = ["catchment_rows", "gage_series"]

_ACRE_M2 = 4046.8564224
_INCH_MM = 25.4


def _hours(text: str) -> float:
    """``"27:00"`` or ``"1.5"`` as hours."""
    if ":" in text:
        parts = [float(p) for p in text.split(":")]
        return parts[0] + parts[1] / 60 + (parts[2] / 3600 if len(parts) > 2 else 0.0)
    return float(text)


def gage_series(sections, us: bool) -> dict[str, dict]:
    """Intensity gages fed by a time series: ``{name: {"interval_min", "scf", "series"}}``
    with intensities in mm/h at hours from the start."""
    series: dict[str, list] = {}
    for row in sections.get("TIMESERIES", []):
        if len(row) == 3:  # name, time, value (rows with a date have four fields)
            series.setdefault(row[0], []).append([_hours(row[1]), float(row[2])])
    unit = _INCH_MM if us else 1.0
    gages = {}
    for row in sections.get("RAINGAGES", []):
        if len(row) >= 6 and row[1].upper() == "INTENSITY" and row[4].upper() == "TIMESERIES":
            gages[row[0]] = {
                "name": row[0],
                "interval_min": _hours(row[2]) * 60,
                "scf": float(row[3]),
                "series": [[h, v * unit] for h, v in series.get(row[5], [])],
            }
    return gages


def _by_name(sections, name) -> dict[str, list[str]]:
    return {r[0]: r for r in sections.get(name, [])}


def _outline(code, outlet, rings, coords, area_m2):
    """The drawn polygon, else a square of the catchment's area around its outlet."""
    ring = rings.get(code, [])
    if len(ring) >= 3:
        return Polygon(ring).buffer(0)
    at = coords.get(outlet)
    if at is None:
        return None
    return Point(at.x, at.y).buffer(math.sqrt(area_m2) / 2, cap_style="square")


def catchment_rows(sections, coords, us: bool) -> list[dict]:
    """Rows of ``drainage_catchment`` (see the module docstring)."""
    f, area_f, mm = (0.3048, _ACRE_M2, _INCH_MM) if us else (1.0, 1e4, 1.0)
    subareas, infil = _by_name(sections, "SUBAREAS"), _by_name(sections, "INFILTRATION")
    gages = gage_series(sections, us)
    rings: dict[str, list] = {}
    for r in sections.get("POLYGONS", []):
        rings.setdefault(r[0], []).append((float(r[1]), float(r[2])))
    rows = []
    for r in sections.get("SUBCATCHMENTS", []):
        code, gage, outlet = r[:3]
        area = float(r[3]) * area_f
        swmm = {"area_m2": area, "width_m": float(r[5]) * f, "slope_pct": float(r[6]),
                "curb_length_m": float(r[7]) * f if len(r) > 7 else 0.0}
        if gage in gages:
            swmm["gage"] = gages[gage]
        s = subareas.get(code)
        if s is not None and len(s) >= 6:
            swmm["subareas"] = {"n_impervious": float(s[1]), "n_pervious": float(s[2]),
                                "storage_impervious_mm": float(s[3]) * mm,
                                "storage_pervious_mm": float(s[4]) * mm,
                                "zero_storage_pct": float(s[5])}
        h = infil.get(code)
        if h is not None and len(h) >= 5:
            swmm["horton"] = {"max_mm_h": float(h[1]) * mm, "min_mm_h": float(h[2]) * mm,
                              "decay_per_h": float(h[3]), "dry_days": float(h[4]),
                              "max_mm": float(h[5]) * mm if len(h) > 5 else 0.0}
        geom = _outline(code, outlet, rings, coords, area)
        rows.append({"code": code, "geom": geom, "outlet": outlet,
                     "imperviousness_pct": float(r[4]), "extra": {"swmm": swmm}})
    return rows
