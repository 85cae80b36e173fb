"""Line of sight from one observer over a DEM grid, as ``gdal_viewshed`` computes it.

The method is the one of Wang, Robinson and White, "Generating viewsheds
without using sightlines" (PE&RS 66(1), 2000) in the "edge" form GDAL uses by
default: each cell keeps the height of the sight plane that reaches it
(``max(own height, plane)``), and a cell's plane is extrapolated from the two
cells next to it on the side of the observer.  Those two cells lie one
Chebyshev ring closer, so the grid is swept ring by ring, each ring in a few
vectorised steps per quadrant.  Heights are lowered by
``curvature * distance² / earth diameter`` (refraction included in the
coefficient, 0.85714 by default, as in GDAL).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CURVATURE_REFRACTION", "Observer", "viewshed"]

#: GDAL's default coefficient: earth curvature less standard refraction (1 - 1/7).
CURVATURE_REFRACTION = 0.85714
#: Earth diameter (m) from the WGS 84 / VN-2000 semi-major axis, as GDAL takes it.
EARTH_DIAMETER_M = 2 * 6378137.0


@dataclass(frozen=True)
class Observer:
    """Where the eye is: grid cell (``row``, ``col``) and its height above ground (m)."""

    row: int
    col: int
    height_m: float


def viewshed(
    z: np.ndarray,
    observer: Observer,
    *,
    cell_m: float,
    target_height_m: float = 0.0,
    max_distance_m: float | None = None,
    curvature: float = CURVATURE_REFRACTION,
    earth_diameter_m: float = EARTH_DIAMETER_M,
) -> np.ndarray:
    """Boolean grid of the cells a target ``target_height_m`` above ground is seen in.

    Parameters
    ----------
    z : (rows, cols) elevations, metres, square cells of ``cell_m`` metres.
    observer : the eye, in the grid's rows and columns.
    max_distance_m : cells further than this are not visible (``None``: whole grid).

    Examples
    --------
    >>> z = np.zeros((5, 5)); z[2, 3] = 50.0
    >>> seen = viewshed(z, Observer(2, 2, 2.0), cell_m=10.0, curvature=0.0)
    >>> bool(seen[2, 3]), bool(seen[2, 4]), bool(seen[0, 0])
    (True, False, True)
    """
    z = np.asarray(z, dtype=float)
    rows, cols = z.shape
    r0, c0 = observer.row, observer.col
    if not (0 <= r0 < rows and 0 <= c0 < cols):
        raise ValueError(f"observer cell ({r0}, {c0}) is outside the {rows}×{cols} grid")
    dr = (np.arange(rows) - r0)[:, None] * cell_m
    dc = (np.arange(cols) - c0)[None, :] * cell_m
    dist2 = dr * dr + dc * dc
    lowered = z - curvature * dist2 / earth_diameter_m if curvature else z.copy()
    z_eye = z[r0, c0] + observer.height_m
    seen = np.zeros((rows, cols), dtype=bool)
    for flip_r in (False, True):
        for flip_c in (False, True):
            quad = _quadrant(lowered, r0, c0, flip_r, flip_c)
            seen_q = _quadrant(seen, r0, c0, flip_r, flip_c)
            seen_q |= _sweep(quad.copy(), z_eye, target_height_m)
    seen[r0, c0] = True
    if max_distance_m is not None:
        seen &= dist2 <= max_distance_m * max_distance_m
    return seen


def _quadrant(grid: np.ndarray, r0: int, c0: int, flip_r: bool, flip_c: bool) -> np.ndarray:
    """View of one quadrant with the observer at [0, 0], offsets growing with the indices."""
    part = grid[r0::-1] if flip_r else grid[r0:]
    return part[:, c0::-1] if flip_c else part[:, c0:]


def _sweep(h: np.ndarray, z_eye: float, target: float) -> np.ndarray:
    """Visibility in one quadrant; ``h`` (modified) holds the sight-plane heights."""
    n_rows, n_cols = h.shape
    seen = np.zeros(h.shape, dtype=bool)
    seen[0, 0] = True
    if n_cols > 1:
        seen[0, 1] = True  # the next cell along the observer's row is always seen
    if n_rows > 1:
        _settle(h, seen, (1, slice(0, min(2, n_cols))), h[0, 0], target)
    for k in range(2, max(n_rows, n_cols)):
        if k < n_cols:  # column k, rows 0..k: planes from column k-1
            b = np.arange(min(k + 1, n_rows))
            diag = h[np.maximum(b - 1, 0), k - 1]
            side = h[np.minimum(b, k - 1), k - 1]
            plane = ((diag - z_eye) * b + (side - z_eye) * (k - b)) / (k - 1) + z_eye
            _settle(h, seen, (b, k), plane, target)
        if k < n_rows:  # row k, columns 0..k-1: planes from row k-1
            a = np.arange(min(k, n_cols))
            diag = h[k - 1, np.maximum(a - 1, 0)]
            side = h[k - 1, a]
            plane = ((diag - z_eye) * a + (side - z_eye) * (k - a)) / (k - 1) + z_eye
            _settle(h, seen, (k, a), plane, target)
    return seen


def _settle(h: np.ndarray, seen: np.ndarray, where, plane, target: float) -> None:
    """Mark cells at ``where`` seen when above ``plane``; raise their height to it."""
    own = h[where]
    seen[where] = own + target >= plane
    h[where] = np.maximum(own, plane)
