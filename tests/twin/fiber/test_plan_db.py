"""The plan against the small demo city: reading, planning, write-back, re-run, CLI, files."""

from __future__ import annotations

import json

import pyogrio
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from tests.twin.fiber.plan_db import GROUP
from twin.config import Settings
from twin.crs import metric_crs_for
from twin.db.engine import session_scope
from twin.fiber.costs import load_costs
from twin.fiber.export import plan_summary
from twin.fiber.load import load_inputs
from twin.fiber.plan import PlanOptions, make_plan
from twin.fiber.plan_cli import plan as plan_command
from twin.fiber.quantities import summary
from twin.fiber.report import plan_report
from twin.fiber.writeback import plan_ids, remove_plan, write_plan

pytestmark = [pytest.mark.db, GROUP]

TABLES = ("telecom_access_node", "telecom_cabinet", "telecom_cable")


@pytest.fixture(scope="module")
def inputs(fiber_engine):
    with fiber_engine.connect() as conn:
        return load_inputs(conn)


@pytest.fixture(scope="module")
def small_plan(inputs):
    return make_plan(
        inputs, load_costs(), PlanOptions(years=3, time_limit_s=5), plan_id="test-small"
    )


def _planned(conn, plan_id):
    return {
        t: conn.execute(
            text(
                f"SELECT count(*) FROM assets.{t} WHERE status = 'planned' "
                "AND extra->>'fiber_plan' = :p"
            ),
            {"p": plan_id},
        ).scalar()
        for t in TABLES
    }


def test_reads_the_twin_in_metres(fiber_engine, inputs):
    with fiber_engine.connect() as conn:
        roads = conn.execute(text("SELECT count(*) FROM base.base_road")).scalar()
        pops = conn.execute(text("SELECT count(*) FROM assets.telecom_pop")).scalar()
    assert len(inputs.roads) == roads and len(inputs.villages) > 0
    assert sum(n.kind == "pop" for n in inputs.nodes) == pops
    assert inputs.crs == metric_crs_for(106.19).to_string()  # the VN-2000 zone of the town
    x, y = inputs.roads[0].line.coords[0]
    assert 300_000 < x < 500_000 and 2_300_000 < y < 2_400_000
    assert len(inputs.poles_xy) > 0 and len(inputs.buildings_xy) > 0


def test_the_plan_reaches_every_village_and_its_bill_adds_up(small_plan):
    status = [v.status for v in small_plan.design.villages]
    assert "unreachable" not in status and "planned" in status
    assert small_plan.rollout.year_all_villages is not None
    assert summary(small_plan.bill)["total_cost_vnd"] == pytest.approx(
        small_plan.design.total_cost_vnd
    )
    phases = sum(summary(lines)["total_cost_vnd"] for lines in small_plan.phase_bills.values())
    assert phases == pytest.approx(small_plan.design.total_cost_vnd)


def test_every_phase_network_carries_its_certified_gap(small_plan):
    """The city demo: each year's network against a lower bound for the same villages."""
    rollout, design = small_plan.rollout, small_plan.design
    for phase in rollout.phases:
        joined = any(y <= phase.year for y in rollout.village_year.values())
        if not joined:
            assert phase.gap_pct is None
            continue
        assert 0 < phase.lower_bound_vnd <= phase.network_cost_vnd
        assert phase.gap_pct == pytest.approx(
            100 * (phase.network_cost_vnd - phase.lower_bound_vnd) / phase.lower_bound_vnd
        )
        assert phase.gap_pct < 5.0
    last = rollout.phases[-1]
    routes = sum(d["cost_vnd"] for _, _, d in design.tree.edges(data=True))
    assert last.network_cost_vnd == pytest.approx(routes)
    assert design.stats["solver_lower_bound"] <= routes
    assert last.gap_pct == pytest.approx(design.stats["solver_gap_pct"])
    text = plan_report(small_plan)
    assert f"costs at most {design.stats['solver_gap_pct']:.2f} % more than the cheapest" in text
    assert (
        "gap %"
        in text.splitlines()[
            text.splitlines().index(
                next(line for line in text.splitlines() if line.startswith("Phases"))
            )
            + 1
        ]
    )
    phases = plan_summary(small_plan)["phases"]
    assert [p["gap_pct"] for p in phases] == [p.gap_pct for p in rollout.phases]


def test_write_back_creates_planned_assets_and_a_rerun_replaces_them(fiber_engine, small_plan):
    with session_scope(fiber_engine) as session:
        first = write_plan(session, small_plan, user="tester")
    with fiber_engine.connect() as conn:
        counts = _planned(conn, "test-small")
        codes = set(
            conn.execute(
                text(
                    "SELECT code FROM assets.telecom_cable WHERE extra->>'fiber_plan' = 'test-small'"
                )
            ).scalars()
        )
        orphans = conn.execute(
            text("""
            SELECT count(*) FROM assets.telecom_cable c WHERE extra->>'fiber_plan' = 'test-small'
            AND NOT EXISTS (SELECT 1 FROM (SELECT id FROM assets.telecom_access_node
                UNION ALL SELECT id FROM assets.telecom_cabinet
                UNION ALL SELECT id FROM assets.telecom_pop) n
                WHERE n.id = c.start_node) """)
        ).scalar()
        phases = set(
            conn.execute(
                text(
                    "SELECT DISTINCT (extra->>'phase')::int FROM assets.telecom_cable "
                    "WHERE extra->>'fiber_plan' = 'test-small'"
                )
            ).scalars()
        )
    assert counts == {t: first[t] for t in TABLES} and all(counts.values())
    assert first["telecom_access_node"] == len(small_plan.design.planned)
    assert orphans == 0 and phases <= {p.year for p in small_plan.rollout.phases}
    with session_scope(fiber_engine) as session:
        second = write_plan(session, small_plan, user="tester")
        assert "test-small" in plan_ids(session)
    with fiber_engine.connect() as conn:
        again = set(
            conn.execute(
                text(
                    "SELECT code FROM assets.telecom_cable WHERE extra->>'fiber_plan' = 'test-small'"
                )
            ).scalars()
        )
        deleted = conn.execute(
            text("SELECT count(*) FROM audit.history WHERE action = 'delete' AND code = ANY(:c)"),
            {"c": list(codes)},
        ).scalar()
    assert second["removed"] == sum(first[t] for t in TABLES)
    assert _count(fiber_engine, "test-small") == sum(second[t] for t in TABLES)
    assert not codes & again and deleted == len(codes)
    with session_scope(fiber_engine) as session:
        remove_plan(session, "test-small", user="tester")
    assert _count(fiber_engine, "test-small") == 0


def _count(engine, plan_id):
    with engine.connect() as conn:
        return sum(_planned(conn, plan_id).values())


def test_planned_assets_do_not_count_as_existing_network(fiber_engine, inputs, small_plan):
    with session_scope(fiber_engine) as session:
        write_plan(session, small_plan, user="tester")
    try:
        with fiber_engine.connect() as conn:
            again = load_inputs(conn)
        assert len(again.nodes) == len(inputs.nodes) and len(again.cables) == len(inputs.cables)
    finally:
        with session_scope(fiber_engine) as session:
            remove_plan(session, "test-small", user="tester")


def test_the_cli_prints_the_bill_and_phases_and_writes_the_files(
    fiber_demo, fiber_engine, tmp_path
):
    settings = Settings(home=tmp_path / "home", database_url=fiber_demo.url)
    out = tmp_path / "out" / "plan.gpkg"
    result = CliRunner().invoke(
        plan_command,
        [
            "--years",
            "3",
            "--redundant-above",
            "10",
            "--out",
            str(out),
            "--plan-id",
            "cli-plan",
            "--time-limit",
            "5",
        ],
        obj=settings,
    )
    assert result.exit_code == 0, result.output
    text_out = result.stdout
    for heading in (
        "Bill of quantities",
        "Phases",
        "Build order",
        "100% of villages",
        "80% of households",
        "aerial cable on existing poles",
        "drops",
        "Rings for villages of 10 households or more: 1 of 1",
    ):
        assert heading in text_out
    assert "written to the twin (plan cli-plan)" in text_out
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"villages", "access_nodes", "cables"} <= layers
    assert (tmp_path / "out" / "plan_bill.csv").read_text().startswith("item,quantity,unit")
    summary_file = settings.home / "fiber" / "cli-plan" / "summary.json"
    assert json.loads(summary_file.read_text())["plan_id"] == "cli-plan"
    with session_scope(fiber_engine) as session:
        assert remove_plan(session, "cli-plan", user="tester") > 0
