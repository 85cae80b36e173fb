"""``twin network check|segments|criticality`` on the small demo city."""

from __future__ import annotations

import json

import pytest
import rasterio
from click.testing import CliRunner
from sqlalchemy import text

from twin.cli import cli
from twin.crs import VIETNAM_BOUNDS, transformer
from twin.network.checks import dem_path, ground_elevations, network_problems
from twin.network.registry import registry_for

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


def _run(network_demo, *args) -> str:
    env = {"DATABASE_URL": network_demo.url, "TWIN_HOME": str(network_demo.home)}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _in_vietnam(lon, lat) -> bool:
    west, south, east, north = VIETNAM_BOUNDS
    return west <= lon <= east and south <= lat <= north


def test_check_reports_located_problems_as_json_and_geojson(network_demo, tmp_path):
    out = tmp_path / "problems.geojson"
    found = json.loads(_run(network_demo, "network", "check", "--json", "--geojson", str(out)))
    assert set(found) == {"water", "drainage", "power", "telecom", "lighting"}
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features, "the demo's networks have planted problems"
    assert len(features) == sum(len(p) for p in found.values())
    for feature in features:
        assert feature["properties"]["kind"] and feature["properties"]["code"]
        if feature["geometry"] is not None:
            assert _in_vietnam(*feature["geometry"]["coordinates"])
    one = _run(network_demo, "network", "check", "--layer", "power")
    assert one.startswith("power")


def test_segments_cover_every_pipe_once_and_name_their_valves(network_demo, network_engine):
    report = json.loads(_run(network_demo, "network", "segments", "--layer", "water", "--json"))
    pipes = [p for s in report["segments"] for p in s["pipes"]]
    with network_engine.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM assets.water_pipe WHERE status = 'in_service'")
        ).scalar()
        valves = {r[0] for r in conn.execute(text("SELECT code FROM assets.water_valve"))}
    assert len(pipes) == len(set(pipes)) == stored
    bounding = {v for s in report["segments"] for v in s["valves"]}
    assert bounding and bounding <= valves
    for valve in report["valves"]:
        for s in valve["segments"]:
            assert valve["code"] in report["segments"][s]["valves"]


@pytest.mark.parametrize("layer", ["water", "power"])
def test_criticality_ranks_and_draws_the_top_segments(network_demo, tmp_path, layer):
    out = tmp_path / "critical.geojson"
    ranked = json.loads(
        _run(
            network_demo,
            "network",
            "criticality",
            "--layer",
            layer,
            "--top",
            "5",
            "--json",
            "--geojson",
            str(out),
        )
    )
    assert len(ranked) == 5
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["rank"] for f in features] == [1, 2, 3, 4, 5]
    for feature, entry in zip(features, ranked, strict=True):
        assert feature["properties"]["segments"] == entry["segments"]
        if feature["geometry"] is not None:
            assert feature["geometry"]["type"] == "MultiLineString"
            assert _in_vietnam(*feature["geometry"]["coordinates"][0][0])


def test_drainage_nodes_without_inverts_take_the_dem_ground(network_demo, network_engine):
    with network_engine.connect() as conn:
        dem = dem_path(conn, network_demo.home)
        with registry_for(network_engine).graphs(["drainage"]) as graphs:
            G = graphs["drainage"].copy()
        assert dem is not None
        u, v, k = next(iter(G.edges(keys=True)))
        for attr in ("invert_up", "invert_down"):
            G.edges[u, v, k].pop(attr, None)
        for node in (u, v):
            G.nodes[node].pop("invert_m", None)
        ground = ground_elevations(G, [u, v], dem)
        with rasterio.open(dem) as src:
            to_dem = transformer(G.graph["crs"], src.crs)
            points = [to_dem.transform(G.nodes[n]["x"], G.nodes[n]["y"]) for n in (u, v)]
            sampled = [float(s[0]) for s in src.sample(points)]
        assert [ground[u], ground[v]] == pytest.approx(sampled)
        problems = network_problems(conn, G, dem=dem)
    start, end = G.edges[u, v, k]["start_node"], G.edges[u, v, k]["end_node"]
    uphill = ground[start] - ground[end] < 0
    flagged = any(p.kind == "reversed_ground_slope" and p.code == k for p in problems)
    assert flagged == uphill
