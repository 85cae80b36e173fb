"""Benchmark of mobile coverage over the province demo.

The province demo (seed 1) is generated; then every cell site's coverage is
computed over the 30 m DEM (viewshed, path loss, sector patterns, RSRP),
merged, and the share of residential households covered is taken.  Target:
the coverage step under 60 s.  The generation of the demo is timed apart
and is not part of the goal.

Baseline measured in the same run: GDAL's ``gdal_viewshed`` (C++) on one
site's window, against the line-of-sight step of our own sweep on it.

Run from the repository root::

    .venv/bin/python -m benchmarks.coverage_bench [--seed 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from affine import Affine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twin.coverage.algorithms.link import Radio, Site  # noqa: E402
from twin.coverage.algorithms.viewshed import Observer, viewshed  # noqa: E402
from twin.coverage.grids import Grid, write_values  # noqa: E402
from twin.coverage.service import merged_power  # noqa: E402
from twin.coverage.store import radio_constants  # noqa: E402
from twin.demo.generate import generate_city  # noqa: E402

GOAL_S = 60.0


def _batch(city, table):
    return next(b for b in city.batches if b.table == table)


def _sites(city, grid: Grid) -> list[Site]:
    b = _batch(city, "telecom_cell_site")
    xy = shapely.get_coordinates(b.geoms)
    col, row = ~grid.transform @ (xy[:, 0], xy[:, 1])
    return [Site(int(r), int(c), h, t, float(f), a == "urban", 3, float(az), tl, p)
            for r, c, h, t, f, a, az, tl, p in zip(
                row, col, b.column("tower_height_m"), b.column("technology"),
                b.column("band_mhz"), b.column("area_type"), b.column("azimuth_deg"),
                b.column("tilt_deg"), b.column("power_w"), strict=True)]


def _homes(city, grid: Grid):
    b = _batch(city, "base_building")
    use = np.array(b.column("use"), dtype=object)
    keep = use == "residential"
    xy = shapely.get_coordinates(shapely.point_on_surface(b.geoms[keep]))
    hh = np.array([h or 1 for h, k in zip(b.column("households"), keep, strict=True) if k], float)
    col, row = ~grid.transform @ (xy[:, 0], xy[:, 1])
    rows, cols = grid.z.shape
    return np.clip(row.astype(int), 0, rows - 1), np.clip(col.astype(int), 0, cols - 1), hh


def _gdal_baseline(grid: Grid, site: Site, radius_m: float) -> tuple[float, float]:
    part, row, col = grid.window(site.row, site.col, radius_m)
    started = time.perf_counter()
    viewshed(part.z, Observer(row, col, site.height_m), cell_m=grid.cell_m, target_height_m=1.5)
    ours = time.perf_counter() - started
    if shutil.which("gdal_viewshed") is None:
        return ours, float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        dem = Path(tmp) / "dem.tif"
        write_values(dem, part.z, part)
        x, y = part.transform @ (col + 0.5, row + 0.5)
        started = time.perf_counter()
        subprocess.run(["gdal_viewshed", "-q", "-ox", repr(x), "-oy", repr(y),
                        "-oz", str(site.height_m), "-tz", "1.5", str(dem), str(Path(tmp) / "v.tif")],
                       check=True)
        return ours, time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    city = generate_city("province", seed=args.seed)
    print(f"province demo generated in {time.perf_counter() - started:.1f} s (not timed)")
    dem = city.dem
    grid = Grid(dem.z.astype(float), Affine(dem.resolution, 0, dem.x0, 0, -dem.resolution, dem.y1),
                city.crs)
    radio = Radio(radio_constants())
    sites = _sites(city, grid)
    hr, hc, hh = _homes(city, grid)
    started, cpu = time.perf_counter(), time.process_time()
    _best, covered = merged_power(grid, sites, radio)
    share = float(hh[covered[hr, hc]].sum() / hh.sum())
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"DEM {grid.z.shape[1]}×{grid.z.shape[0]} cells of {grid.cell_m:g} m, "
          f"{len(sites)} sites, {len(hh)} residential buildings")
    print(f"coverage: {took:.1f} s, {cpu:.1f} s of CPU ({took / max(len(sites), 1):.2f} s per site), "
          f"{100 * share:.1f} % of households covered — goal < {GOAL_S:g} s: "
          f"{'met' if took < GOAL_S else 'MISSED'}")
    rural = next((s for s in sites if s.technology == "4g" and not s.urban), sites[0])
    ours, gdal = _gdal_baseline(grid, rural, radio["max_range_m.4g"])
    print(f"baseline, one 4G window: our line of sight {ours:.2f} s, gdal_viewshed {gdal:.2f} s")


if __name__ == "__main__":
    main()
