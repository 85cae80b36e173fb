"""Benchmark of mobile coverage over the province demo.

The province demo (seed 1) is generated; then every cell site's coverage is
computed over the 30 m DEM (viewshed, path loss, sector patterns, RSRP),
merged, and the share of residential households covered is taken.  Target:
the coverage step under 60 s.  The generation of the demo is timed apart
and is not part of the goal.

Baseline measured in the same run: GDAL's ``gdal_viewshed`` (C++) on one
site's window, against the line-of-sight step of our own sweep on it.

Run from the repository root::

    .venv/bin/python -m benchmarks.coverage_bench [--seed 1] [--figures docs]

``--figures DIR`` also plans new sites for the province (greedy, to 100 %)
and draws ``coverage-map.png`` and ``coverage-plan.png`` there (the figures
of ``docs/coverage.md``).
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
from twin.coverage.chart import write_curve  # noqa: E402
from twin.coverage.grids import Grid, write_values  # noqa: E402
from twin.coverage.overlay import CLASSES  # noqa: E402
from twin.coverage.planning import Candidate, hilltops, plan_sites  # noqa: E402
from twin.coverage.service import merged_power, site_coverage  # noqa: E402
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
    parser.add_argument("--figures", type=Path, default=None,
                        help="Folder to draw the coverage map and the plan's curve in.")
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
    if args.figures:
        _figures(args.figures, city, grid, sites, _best, covered, (hr, hc, hh), radio)
    rural = next((s for s in sites if s.technology == "4g" and not s.urban), sites[0])
    ours, gdal = _gdal_baseline(grid, rural, radio["max_range_m.4g"])
    print(f"baseline, one 4G window: our line of sight {ours:.2f} s, gdal_viewshed {gdal:.2f} s")


def _figures(out: Path, city, grid: Grid, sites, best, covered, homes, radio) -> None:
    hr, hc, hh = homes
    b = _batch(city, "base_building")
    tall = np.array([(f or 0) >= 5 for f in b.column("floors")])
    xy = shapely.get_coordinates(shapely.point_on_surface(b.geoms[tall]))
    col, row = ~grid.transform @ (xy[:, 0], xy[:, 1])
    cands = hilltops(grid) + [Candidate(int(r), int(c), "building") for r, c in zip(row, col,
                                                                                   strict=True)]
    started = time.perf_counter()
    plan = plan_sites(grid, cands, np.column_stack([hr, hc]), hh, covered[hr, hc], radio,
                      target=1.0, coverage_of=site_coverage)
    plan["target_pct"] = 100.0
    print(f"plan: {len(plan['steps'])} new sites from {plan['tried']} of {plan['candidates']} "
          f"candidates in {time.perf_counter() - started:.1f} s")
    write_curve(out / "coverage-plan.png", plan, title="Province demo")
    _draw_map(out / "coverage-map.png", city, grid, sites, np.where(covered, best, -np.inf), plan)


def _draw_map(path: Path, city, grid: Grid, sites, rsrp, plan) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.colors import LightSource

    rows, cols = grid.z.shape
    x0, y1 = grid.transform @ (0, 0)
    x1, y0 = grid.transform @ (cols, rows)
    extent = (x0, x1, y0, y1)
    fig, ax = plt.subplots(figsize=(11, 5.6), dpi=100)
    ax.imshow(LightSource(315, 45).hillshade(grid.z, vert_exag=4, dx=grid.cell_m, dy=grid.cell_m),
              cmap="gray", extent=extent, vmin=0, vmax=1.2)
    rgba = np.zeros((rows, cols, 4))
    for lowest, colour in reversed(CLASSES):
        rgba[rsrp >= lowest] = np.array(colour) / 255
    ax.imshow(rgba, extent=extent)
    for _code, geom in city.communes:
        for part in getattr(geom, "geoms", [geom]):
            ax.plot(*part.exterior.xy, color="#555555", linewidth=0.3)
    for tech, colour in (("4g", "#fd8d3c"), ("5g", "#e31a1c")):
        pts = [grid.transform @ (s.col + 0.5, s.row + 0.5) for s in sites if s.technology == tech]
        if pts:
            ax.scatter(*zip(*pts, strict=True), s=10, color=colour, label=f"{tech.upper()} site")
    new = [grid.transform @ (s["col"] + 0.5, s["row"] + 0.5) for s in plan["steps"]]
    if new:
        ax.scatter(*zip(*new, strict=True), s=14, marker="^", color="#2c7fb8",
                   label="proposed site")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title("Mobile coverage of the province demo: RSRP ≥ -110 dBm, darker = stronger")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    main()
