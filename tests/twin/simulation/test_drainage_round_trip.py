"""Round trip: a SWMM model imported with ``twin import`` and simulated from the twin
floods the same nodes by the same volumes, and gives the same outfall flows, as
SWMM's own run of the original file (within 1 %).

The twin stores metres and m³/s; EPA's Example 1 is in feet and cfs, so the
model SWMM runs from the twin is a different file in other units: agreement
says that nothing the simulation needs was lost or misread.  Run settings
(routing, steps, dates) are the file's, as a modeller rerunning it would set.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from twin.network.adapters.swmm import read_sections
from twin.simulation import (
    DrainageSettings,
    load_drainage_model,
    run_swmm,
    run_swmm_file,
    swmm_input,
)

pytestmark = pytest.mark.db

DATA = Path(__file__).resolve().parents[2] / "data" / "sewer_swmm"
TOLERANCE = 0.01


def _settings(text: str, routing: str) -> DrainageSettings:
    o = {r[0].upper(): r[1] for r in read_sections(text)["OPTIONS"] if len(r) > 1}
    return DrainageSettings(
        duration_s=36 * 3600, routing=routing, routing_step_s=float(o["ROUTING_STEP"]),
        report_step_s=3600, wet_step_s=900, dry_step_s=3600,
        start=f"{o['START_DATE']} {o['START_TIME']}",
        extra_options=tuple((k, o[k]) for k in ("VARIABLE_STEP", "LENGTHENING_STEP")),
    )


def _with_routing(text: str, routing: str, tmp_path) -> Path:
    path = tmp_path / f"original_{routing}.inp"
    path.write_text(text.replace("FLOW_ROUTING         KINWAVE", f"FLOW_ROUTING {routing}"))
    return path


@pytest.fixture
def imported_example1(twin):
    path = DATA / "Example1_epa.inp"
    result = twin("import", path, "--layer", "drainage", "--origin", "106.2,21.28",
                  "--units", "ft", "--default", "system=storm")
    assert result.exit_code == 0, result.output
    return path


def _close(got: float, expected: float, what: str) -> None:
    assert got == pytest.approx(expected, rel=TOLERANCE, abs=1e-6), what


@pytest.mark.parametrize("routing", ["KINWAVE", "DYNWAVE"])
def test_imported_swmm_model_floods_as_the_file(routing, imported_example1, water_engine,
                                                tmp_path):
    text = imported_example1.read_text()
    reference = run_swmm_file(_with_routing(text, routing, tmp_path))
    with Session(water_engine) as session:
        model = load_drainage_model(session, tmp_path)
    assert model.counts == {"junctions": 13, "storages": 0, "outfalls": 1, "conduits": 13,
                            "pumps": 0, "subcatchments": 8}
    ours = run_swmm(swmm_input(model, _settings(text, routing)))
    expected = reference.flooded(min_volume_m3=0.01)
    assert expected, "the original floods somewhere under its storm"
    got = {c.lower(): v for c, v in ours.flooded(min_volume_m3=0.01).items()}
    assert set(got) == set(expected)
    for code, v in expected.items():
        _close(got[code]["flood_volume_m3"], v["flood_volume_m3"], f"flooding at {code}")
        _close(got[code]["flood_hours"], v["flood_hours"], f"hours flooded at {code}")
    for code, v in reference.outfalls.items():
        mine = {c.lower(): o for c, o in ours.outfalls.items()}[code]
        _close(mine["max_flow_m3s"], v["max_flow_m3s"], f"peak outflow at {code}")
        _close(mine["mean_flow_m3s"], v["mean_flow_m3s"], f"mean outflow at {code}")


def test_cli_runs_a_design_storm_on_the_imported_model(imported_example1, twin, tmp_path):
    import json

    result = twin("simulate", "drainage", "--storm", "5", "--duration", "60", "--json",
                  "--map", tmp_path / "flooding.png")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["nodes"]) == 14 and len(out["conduits"]) == 13 and len(out["outfalls"]) == 1
    assert out["summary"]["subcatchments"] == 8
    assert (tmp_path / "flooding.png").read_bytes()[:4] == b"\x89PNG"
    # Conduit 16 takes everything from node 24 on to the outfall: closed, 24 floods more.
    blocked = twin("simulate", "drainage", "--storm", "5", "--duration", "60",
                   "--blocked", "16")
    assert blocked.exit_code == 0, blocked.output
    more = blocked.output.split("flood more", 1)[1].splitlines()
    assert any(line.split()[0] == "24" for line in more if line.strip().startswith("2"))
    unknown = twin("simulate", "drainage", "--storm", "5", "--blocked", "NOPE")
    assert unknown.exit_code != 0 and "NOPE" in unknown.output


def test_an_empty_drainage_layer_is_refused_by_name(twin):
    result = twin("simulate", "drainage", "--storm", "5")
    assert result.exit_code != 0
    assert "no conduits" in result.output
