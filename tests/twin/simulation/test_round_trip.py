"""Round trip: EPANET models imported with ``twin import`` and simulated from the
twin give the pressures EPANET gives for the original file.

The reference is EPANET 2.2's own run of the unchanged file (through WNTR's
``EpanetSimulator``); the twin's run reads the imported features back from
PostGIS.  Solver settings (time step, accuracy, trials, the water's
specific gravity) are run settings, not network data: the twin's run takes
the file's, as a modeller rerunning the file would.
"""

from __future__ import annotations

import json
import warnings

import pytest
import wntr
from sqlalchemy.orm import Session

from twin.simulation import RunSettings, load_water_model, run_epanet, run_network

pytestmark = pytest.mark.db

TOLERANCE_M = 0.1


def _read(path):
    """The original model; WNTR warns of curves no element uses (C-Town has some)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return wntr.network.WaterNetworkModel(str(path))


def _settings_of(wn) -> RunSettings:
    h, t = wn.options.hydraulic, wn.options.time
    return RunSettings(
        duration_s=int(t.duration),
        hydraulic_step_s=int(t.hydraulic_timestep),
        accuracy=h.accuracy,
        trials=h.trials,
        specific_gravity=h.specific_gravity,
    )


@pytest.mark.parametrize("name", ["Net1", "Net3", "C-Town", "KL", "Anytown", "Modena"])
def test_imported_model_runs_as_the_file(name, import_model, water_engine, tmp_path):
    path = import_model(name)
    original = _read(path)
    settings = _settings_of(original)
    with Session(water_engine) as session:
        model = load_water_model(session, tmp_path)
    assert model.counts["junctions"] == len(original.junction_name_list)
    assert model.counts["pumps"] == len(original.pump_name_list)
    ours = run_epanet(model, settings)
    reference = run_network(original)
    times = sorted({0, settings.duration_s // 4, settings.duration_s // 2,
                    settings.duration_s})
    for at in times:
        got = ours.node_values("pressure_m", at)
        expected = reference.node_values("pressure_m", at)
        worst = max(abs(got[n.upper()] - expected[n]) for n in original.junction_name_list)
        assert worst < TOLERANCE_M, f"{name} at {at} s: {worst:.3f} m"


def test_cli_json_gives_every_junction_and_pipe(import_model, twin):
    path = import_model("Net3")
    result = twin("simulate", "water", "--at", "6", "--duration", "24", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    original = _read(path)
    reference = run_network(original)
    pressure = reference.node_values("pressure_m", 6 * 3600)
    head = reference.node_values("head_m", 6 * 3600)
    flow = reference.link_values("flow_lps", 6 * 3600)
    for n in original.junction_name_list:
        got = out["junctions"][n.upper()]
        assert got["pressure_m"] == pytest.approx(pressure[n], abs=TOLERANCE_M)
        assert got["head_m"] == pytest.approx(head[n], abs=TOLERANCE_M)
    for p in original.pipe_name_list:
        assert out["pipes"][p.upper()]["flow_lps"] == pytest.approx(flow[p], abs=0.5)
    assert out["summary"]["junctions"] == len(original.junction_name_list)
    assert out["run_id"] >= 1 and out["at_s"] == 6 * 3600
