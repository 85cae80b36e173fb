"""The demo city from a scale and a seed: every layer, deterministic.

``generate_city("city", seed=1)`` always returns the same features with the
same local ids and codes; nothing here touches a database or the disk.
"""

from __future__ import annotations

from .admin import add_admin_units
from .base import add_base_map, add_villages
from .cameras import add_cameras
from .cells import add_cell_sites
from .context import prepare
from .drainage import add_drainage
from .lighting import add_lighting
from .plans import add_plans
from .power import add_power
from .records import City
from .scales import scale_named
from .telecom import add_telecom
from .trees import add_trees
from .water import add_water

__all__ = ["generate_city", "planted_conflicts"]


def _population(ctx) -> dict[str, tuple]:
    """Population and households of every unit (summed villages, or a plausible draw)."""
    rng = ctx.rng
    out = {}
    v = ctx.villages
    hh = ctx.village_households
    by_former = {}
    for code, h in zip(v.former_commune, hh, strict=True):
        by_former[code] = by_former.get(code, 0) + int(h)
    for u in ctx.admin.units:
        if u.level != "commune":
            continue
        households = by_former.get(u.code) or int(rng.integers(1500, 4500))
        out[u.code] = (int(households * rng.uniform(3.3, 3.9)), households)
    return out


def generate_city(scale: str = "city", seed: int = 1, *, progress=None) -> City:
    """Generate the demo twin of ``scale`` (small, city, province) for ``seed``."""
    say = progress or (lambda message: None)
    ctx = prepare(scale_named(scale), seed)
    say("base map")
    add_base_map(ctx)
    say("water")
    add_water(ctx)
    say("telecom")
    fiber_share = add_telecom(ctx)
    say("lighting")
    add_lighting(ctx)
    say("drainage")
    add_drainage(ctx)
    say("power")
    add_power(ctx)
    say("trees")
    add_trees(ctx)
    add_villages(ctx, fiber_share)
    say("plans")
    add_plans(ctx)
    add_admin_units(ctx.city, ctx.admin, _population(ctx))
    ctx.city.communes = [(u.code, u.geom) for u in ctx.admin.current_communes()]
    say("cell sites")
    add_cell_sites(ctx)
    say("cameras")
    add_cameras(ctx)
    return ctx.city


def planted_conflicts(seed: int = 1, scale: str = "city") -> list[dict]:
    """The inconsistencies planted in the demo plans of ``scale`` and ``seed``.

    Each entry has ``kind`` (a finding kind of :mod:`twin.zoning.model`),
    ``plan_ids``, the involved ``zones`` as ``zone:<plan>/<zone>`` references
    (or ``red_lines`` / ``assets`` codes), and ``where`` (WGS 84 lon, lat).
    """
    return generate_city(scale, seed).planted
