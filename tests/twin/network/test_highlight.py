"""The light highlight of an outage (twin.network.highlight) on tiny graphs."""

from __future__ import annotations

import pytest

from twin.network.graph import build_graph
from twin.network.highlight import POINT_GRID_M, encode_polyline, merged_lines, multipoint

CRS = "EPSG:3405"  # VN-2000 / UTM zone 48N: metres


def _decode(text: str) -> list[list[float]]:
    """Encoded polyline -> [[lon, lat], ...] (what the page's script does)."""
    out, index, lat, lon = [], 0, 0, 0
    while index < len(text):
        deltas = []
        for _ in range(2):
            shift = value = 0
            while True:
                byte = ord(text[index]) - 63
                index += 1
                value |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            deltas.append(~(value >> 1) if value & 1 else value >> 1)
        lat, lon = lat + deltas[0], lon + deltas[1]
        out.append([lon / 1e5, lat / 1e5])
    return out


def _chain(n: int, *, spacing: float = 50.0):
    nodes = [
        {"code": f"N{i}", "kind": "junction", "x": 620_001 + i * spacing, "y": 2_352_000.0}
        for i in range(n)
    ]
    edges = [
        {"code": f"P{i}", "start_node": f"N{i}", "end_node": f"N{i + 1}"} for i in range(n - 1)
    ]
    G = build_graph("water", nodes, edges)
    G.graph["crs"] = CRS
    return G


def test_encoded_polylines_round_trip():
    coords = [[106.19461, 21.27312], [106.19501, 21.27288], [106.2, 21.3]]
    back = _decode(encode_polyline(coords))
    assert sum(back, []) == pytest.approx(sum(coords, []))


def test_lines_end_to_end_become_one_straight_polyline():
    G = _chain(6)
    lines = merged_lines(G, [f"P{i}" for i in range(5)])
    assert len(lines) == 1
    points = _decode(lines[0])
    assert len(points) == 2, "collinear segments simplify to their two ends"
    assert points[0][0] < points[1][0] and 105 < points[0][0] < 108 and 20 < points[0][1] < 23


def test_unknown_codes_draw_nothing():
    assert merged_lines(_chain(3), ["NOPE"]) is None
    assert multipoint(_chain(3), ["NOPE"]) is None


def test_points_closer_than_the_grid_are_drawn_once():
    G = _chain(4, spacing=POINT_GRID_M / 10)
    far = _chain(2, spacing=10 * POINT_GRID_M)
    assert len(_decode(multipoint(G, list(G.nodes))[0])) == 1
    assert len(_decode(multipoint(far, list(far.nodes))[0])) == 2
