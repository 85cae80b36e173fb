"""The base map of the demo: roads, buildings, facilities, villages and rivers."""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context
from .settlements import PEOPLE_PER_HOUSEHOLD, pick_facilities

__all__ = ["add_base_map", "add_villages", "wanted_facilities"]

HOSPITALS = (
    "Bệnh viện Đa khoa tỉnh Bắc Giang",
    "Bệnh viện Sản - Nhi Bắc Giang",
    "Bệnh viện Y học cổ truyền Bắc Giang",
)
CAPACITY = {
    "hospital": (250, 900),
    "clinic": (5, 15),
    "school": (400, 1500),
    "government": (20, 80),
}


def _short(name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def wanted_facilities(ctx: Context) -> list[dict]:
    """Hospitals near the town centres, and per commune a school, office and clinic."""
    want = []
    for t, (centre, _, block) in enumerate(ctx.towns):
        names = HOSPITALS if t == 0 else (f"Trung tâm Y tế {ctx.town_names[t]}",)
        count = 1 if ctx.scale.name == "small" else len(names)
        for k in range(count):
            near = np.asarray(centre) + np.array([(1.5 - k) * block, (k - 0.5) * block])
            want.append({"name": names[k], "kind": "hospital", "near": near})
    v = ctx.villages
    for code in dict.fromkeys(v.former_commune):
        first = v.former_commune.index(code)
        unit = ctx.admin_by_code[code]
        short = _short(unit.name)
        near = v.xy[first]
        want.append({"name": f"UBND {unit.name}", "kind": "government", "near": near})
        want.append({"name": f"Trường Tiểu học {short}", "kind": "school", "near": near + 120})
        want.append({"name": f"Trường THCS {short}", "kind": "school", "near": near - 150})
        if unit.unit_type == "Xã":
            want.append({"name": f"Trạm Y tế xã {short}", "kind": "clinic", "near": near + 60})
    return want


def add_base_map(ctx: Context) -> None:
    """Roads, buildings, facilities and rivers; villages come last (see add_villages)."""
    s, b, city = ctx.streets, ctx.buildings, ctx.city
    roads = shapely.linestrings(np.stack([s.xy[s.u], s.xy[s.v]], axis=1))
    city.add(
        "base_road",
        roads,
        name=s.name,
        road_class=s.road_class,
        width_m=s.width(),
        surface=["asphalt" if c != "rural" else "concrete" for c in s.road_class],
    )
    ctx.facilities = pick_facilities(b, wanted_facilities(ctx))
    numbers = (b.dist // 4).astype(int) * 2 + (b.side > 0)
    address = [
        f"Số {n}, {s.name[e]}" if s.name[e] else None for n, e in zip(numbers, b.edge, strict=True)
    ]
    ctx.building_ids = city.add(
        "base_building",
        b.polygons,
        use=b.use,
        floors=b.floors,
        households=b.households,
        address=address,
    )
    ctx.building_address = address
    rng = ctx.rng
    fac = ctx.facilities
    where = shapely.centroid(b.polygons[[f["building"] for f in fac]])
    caps = [int(rng.integers(*CAPACITY[f["kind"]])) for f in fac]
    ctx.facility_ids = city.add(
        "base_facility",
        where,
        name=[f["name"] for f in fac],
        kind=[f["kind"] for f in fac],
        capacity=caps,
    )
    _village_households(ctx)
    names = list(ctx.rivers)
    city.add(
        "base_river",
        [ctx.rivers[n] for n in names],
        name=names,
        width_m=[110.0 if "Thương" in n else 90.0 for n in names],
    )


def _village_households(ctx: Context) -> None:
    """Households of each village: its buildings', or a plausible draw for few buildings."""
    v, b, rng = ctx.villages, ctx.buildings, ctx.rng
    households = np.bincount(b.village, weights=b.households, minlength=len(v.xy)).astype(int)
    drawn = rng.integers(60, 260, len(households))
    ctx.village_households = np.where(households < 20, drawn, households)


def add_villages(ctx: Context, fiber_share: np.ndarray) -> None:
    """Villages with households summed from their buildings (synthetic, see notes)."""
    v, rng = ctx.villages, ctx.rng
    households = ctx.village_households
    population = np.round(households * rng.uniform(3.2, 4.0, len(households))).astype(int)
    fiber_households = np.round(households * fiber_share).astype(int)
    ctx.city.add(
        "base_village",
        shapely.points(v.xy),
        ids=ctx.village_ids,
        name=v.name,
        commune=ctx.current_commune_of(v.xy),
        population=population,
        households=households,
        fiber_households=np.minimum(fiber_households, households),
    )
    ctx.city.notes.append(
        "Villages are placed by the generator inside their commune (no public village points); "
        f"population is about {PEOPLE_PER_HOUSEHOLD} people per household."
    )
