"""Use cases of coverage: they read inputs, run the algorithms and write results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from twin.coverage import store
from twin.coverage.algorithms.link import Radio, Site, received_power_dbm
from twin.coverage.algorithms.shares import shares_by
from twin.coverage.algorithms.viewshed import Observer, viewshed
from twin.coverage.chart import write_curve
from twin.coverage.grids import Grid, read_grid, write_mask, write_values
from twin.coverage.overlay import write_overlay
from twin.coverage.planning import Candidate, hilltops, plan_sites
from twin.coverage.tiles import RSRP_FILE, shown_threshold_dbm
from twin.crs import transformer

__all__ = ["compute", "plan", "site_coverage", "viewshed_file"]


def viewshed_file(dem: Path, at: tuple[float, float], height_m: float, out: Path, *,
                  target_height_m: float = 0.0, max_distance_m: float | None = None) -> float:
    """Write the viewshed of a WGS 84 point over ``dem`` to ``out``; the share seen."""
    grid = read_grid(dem)
    row, col = grid.cell_of(*at)
    seen = viewshed(grid.z, Observer(row, col, height_m), cell_m=grid.cell_m,
                    target_height_m=target_height_m, max_distance_m=max_distance_m)
    write_mask(out, seen, grid)
    return float(seen.mean())


def _site(grid: Grid, attrs: dict) -> Site:
    row, col = grid.cell_of(attrs["lon"], attrs["lat"])
    return Site(row, col, float(attrs["tower_height_m"]), attrs["technology"],
                float(attrs["band_mhz"]), attrs.get("area_type") == "urban",
                int(attrs.get("sectors") or 3), float(attrs.get("azimuth_deg") or 0.0),
                float(attrs.get("tilt_deg") or 4.0), float(attrs.get("power_w") or 40.0))


def site_coverage(grid: Grid, site: Site, radio: Radio) -> tuple[tuple[slice, slice], np.ndarray]:
    """Where a site reaches (the window of ``grid``) and its RSRP (dBm) there."""
    reach = radio[f"max_range_m.{site.technology}"]
    part, row, col = grid.window(site.row, site.col, reach)
    local = Site(row, col, *[getattr(site, f) for f in ("height_m", "technology", "band_mhz",
                                                          "urban", "sectors", "azimuth_deg",
                                                          "tilt_deg", "power_w")])
    rsrp = received_power_dbm(part.z, local, radio, cell_m=grid.cell_m, max_distance_m=reach)
    r0, c0 = site.row - row, site.col - col
    return (slice(r0, r0 + part.z.shape[0]), slice(c0, c0 + part.z.shape[1])), rsrp


def merged_power(grid: Grid, sites: list[Site], radio: Radio) -> tuple[np.ndarray, np.ndarray]:
    """Best RSRP of any site per cell, and the cells some site covers (its own threshold)."""
    best = np.full(grid.z.shape, -np.inf, np.float32)
    covered = np.zeros(grid.z.shape, bool)
    for site in sites:
        where, rsrp = site_coverage(grid, site, radio)
        best[where] = np.maximum(best[where], rsrp)
        covered[where] |= rsrp >= radio[f"threshold.{site.technology}_dbm"]
    return best, covered


def cells_of(grid: Grid, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grid rows and columns of WGS 84 points (clipped to the grid)."""
    x, y = transformer("EPSG:4326", grid.crs).transform(lon, lat)
    col, row = ~grid.transform @ (np.asarray(x), np.asarray(y))
    rows, cols = grid.z.shape
    return (np.clip(np.floor(row).astype(int), 0, rows - 1),
            np.clip(np.floor(col).astype(int), 0, cols - 1))


def _shares(grid: Grid, covered: np.ndarray, homes: dict, villages: list[dict]) -> dict:
    hr, hc = cells_of(grid, homes["lon"], homes["lat"])
    home_ok = covered[hr, hc]
    vr, vc = cells_of(grid, np.array([v["lon"] for v in villages], float),
                      np.array([v["lat"] for v in villages], float))
    village_ok = covered[vr, vc] if villages else np.zeros(0, bool)
    by_home = shares_by(homes["commune"], homes["households"], home_ok)
    by_building = shares_by(homes["commune"], np.ones(len(home_ok)), home_ok)
    by_village = shares_by([v["commune"] for v in villages], np.ones(len(villages)), village_ok)
    names = {v["commune"]: v["commune_name"] for v in villages}
    communes = []
    for code in sorted(set(by_home) | set(by_village)):
        hh = by_home.get(code, {"total": 0.0, "covered": 0.0, "pct": 0.0})
        communes.append({
            "commune": code, "name": names.get(code),
            "households": hh["total"], "households_covered": hh["covered"],
            "households_pct": hh["pct"],
            "buildings_pct": by_building.get(code, {}).get("pct", 0.0),
            "villages": by_village.get(code, {}).get("total", 0.0),
            "villages_covered": by_village.get(code, {}).get("covered", 0.0),
        })
    village_rows = [{"code": v["code"], "name": v["name"], "commune": v["commune"],
                     "households": v["households"], "covered": bool(ok)}
                    for v, ok in zip(villages, village_ok, strict=True)]
    total = float(homes["households"].sum())
    done = float(homes["households"][home_ok].sum())
    return {"communes": communes, "villages": village_rows, "households": total,
            "households_covered": done, "households_pct": round(100 * done / total, 1) if total else 0.0}


def compute(session: Session, home: Path, technology: str = "all") -> dict:
    """Coverage of the sites in service of ``technology``: files and the summary saved."""
    folder = store.folder(home, technology)
    grid = read_grid(store.dem_path(session, home))
    radio = Radio(store.radio_constants())
    attrs = store.cell_sites(session, technology)
    best, covered = merged_power(grid, [_site(grid, a) for a in attrs], radio)
    folder.mkdir(parents=True, exist_ok=True)
    write_values(folder / RSRP_FILE, np.where(np.isfinite(best), best, np.nan), grid)
    threshold = shown_threshold_dbm()
    bounds = write_overlay(folder, np.where(covered, best, -np.inf), grid, threshold)
    summary = {"technology": technology, "sites": len(attrs),
               "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
               "bounds": bounds,
               **_shares(grid, covered, store.homes(session), store.villages(session))}
    store.save_summary(home, technology, summary)
    return summary


def _candidates(grid: Grid, rows: list[dict]) -> list[Candidate]:
    out = hilltops(grid)
    if rows:
        r, c = cells_of(grid, np.array([x["lon"] for x in rows]), np.array([x["lat"] for x in rows]))
        out += [Candidate(int(a), int(b), x["kind"], x["code"])
                for a, b, x in zip(r, c, rows, strict=True)]
    return out


def plan(session: Session, home: Path, target_pct: float = 100.0) -> dict:
    """New 4G sites, greedy, until ``target_pct`` of households are covered; saved with its chart."""
    grid = read_grid(store.dem_path(session, home))
    radio = Radio(store.radio_constants())
    sites = [_site(grid, a) for a in store.cell_sites(session, "all")]
    _, covered = merged_power(grid, sites, radio)
    homes = store.homes(session)
    hr, hc = cells_of(grid, homes["lon"], homes["lat"])
    home_rc = np.column_stack([hr, hc])
    result = plan_sites(grid, _candidates(grid, store.candidates(session)), home_rc,
                        homes["households"], covered[hr, hc], radio, target=target_pct / 100.0,
                        coverage_of=site_coverage)
    to_lonlat = transformer(grid.crs, "EPSG:4326")
    for step in result["steps"]:
        x, y = grid.transform @ (step["col"] + 0.5, step["row"] + 0.5)
        step["lon"], step["lat"] = to_lonlat.transform(x, y)
    result.update(target_pct=target_pct, households=float(homes["households"].sum()),
                  existing_sites=len(sites),
                  computed_at=datetime.now(UTC).isoformat(timespec="seconds"))
    folder = Path(home) / "coverage" / "plan"
    write_curve(folder / "curve.png", result, title="Coverage plan")
    store.save_plan(home, result)
    return result
