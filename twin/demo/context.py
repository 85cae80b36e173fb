"""What every generator step shares: the town's geography and the records so far."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from .admin import AdminUnits, admin_units
from .dem import Dem, make_dem, rivers
from .geo import CRS, polygon_at, to_metric
from .records import City, codes_of
from .roads import Streets, street_graph
from .scales import CENTRE_LONLAT, Scale
from .settlements import Buildings, Villages, place_buildings, place_villages

__all__ = ["Context", "prepare"]

GRID_ANGLE = np.radians(22.0)


@dataclass
class Context:
    scale: Scale
    rng: np.random.Generator
    city: City
    admin: AdminUnits
    region: object
    centre: np.ndarray
    towns: list
    town_names: list
    rivers: dict
    river: object
    streets: Streets
    villages: Villages
    buildings: Buildings
    dem: Dem
    village_ids: np.ndarray = None
    building_ids: np.ndarray = None
    building_address: list = None
    facilities: list = field(default_factory=list)
    facility_ids: np.ndarray = None
    village_households: np.ndarray = None
    power_requests: list = field(default_factory=list)
    shared: dict = field(default_factory=dict)

    @property
    def admin_by_code(self) -> dict:
        return {u.code: u for u in self.admin.units}

    def current_commune_of(self, xy: np.ndarray) -> list[str]:
        """Current commune code at each point (nearest commune for points on a border)."""
        communes = self.admin.current_communes()
        tree = shapely.STRtree([c.geom for c in communes])
        found = polygon_at(tree, shapely.points(np.asarray(xy).reshape(-1, 2)))
        return [communes[i].code for i in found]

    def offset(self, vec) -> np.ndarray:
        """A vector given in the town grid's axes, in map axes (metres)."""
        c, s = np.cos(self.streets.angle), np.sin(self.streets.angle)
        return np.asarray(vec, float) @ np.array([[c, s], [-s, c]])

    def building_categories(self) -> tuple[np.ndarray, list]:
        """Customer category of each building, and the facility it houses (hospitals)."""
        b = self.buildings
        cat = np.where(b.use == "commercial", "commercial", "residential").astype(object)
        extra = [None] * len(b)
        for f, fid in zip(self.facilities, self.facility_ids, strict=True):
            i = f["building"]
            cat[i] = "hospital" if f["kind"] == "hospital" else "institutional"
            if f["kind"] == "hospital":
                extra[i] = {"facility": self.codes("base_facility", [fid])[0]}
        return cat, extra

    def spread_nodes(self, candidates: np.ndarray, count: int, start) -> list[int]:
        """``count`` of the candidate street nodes, far apart (farthest-point choice)."""
        xy = self.streets.xy[candidates]
        chosen = [int(np.argmin(np.hypot(*(xy - np.asarray(start)).T)))]
        gap = np.hypot(*(xy - xy[chosen[0]]).T)
        while len(chosen) < min(count, len(candidates)):
            chosen.append(int(np.argmax(gap)))
            gap = np.minimum(gap, np.hypot(*(xy - xy[chosen[-1]]).T))
        return [int(candidates[c]) for c in chosen]

    def codes(self, table: str, ids) -> list[str]:
        return codes_of(table, ids)

    def request_power(self, xy, supplies: str | None, category: str = "utility") -> int:
        """Ask the power network for a customer at ``xy``; returns its local id."""
        pid = int(self.city.new_ids(1)[0])
        self.power_requests.append(
            {"id": pid, "xy": np.asarray(xy, float), "supplies": supplies, "category": category}
        )
        return pid


def _region(admin: AdminUnits, scale: Scale, centre) -> object:
    if scale.districts is None:
        parts = [u.geom for u in admin.units if u.level == "district" and u.parent_code == "OLD-24"]
    else:
        parts = [admin.district(d).geom for d in scale.districts]
    region = shapely.union_all(parts)
    if scale.box_half_m:
        h = scale.box_half_m
        box = shapely.box(centre[0] - h, centre[1] - h, centre[0] + h, centre[1] + h)
        region = region.intersection(box)
    return region


def _towns(admin: AdminUnits, scale: Scale, centre, region):
    towns = [(centre, scale.core_half_m, scale.block_m)]
    names = ["Thành phố Bắc Giang"]
    if scale.seat_core_half_m:
        for d in admin.units:
            if d.level != "district" or d.parent_code != "OLD-24" or d.gso_code == "213":
                continue
            seats = [
                u
                for u in admin.units
                if u.parent_code == d.code
                and u.level == "commune"
                and u.unit_type in ("Thị trấn", "Phường")
            ]
            seat = seats[0].geom if seats else d.geom
            towns.append(
                (
                    shapely.get_coordinates(seat.point_on_surface())[0],
                    scale.seat_core_half_m,
                    scale.block_m * 0.8,
                )
            )
            names.append(d.name)
    return towns, names


def _town_footprint(towns, angle):
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, s], [-s, c]])
    shapes = []
    for centre, half, _ in towns:
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * (half + 30)
        shapes.append(shapely.Polygon(np.asarray(centre) + corners @ rot))
    return shapely.union_all(shapes)


def prepare(scale: Scale, seed: int) -> Context:
    """Lay out the geography of a demo scale: units, rivers, streets, buildings, DEM."""
    rng = np.random.default_rng(seed)
    centre = shapely.get_coordinates(to_metric(shapely.Point(*CENTRE_LONLAT)))[0]
    admin = admin_units(rng, {"213": centre})
    region = _region(admin, scale, centre)
    river_lines = rivers(centre, region)
    river = shapely.union_all(list(river_lines.values())) if river_lines else None
    towns, town_names = _towns(admin, scale, centre, region)
    former = [
        u
        for u in admin.former_communes()
        if scale.districts is None or u.parent_code in {f"OLD-{d}" for d in scale.districts}
    ]
    villages = place_villages(former, region, scale, rng)
    footprint = _town_footprint(towns, GRID_ANGLE)
    rural = ~shapely.contains_xy(footprint, villages.xy[:, 0], villages.xy[:, 1])
    if river is not None:
        rural &= shapely.distance(shapely.points(villages.xy), river) > 150
    streets = street_graph(towns, villages.xy, rural, region, river, rng, angle=GRID_ANGLE)
    buildings = place_buildings(streets, villages, scale, rng)
    dem = make_dem(
        region, river_lines, centre, scale.dem_resolution_m, rng, hills=scale.districts is None
    )
    city = City(scale.name, seed, CRS)
    city.dem = dem
    ctx = Context(
        scale,
        rng,
        city,
        admin,
        region,
        centre,
        towns,
        town_names,
        river_lines,
        river,
        streets,
        villages,
        buildings,
        dem,
    )
    ctx.village_ids = city.new_ids(len(villages.xy))
    return ctx
