"""The city demo is hydraulically sound: a day with every customer between 10 and 60 m."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.orm import Session

from tests.databases import scratch_database
from twin.simulation import RunSettings, load_water_model, run_epanet, standards

pytestmark = [pytest.mark.db, pytest.mark.slow]

#: Highest pressure a customer should see (m): above it, fittings leak and burst.
HIGHEST_PLAUSIBLE_M = 60.0


def test_a_day_of_the_city_keeps_every_customer_between_10_and_60_m(db_url, tmp_path):
    from twin.demo.load import load

    with scratch_database(db_url, "sim_city") as url:
        load(url, scale="city", seed=1, home=tmp_path, echo=lambda _: None, progress=False)
        engine = create_engine(url, poolclass=pool.NullPool)
        with Session(engine) as session:
            model = load_water_model(session, tmp_path)
        engine.dispose()
    assert model.counts["reservoirs"] > 1, "villages have rural stations of their own"
    result = run_epanet(model, RunSettings(duration_s=86400))
    pressure = result.nodes["pressure_m"]
    customers = [j.code for j in model.junctions if j.demands]
    lowest = {c: float(np.min(pressure[c])) for c in customers}
    highest = max(float(np.max(pressure[c])) for c in customers)
    short = sorted(c for c, p in lowest.items() if p < standards()["service.minimum_head"])
    assert len(result.times_s) == 25
    assert not short, f"{len(short)} customers below the service minimum, e.g. {short[:5]}"
    assert highest <= HIGHEST_PLAUSIBLE_M
