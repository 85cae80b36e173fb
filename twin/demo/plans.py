"""Zoning plans of the demo town, with inconsistencies planted on purpose.

A general plan (quy hoạch chung) zones the town by arterial cells; two
adjacent 1/2000 zoning plans (quy hoạch phân khu A and B, split at the
central arterial) zone it block by block, with road red lines.  Geometry is
in VN-2000 / Bắc Giang TM-3 metres (``vn2000:bac-giang``).  Planted, so that
the reconciliation has work to find (see :func:`twin.demo.generate.planted_conflicts`):

* an overlap (a block drawn 5 m into its street) and a sliver (a block drawn
  1 m short of its street) in plan A, and a gap (a block left undesignated);
* a residential block (ODT) of plan A inside the general plan's green space;
* a street red line of plan B drawn 2.5 m off plan A's at their seam;
* a school (DGD) of plan B drawn across a street with an existing water pipe.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely

from twin.zoning.model import Plan, RedLine, Zone, zone_ref

from .context import Context

__all__ = ["add_plans"]

ARTERIAL_HALF_M = 14.5
STREET_HALF_M = 9.0
RED_LINE_OFFSET_M = 2.5
GENERAL_ID, ZONING_A, ZONING_B = "QHC-BACGIANG", "QHPK-A", "QHPK-B"
MIX = (("ODT", 0.68), ("TMD", 0.1), ("DGD", 0.08), ("DKV", 0.06), ("DYT", 0.03), ("TSC", 0.05))


class _Frame:
    """The town grid's frame: local (a, b) metres along the grid axes ↔ map metres."""

    def __init__(self, ctx: Context):
        c, s = np.cos(ctx.streets.angle), np.sin(ctx.streets.angle)
        self.rot = np.array([[c, s], [-s, c]])
        self.centre = np.asarray(ctx.towns[0][0])
        self.block = ctx.towns[0][2]

    def world(self, geom):
        return shapely.transform(geom, lambda xy: self.centre + xy @ self.rot)

    def box(self, a0, b0, a1, b1):
        return self.world(shapely.box(a0, b0, a1, b1))


def _general(ctx: Context, frame: _Frame, river):
    cell = 4 * frame.block
    n = max(1, int(round(ctx.scale.core_half_m / cell)))
    half = n * cell
    extent = frame.box(-half, -half, half, half)
    zones, codes = [], {}
    for i in range(-n, n):
        for j in range(-n, n):
            a0, b0 = i * cell + ARTERIAL_HALF_M, j * cell + ARTERIAL_HALF_M
            geom = frame.box(
                a0, b0, a0 + cell - 2 * ARTERIAL_HALF_M, b0 + cell - 2 * ARTERIAL_HALF_M
            )
            geom = geom.difference(river)
            if geom.is_empty:
                continue
            code = "TMD" if (i, j) == (0, 0) else "DKV" if (i, j) == (-1, -1) else "ODT"
            if (i, j) == (n - 1, n - 1) and n > 1:
                code = "SKC"
            zones.append(Zone(f"G{i:+d}{j:+d}", code, geom, name=f"Ô {i},{j}"))
            codes[(i, j)] = code
    zones += _roads_and_water(extent, zones, river, "G")
    lines = []
    for k in range(-n, n + 1):
        for side in (-1, 1):
            off = k * cell + side * ARTERIAL_HALF_M
            lines.append(
                RedLine(
                    f"G-RL-a{k}{side:+d}",
                    frame.world(shapely.LineString([(off, -half), (off, half)])),
                    "trục chính",
                )
            )
            lines.append(
                RedLine(
                    f"G-RL-b{k}{side:+d}",
                    frame.world(shapely.LineString([(-half, off), (half, off)])),
                    "trục chính",
                )
            )
    plan = Plan(
        GENERAL_ID,
        "general",
        "Quy hoạch chung thành phố Bắc Giang (demo)",
        zones,
        red_lines=lines,
        status="approved",
        decision_number="DEMO-01/QĐ-UBND",
        decision_date=date(2021, 6, 30),
        boundary=extent,
    )
    return plan, codes, n, cell


def _roads_and_water(extent, zones, river, prefix):
    water = extent.intersection(river)
    built = shapely.union_all([z.geometry for z in zones])
    roads = extent.difference(built).difference(river)
    out = [Zone(f"{prefix}-DGT", "DGT", roads, name="Đất giao thông")]
    if not water.is_empty:
        out.append(Zone(f"{prefix}-SON", "SON", water, name="Sông Thương"))
    return out


def _block(frame, i, j, general_cell) -> object:
    blk = frame.block
    geom = frame.box(
        i * blk + STREET_HALF_M,
        j * blk + STREET_HALF_M,
        (i + 1) * blk - STREET_HALF_M,
        (j + 1) * blk - STREET_HALF_M,
    )
    return geom.intersection(general_cell)


def _blocks(ctx, frame, general, n, side):
    """Zones of one zoning plan: the street blocks of its half, coded after the general plan."""
    rng = ctx.rng
    cells = {z.id: z for z in general.zones}
    per = 4 * n
    i_range = range(-per, 0) if side == "A" else range(0, per)
    out = {}
    for i in i_range:
        for j in range(-per, per):
            ci, cj = i // 4, j // 4
            cell = cells.get(f"G{ci:+d}{cj:+d}")
            if cell is None:
                continue
            geom = _block(frame, i, j, cell.geometry)
            if geom.is_empty or geom.area < 400:
                continue
            code = cell.code
            if code == "ODT":
                code = rng.choice([c for c, _ in MIX], p=[p for _, p in MIX])
            elif code == "DKV" and rng.random() < 0.2:
                code = "DTT"
            out[(i, j)] = Zone(f"{side}{i:+d}{j:+d}", str(code), geom, name=f"Lô {i},{j}")
    return out


def _interior(blocks, general_codes, frame, wanted="ODT"):
    full = (frame.block - 2 * STREET_HALF_M) ** 2 * 0.98
    return [
        k
        for k, z in sorted(blocks.items())
        if k[0] % 4 in (1, 2)
        and k[1] % 4 in (1, 2)
        and z.geometry.area > full
        and general_codes.get((k[0] // 4, k[1] // 4)) == wanted
    ]


def _red_lines(frame, n, side, shifted_line=None):
    blk, per = frame.block, 4 * n
    a0, a1 = (-per * blk, 0.0) if side == "A" else (0.0, per * blk)
    lines = []
    for k in range(-per, per + 1):
        half = ARTERIAL_HALF_M if k % 4 == 0 else STREET_HALF_M
        for s in (-1, 1):
            off = k * blk + s * half + (RED_LINE_OFFSET_M if k == shifted_line else 0.0)
            lines.append(
                RedLine(
                    f"{side}-RL-b{k}{s:+d}", frame.world(shapely.LineString([(a0, off), (a1, off)]))
                )
            )
            if a0 <= k * blk <= a1:
                lines.append(
                    RedLine(
                        f"{side}-RL-a{k}{s:+d}",
                        frame.world(
                            shapely.LineString(
                                [(k * blk + s * half, -per * blk), (k * blk + s * half, per * blk)]
                            )
                        ),
                    )
                )
    return lines


def _pipes_under(ctx, geom) -> list[str]:
    inner = geom.buffer(-1.0)
    found = []
    for batch in ctx.city.of("water_pipe"):
        mains = np.asarray(batch.column("diameter_mm")) > 50
        hit = np.flatnonzero(shapely.intersects(batch.geoms, inner) & mains)
        found += ctx.codes("water_pipe", batch.ids[hit])
    return found


def _school(ctx, frame, blocks, general, codes):
    """Two blocks of plan B joined across a street into a school; the pipes under it."""
    cells = {z.id: z for z in general.zones}
    blk = frame.block
    for i, j in _interior(blocks, codes, frame):
        if i % 4 != 1 or (i + 1, j) not in blocks:
            continue
        cell = cells[f"G{i // 4:+d}{j // 4:+d}"].geometry
        geom = frame.box(
            i * blk + STREET_HALF_M,
            j * blk + STREET_HALF_M,
            (i + 2) * blk - STREET_HALF_M,
            (j + 1) * blk - STREET_HALF_M,
        )
        geom = geom.intersection(cell)
        pipes = _pipes_under(ctx, geom)
        if pipes:
            del blocks[(i, j)], blocks[(i + 1, j)]
            blocks[("school",)] = Zone("B-school", "DGD", geom, name="Trường học quy hoạch")
            return pipes
    return []


def _where(geom) -> list[float]:
    from .geo import to_wgs84

    return [round(v, 7) for v in shapely.get_coordinates(to_wgs84(geom.point_on_surface()))[0]]


def _plant_in_a(ctx, frame, blocks, codes, planted):
    """Overlap, sliver, gap and a land-use conflict in plan A (zones edited after DGT)."""
    picks = _interior(blocks, codes, frame)
    (over, sliver, gap) = picks[:3]
    z = blocks[over]
    blocks[over] = Zone(z.id, z.code, z.geometry.buffer(5.0, join_style="mitre"), z.name)
    planted.append(
        {
            "kind": "overlap",
            "plan_ids": [ZONING_A],
            "zones": sorted([zone_ref(ZONING_A, z.id), zone_ref(ZONING_A, "A-DGT")]),
            "where": _where(z.geometry),
        }
    )
    z = blocks[sliver]
    blocks[sliver] = Zone(z.id, z.code, z.geometry.buffer(-1.0, join_style="mitre"), z.name)
    planted.append(
        {
            "kind": "sliver",
            "plan_ids": [ZONING_A],
            "zones": sorted([zone_ref(ZONING_A, z.id), zone_ref(ZONING_A, "A-DGT")]),
            "where": _where(z.geometry),
        }
    )
    z = blocks.pop(gap)
    planted.append(
        {
            "kind": "gap",
            "plan_ids": [ZONING_A],
            "zones": [zone_ref(ZONING_A, "A-DGT")],
            "area_m2": round(z.geometry.area, 1),
            "where": _where(z.geometry),
        }
    )
    green = _interior(blocks, codes, frame, wanted="DKV")
    if green:
        z = blocks[green[0]]
        blocks[green[0]] = Zone(z.id, "ODT", z.geometry, z.name)
        cell = f"G{green[0][0] // 4:+d}{green[0][1] // 4:+d}"
        planted.append(
            {
                "kind": "land_use_conflict",
                "plan_ids": [ZONING_A, GENERAL_ID],
                "zones": sorted([zone_ref(ZONING_A, z.id), zone_ref(GENERAL_ID, cell)]),
                "where": _where(z.geometry),
            }
        )


def _zones_with_roads(blocks: dict, extent, river, side: str) -> list[Zone]:
    return list(blocks.values()) + _roads_and_water(extent, list(blocks.values()), river, side)


def _mismatched_red_lines(shifted: int) -> list[dict]:
    return [
        {
            "kind": "red_line_mismatch",
            "plan_ids": [ZONING_A, ZONING_B],
            "red_lines": [
                f"red_line:{ZONING_A}/A-RL-b{shifted}{s}",
                f"red_line:{ZONING_B}/B-RL-b{shifted}{s}",
            ],
            "offset_m": RED_LINE_OFFSET_M,
        }
        for s in ("-1", "+1")
    ]


def _zoning(plan_id, side, zones, lines, extent, number) -> Plan:
    return Plan(
        plan_id,
        "zoning",
        f"Quy hoạch phân khu 1/2000 khu {side} (demo)",
        zones,
        red_lines=lines,
        boundary=extent,
        decision_number=number,
        status="approved",
        decision_date=date(2023, 3, 15),
    )


def add_plans(ctx: Context) -> None:
    """The general plan and the two zoning plans, and the list of what was planted."""
    frame = _Frame(ctx)
    river = ctx.river.buffer(60) if ctx.river is not None else shapely.Polygon()
    general, codes, n, cell = _general(ctx, frame, river)
    half = n * cell
    blocks_a = _blocks(ctx, frame, general, n, "A")
    blocks_b = _blocks(ctx, frame, general, n, "B")
    planted: list[dict] = []
    pipes = _school(ctx, frame, blocks_b, general, codes)
    if pipes:
        planted.append(
            {
                "kind": "asset_in_planned_building",
                "plan_ids": [ZONING_B],
                "zones": [zone_ref(ZONING_B, "B-school")],
                "assets": [f"asset:{code}" for code in pipes],
                "where": _where(blocks_b[("school",)].geometry),
            }
        )
    extent_a, extent_b = frame.box(-half, -half, 0, half), frame.box(0, -half, half, half)
    roads_a = [
        z for z in _zones_with_roads(blocks_a, extent_a, river, "A") if z.code in ("DGT", "SON")
    ]
    zones_b = _zones_with_roads(blocks_b, extent_b, river, "B")
    _plant_in_a(ctx, frame, blocks_a, codes, planted)
    shifted = next(k for k in range(1, 4 * n) if k % 4)
    planted += _mismatched_red_lines(shifted)
    plan_a = _zoning(
        ZONING_A,
        "A",
        list(blocks_a.values()) + roads_a,
        _red_lines(frame, n, "A"),
        extent_a,
        "DEMO-12/QĐ-UBND",
    )
    plan_b = _zoning(
        ZONING_B,
        "B",
        zones_b,
        _red_lines(frame, n, "B", shifted_line=shifted),
        extent_b,
        "DEMO-13/QĐ-UBND",
    )
    ctx.city.plans = [general, plan_a, plan_b]
    ctx.city.planted = planted

