"""The check on the demo's plans, loaded into PostGIS with the demo's assets.

On the demo's zoning plans, the check finds the inconsistencies the generator
planted (all of them, with the right kinds) and no false conflict on a clean
pair.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.orm import Session

from tests.databases import scratch_database
from twin.demo.load import PLANTED_PATH, load
from twin.zoning import run_store
from twin.zoning.service import run_check
from twin.zoning.store import find_plan

pytestmark = [pytest.mark.db, pytest.mark.slow, pytest.mark.xdist_group("zoning-demo")]

PLAN_KINDS = {"overlap", "gap", "sliver", "land_use_conflict", "red_line_mismatch"}


@pytest.fixture(scope="module")
def demo(db_url, tmp_path_factory):
    """The small demo city (seed 1) in a database of its own, and what was planted in it."""
    with scratch_database(db_url, "twin_zoning_demo") as url:
        home = tmp_path_factory.mktemp("zoning-demo")
        load(url, scale="small", seed=1, home=home, echo=lambda _: None, progress=False)
        planted = json.loads((home / PLANTED_PATH).read_text("utf-8"))["conflicts"]
        engine = create_engine(url, poolclass=pool.NullPool)
        yield engine, planted
        engine.dispose()


@pytest.fixture
def session(demo):
    engine, _ = demo
    with Session(engine) as session:
        yield session
        session.rollback()


def stored(session, outcome):
    return run_store.run_findings(session, outcome.run.id)


def test_every_planted_inconsistency_is_found_with_its_kind(demo, session):
    _, planted = demo
    plans = [find_plan(session, "QHPK-A"), find_plan(session, "QHPK-B")]
    findings = stored(session, run_check(session, plans, user="test"))
    assert {p["kind"] for p in planted} == PLAN_KINDS | {"asset_in_planned_building"}
    for conflict in planted:
        wanted = set(conflict.get("zones", [])) | set(conflict.get("red_lines", []))
        hits = [f for f in findings if f.kind == conflict["kind"] and wanted <= set(f.involved)]
        if conflict["kind"] == "asset_in_planned_building":
            hits = [f for f in hits if set(f.involved) & set(conflict["assets"])]
        assert hits, conflict
        assert all(set(f.plans) == set(conflict["plan_ids"]) for f in hits)
    plan_findings = [f for f in findings if f.kind in PLAN_KINDS]
    planted_plan_level = [p for p in planted if p["kind"] in PLAN_KINDS]
    assert len(plan_findings) == len(planted_plan_level)


def test_a_clean_pair_raises_no_conflict(demo, session):
    zoning_b, general = find_plan(session, "QHPK-B"), find_plan(session, "QHC-BACGIANG")
    outcome = run_check(session, [zoning_b], [general], with_assets=False, user="test")
    assert outcome.findings == []
    assert outcome.run.counts == {}


def test_assets_conflict_only_where_the_plan_builds_over_a_street(demo, session):
    _, planted = demo
    (school,) = [p for p in planted if p["kind"] == "asset_in_planned_building"]
    outcome = run_check(session, [find_plan(session, "QHPK-B")], user="test")
    under = [f for f in stored(session, outcome) if f.kind == "asset_in_planned_building"]
    assert under and all(set(school["zones"]) <= set(f.involved) for f in under)
    assert set(school["assets"]) <= {ref for f in under for ref in f.involved}
