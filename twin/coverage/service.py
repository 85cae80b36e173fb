"""Use cases of coverage: they read inputs, run the algorithms and write results."""

from __future__ import annotations

from pathlib import Path

from twin.coverage.algorithms.viewshed import Observer, viewshed
from twin.coverage.grids import read_grid, write_mask

__all__ = ["viewshed_file"]


def viewshed_file(dem: Path, at: tuple[float, float], height_m: float, out: Path, *,
                  target_height_m: float = 0.0, max_distance_m: float | None = None) -> float:
    """Write the viewshed of a WGS 84 point over ``dem`` to ``out``; the share seen."""
    grid = read_grid(dem)
    row, col = grid.cell_of(*at)
    seen = viewshed(grid.z, Observer(row, col, height_m), cell_m=grid.cell_m,
                    target_height_m=target_height_m, max_distance_m=max_distance_m)
    write_mask(out, seen, grid)
    return float(seen.mean())
