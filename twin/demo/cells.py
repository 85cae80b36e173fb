"""Mobile cell sites: 4G macro sites over the towns and part of the countryside, 5G in towns.

Town centres get a 5G site (3.5 GHz, urban) and a 4G site (1800 MHz);
a share of villages get a rural 4G site (900 MHz in the hills, 1800 MHz on
the plain), so that some communes stay below the coverage target and the
planner has work.  A random generator of its own keeps every other layer of
the demo as it was.
"""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context

__all__ = ["add_cell_sites"]

OPERATORS = ("Viettel", "VNPT VinaPhone", "MobiFone")
RURAL_SHARE = 0.05


def add_cell_sites(ctx: Context) -> None:
    """Add the ``telecom_cell_site`` features of the demo."""
    rng = np.random.default_rng(ctx.city.seed + 2100)
    towns = np.array([centre for centre, _half, _block in ctx.towns], float).reshape(-1, 2)
    villages = ctx.villages.xy
    rural = villages[rng.random(len(villages)) < RURAL_SHARE]
    n_town, n_rural = len(towns), len(rural)
    xy = np.vstack([towns + [60.0, 40.0], towns - [80.0, 50.0], rural + [120.0, -90.0]])
    tech = ["5g"] * n_town + ["4g"] * (n_town + n_rural)
    ground = ctx.dem.sample(xy)
    hills = ground > 60.0
    band = np.where(np.array(tech) == "5g", 3500, np.where(hills, 900, 1800))
    count = len(xy)
    ctx.city.add(
        "telecom_cell_site",
        shapely.points(xy),
        name=[f"BTS {i + 1:03d}" for i in range(count)],
        owner_operator=[OPERATORS[i % len(OPERATORS)] for i in range(count)],
        technology=tech,
        band_mhz=band.astype(int),
        area_type=["urban"] * (2 * n_town) + ["rural"] * n_rural,
        tower_height_m=np.where(np.array(tech) == "5g", 30.0, np.where(hills, 45.0, 36.0)),
        sectors=np.full(count, 3),
        azimuth_deg=np.round(rng.uniform(0, 120, count), 0),
        tilt_deg=np.where(np.array(tech) == "5g", 6.0, 3.0),
        power_w=np.where(np.array(tech) == "5g", 80.0, 40.0),
    )
