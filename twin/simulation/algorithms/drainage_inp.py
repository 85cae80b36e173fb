"""The SWMM 5 input file (.inp text, SI units) of a drainage model.

Flow units are m³/s (``CMS``), so SWMM reads elevations and lengths in m,
sizes in m, areas in hectares, rain and infiltration in mm/h and storage
in mm.  Pumps get a depth–flow curve rising to their capacity at 1 m in
the wet well (SWMM's ``PUMP4``).
"""

from __future__ import annotations

from .drainage_records import DrainageModel, DrainageSettings, Gage

__all__ = ["swmm_input"]


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _options(settings: DrainageSettings) -> list[str]:
    date, time = settings.start.split()
    month, day, year = (int(v) for v in date.split("/"))
    h, m, s = (int(v) for v in time.split(":"))
    end_s = h * 3600 + m * 60 + s + settings.duration_s
    from datetime import datetime, timedelta

    end = datetime(year, month, day) + timedelta(seconds=end_s)
    rows = [
        ("FLOW_UNITS", "CMS"),
        ("INFILTRATION", "HORTON"),
        ("FLOW_ROUTING", settings.routing),
        ("LINK_OFFSETS", "DEPTH"),
        ("MIN_SLOPE", f"{settings.min_slope_pct:g}"),
        ("ALLOW_PONDING", "YES" if settings.allow_ponding else "NO"),
        ("START_DATE", date),
        ("START_TIME", time),
        ("REPORT_START_DATE", date),
        ("REPORT_START_TIME", time),
        ("END_DATE", end.strftime("%m/%d/%Y")),
        ("END_TIME", end.strftime("%H:%M:%S")),
        ("REPORT_STEP", _hms(settings.report_step_s)),
        ("WET_STEP", _hms(settings.wet_step_s)),
        ("DRY_STEP", _hms(settings.dry_step_s)),
        ("ROUTING_STEP", f"{settings.routing_step_s:g}"),
        *settings.extra_options,
    ]
    return [f"{k:<20} {v}" for k, v in rows]


def _gages(gages: list[Gage]) -> tuple[list[str], list[str]]:
    heads, series = [], []
    for g in gages:
        heads.append(f"{g.name} INTENSITY {_hms(g.interval_min * 60)[:5]} {g.snow_catch:g} "
                     f"TIMESERIES ts_{g.name}")
        hours = [h for h, _ in g.series]
        for h, value in g.series:
            series.append(f"ts_{g.name} {_hms(h * 3600)[:5]} {value:.6g}")
        if not g.series or g.series[-1][1] != 0:
            end_h = (hours[-1] if hours else 0) + g.interval_min / 60
            series.append(f"ts_{g.name} {_hms(end_h * 3600)[:5]} 0")
    return heads, series


def _subcatchments(model: DrainageModel) -> tuple[list[str], list[str], list[str]]:
    subs, areas, infil = [], [], []
    for c in model.subcatchments:
        subs.append(f"{c.code} {c.gage} {c.outlet} {c.area_m2 / 1e4:.6g} "
                    f"{c.impervious_pct:.6g} {c.width_m:.6g} {c.slope_pct:.6g} 0")
        areas.append(f"{c.code} {c.n_impervious:g} {c.n_pervious:g} "
                     f"{c.storage_impervious_mm:g} {c.storage_pervious_mm:g} "
                     f"{c.zero_storage_pct:g} OUTLET")
        h = c.horton
        infil.append(f"{c.code} {h.max_mm_h:g} {h.min_mm_h:g} {h.decay_per_h:g} "
                     f"{h.dry_days:g} {h.max_mm:g}")
    return subs, areas, infil


def _nodes(model: DrainageModel) -> dict[str, list[str]]:
    out = {"JUNCTIONS": [], "OUTFALLS": [], "STORAGE": [], "COORDINATES": []}
    for n in model.nodes:
        if n.kind == "outfall":
            out["OUTFALLS"].append(f"{n.code} {n.invert_m:.4f} FREE NO")
        elif n.kind == "storage":
            out["STORAGE"].append(f"{n.code} {n.invert_m:.4f} {n.max_depth_m:.4f} 0 "
                                  f"FUNCTIONAL 0 0 {max(n.area_m2, 1.0):g} "
                                  f"{n.surcharge_m:g} 0")
        else:
            out["JUNCTIONS"].append(f"{n.code} {n.invert_m:.4f} {n.max_depth_m:.4f} 0 "
                                    f"{n.surcharge_m:g} 0")
        if n.xy is not None:
            out["COORDINATES"].append(f"{n.code} {n.xy[0]:.8f} {n.xy[1]:.8f}")
    return out


def _links(model: DrainageModel) -> dict[str, list[str]]:
    out = {"CONDUITS": [], "XSECTIONS": [], "PUMPS": [], "CURVES": []}
    for c in model.conduits:
        out["CONDUITS"].append(f"{c.code} {c.start} {c.end} {c.length_m:.4f} "
                               f"{c.roughness_n:g} {c.in_offset_m:.4f} {c.out_offset_m:.4f} "
                               f"0 {c.max_flow_m3s:g}")
        out["XSECTIONS"].append(f"{c.code} {c.shape} {c.geom1_m:.6g} {c.geom2_m:.6g} 0 0 "
                                f"{c.barrels}")
    for p in model.pumps:
        curve = f"pc_{p.code}"
        out["PUMPS"].append(f"{p.code} {p.start} {p.end} {curve} ON 0 0")
        out["CURVES"] += [f"{curve} PUMP4 0 0", f"{curve} 1 {p.capacity_m3s:g}",
                          f"{curve} 100 {p.capacity_m3s:g}"]
    return out


def swmm_input(model: DrainageModel, settings: DrainageSettings, *, title: str = "twin") -> str:
    """The .inp text of ``model`` run with ``settings``.

    >>> from .drainage_records import Conduit, Node
    >>> m = DrainageModel(nodes=[Node("A", 10, 2), Node("O", 9, kind="outfall")],
    ...                   conduits=[Conduit("C", "A", "O", 100, 0.013)])
    >>> "C A O 100.0000 0.013" in swmm_input(m, DrainageSettings())
    True
    """
    subs, areas, infil = _subcatchments(model)
    gages, series = _gages(model.gages)
    sections = {
        "TITLE": [title],
        "OPTIONS": _options(settings),
        "EVAPORATION": ["CONSTANT 0.0", "DRY_ONLY NO"],
        "RAINGAGES": gages,
        "SUBCATCHMENTS": subs,
        "SUBAREAS": areas,
        "INFILTRATION": infil,
        **_nodes(model),
        **_links(model),
        "TIMESERIES": series,
        "REPORT": ["INPUT NO", "CONTROLS NO"],
    }
    return "\n".join(
        f"[{name}]\n" + "".join(f"{row}\n" for row in rows)
        for name, rows in sections.items() if rows or name == "TITLE"
    )
