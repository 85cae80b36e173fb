"""Administrative units: real provinces and districts, synthetic commune cells.

Province and district polygons are the public ones in ``data/vn_admin``.  No
commune polygons exist there, so each district is cut into its real communes
(GSO names and codes) by a seeded Voronoi diagram, wards nearest the district's
centre; the communes in force since 1 July 2025 are unions of those cells as
the reform's merge list says.  Former units keep ``valid_to`` 2025-06-30.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, shape

from .geo import to_metric
from .records import City

__all__ = ["AdminUnits", "DATA", "admin_units", "add_admin_units"]

DATA = Path(__file__).resolve().parents[2] / "data" / "vn_admin"
REFORM_DAY = date(2025, 7, 1)
LAST_DAY = date(2025, 6, 30)
_LLOYD_ROUNDS = 2


@dataclass
class Unit:
    code: str
    name: str
    level: str
    unit_type: str
    gso_code: str
    parent_code: str | None
    geom: object
    current: bool


@dataclass
class AdminUnits:
    """Every unit (metric geometry) plus the current communes as arrays for joins."""

    units: list[Unit]

    def current_communes(self) -> list[Unit]:
        return [u for u in self.units if u.level == "commune" and u.current]

    def former_communes(self) -> list[Unit]:
        return [u for u in self.units if u.level == "commune" and not u.current]

    def district(self, gso: str) -> Unit:
        return next(u for u in self.units if u.level == "district" and u.gso_code == gso)


def _read(name: str):
    return json.loads((DATA / name).read_text("utf-8"))


def _sample_inside(poly, n: int, rng) -> np.ndarray:
    """``n`` seeded random points inside ``poly`` (rejection sampling)."""
    x0, y0, x1, y1 = poly.bounds
    found = []
    shapely.prepare(poly)
    while sum(len(f) for f in found) < n:
        xy = rng.uniform((x0, y0), (x1, y1), size=(max(4 * n, 16), 2))
        inside = shapely.contains_xy(poly, xy[:, 0], xy[:, 1])
        found.append(xy[inside])
    return np.concatenate(found)[:n]


def _cells(poly, seeds: np.ndarray) -> np.ndarray:
    if len(seeds) == 1:
        return np.array([poly], dtype=object)
    diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=poly.envelope, ordered=True)
    cells = shapely.intersection(np.asarray(shapely.get_parts(diagram)), poly)
    return shapely.make_valid(cells)


def partition(poly, n: int, rng) -> np.ndarray:
    """``n`` cells covering ``poly``: a seeded Voronoi diagram relaxed twice."""
    seeds = _sample_inside(poly, n, rng)
    for _ in range(_LLOYD_ROUNDS):
        cells = _cells(poly, seeds)
        seeds = shapely.get_coordinates(shapely.point_on_surface(cells))
    return _cells(poly, seeds)


def _district_polygons() -> list[tuple[dict, object]]:
    out = []
    for name in ("24_province_districts.geojson", "27_province_districts.geojson"):
        for f in _read(name)["features"]:
            out.append((f["properties"], shape(f["geometry"])))
    return out


def _commune_names() -> dict[str, list[dict]]:
    names = {}
    for prov in _read("dvhcvn_codes_names_24_27.json")["data"]:
        for d in prov["level2s"]:
            names[d["level2_id"]] = d["level3s"]
    return names


def _urban_first(cells: np.ndarray, communes: list[dict], centre) -> list[tuple[dict, object]]:
    """Wards and towns take the cells nearest the centre, rural communes the rest."""
    far = shapely.distance(shapely.point_on_surface(cells), shapely.Point(centre))
    urban = sorted(communes, key=lambda c: (c["type"] == "Xã", c["level3_id"]))
    return list(zip(urban, cells[np.argsort(far, kind="stable")], strict=True))


#: The district polygons predate changes the GSO list of 2025 already has:
#: Yên Dũng (221) was merged into Bắc Giang city (213), and Chũ town (224) was
#: carved out of Lục Ngạn (219).  Polygons are joined and commune lists pooled
#: accordingly; the district units are then the unions of their communes.
POLYGON_GROUPS = {"213": ("213", "221"), "219": ("219",)}
COMMUNE_GROUPS = {"213": ("213",), "219": ("219", "224")}
DISSOLVED = {"221"}


def _district_shapes() -> tuple[list[Unit], dict[str, object]]:
    provinces, polygons = [], {}
    for props, geom in _district_polygons():
        metric = shapely.make_valid(to_metric(geom))
        if props["level"] == 1:
            provinces.append(
                Unit(
                    f"OLD-{props['code']}",
                    props["name"],
                    "province",
                    props["name"].split()[0],
                    props["code"],
                    None,
                    metric,
                    False,
                )
            )
        else:
            polygons[props["code"]] = (metric, props["parent"])
    return provinces, polygons


def _former_units(rng, centres: dict[str, tuple]) -> list[Unit]:
    names = _commune_names()
    district_info = {
        d["level2_id"]: (d["name"], d["type"], prov["level1_id"])
        for prov in _read("dvhcvn_codes_names_24_27.json")["data"]
        for d in prov["level2s"]
    }
    units, polygons = _district_shapes()
    communes_of: dict[str, list[Unit]] = {}
    for code in sorted(polygons):
        if code in DISSOLVED:
            continue
        poly = shapely.union_all([polygons[c][0] for c in POLYGON_GROUPS.get(code, (code,))])
        members = [(d, c) for d in COMMUNE_GROUPS.get(code, (code,)) for c in names.get(d, [])]
        centre = centres.get(code)
        if centre is None:
            centre = shapely.get_coordinates(poly.point_on_surface())[0]
        cells = partition(poly, len(members), rng)
        ordered = _urban_first(cells, [c for _, c in members], centre)
        district_of = {c["level3_id"]: d for d, c in members}
        for c, cell in ordered:
            d = district_of[c["level3_id"]]
            communes_of.setdefault(d, []).append(
                Unit(
                    f"OLD-{c['level3_id']}",
                    c["name"],
                    "commune",
                    c["type"],
                    c["level3_id"],
                    f"OLD-{d}",
                    cell,
                    False,
                )
            )
    for d, communes in sorted(communes_of.items()):
        name, kind, parent = district_info[d]
        units.append(
            Unit(
                f"OLD-{d}",
                name,
                "district",
                kind,
                d,
                f"OLD-{parent}",
                shapely.make_valid(shapely.union_all([c.geom for c in communes])),
                False,
            )
        )
        units.extend(communes)
    return units


def _current_units(former: list[Unit], rng) -> list[Unit]:
    """The new province (union of 24 and 27) and its communes after the reform."""
    reform = _read("merges_24.json")["data"][0]
    old_cells = {u.gso_code: u.geom for u in former if u.level == "commune"}
    claims: dict[str, list[str]] = {}
    for new in reform["level2s"]:
        for m in new["merges"]:
            if m["old_id"] in old_cells:
                claims.setdefault(m["old_id"], []).append(new["level2_id"])
    pieces: dict[str, list] = {}
    for old, news in sorted(claims.items()):
        parts = partition(old_cells[old], len(news), rng) if len(news) > 1 else [old_cells[old]]
        for new, part in zip(news, parts, strict=True):
            pieces.setdefault(new, []).append(part)
    provinces = [u.geom for u in former if u.level == "province"]
    units = [
        Unit(
            reform["level1_id"],
            reform["name"],
            "province",
            reform["name"].split()[0],
            reform["level1_id"],
            None,
            shapely.union_all(provinces),
            True,
        )
    ]
    for new in reform["level2s"]:
        if new["level2_id"] in pieces:
            geom = shapely.make_valid(shapely.union_all(pieces[new["level2_id"]]))
            units.append(
                Unit(
                    new["level2_id"],
                    new["name"],
                    "commune",
                    new["name"].split()[0],
                    new["level2_id"],
                    reform["level1_id"],
                    geom,
                    True,
                )
            )
    return units


def admin_units(rng, centres: dict[str, tuple]) -> AdminUnits:
    """Former provinces, districts and communes, and the units in force today.

    ``centres`` gives, per district GSO code, the metric point nearest which
    the wards are laid out (the town centre).
    """
    former = _former_units(rng, centres)
    return AdminUnits(former + _current_units(former, rng))


def add_admin_units(city: City, admin: AdminUnits, population: dict[str, tuple]) -> None:
    """Add every unit to the city as ``base_admin_unit`` features.

    ``population`` maps a unit code to ``(population, households)``.
    """
    units = admin.units
    pop = [population.get(u.code, (None, None)) for u in units]
    city.add(
        "base_admin_unit",
        [u.geom for u in units],
        code=[u.code for u in units],
        name=[u.name for u in units],
        level=[u.level for u in units],
        unit_type=[u.unit_type for u in units],
        gso_code=[u.gso_code for u in units],
        parent_code=[u.parent_code for u in units],
        population=[p[0] for p in pop],
        households=[p[1] for p in pop],
        valid_from=[REFORM_DAY if u.current else None for u in units],
        valid_to=[None if u.current else LAST_DAY for u in units],
    )
