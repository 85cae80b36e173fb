"""Hole 9 (CSV part): exports were not neutralised against spreadsheet formulas.

A note ``=HYPERLINK("http://evil")`` came out of ``/ops/export/incidents.csv``
as a formula a spreadsheet would run.  Every CSV meant for people now writes
such a text cell with a leading apostrophe, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.webmap.api.apptest import bearer
from twin import people_csv
from twin.db.engine import session_scope
from twin.fiber.store import plan_folder, read_villages
from twin.network.workorder import workorder_csv

FORMULA = '=HYPERLINK("http://evil")'
OTHERS = ("+SUM(1,2)", "-2+3", "@cmd", "\t=1", "\r=1")


def _cells(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def incident(api_engine):
    with session_scope(api_engine) as session:
        session.execute(
            text(
                "INSERT INTO live.incident (code, title, severity, status, owner, details) "
                "VALUES ('INC-CSV-1', :title, 'minor', 'open', 'crew', "
                "'{\"customers_affected\": -5}'::jsonb)"
            ),
            {"title": "+SUM(1,2)"},
        )
    yield "INC-CSV-1"
    with session_scope(api_engine) as session:
        session.execute(text("DELETE FROM live.incident WHERE code = 'INC-CSV-1'"))


def test_an_incident_note_comes_out_of_the_export_as_text(client, tokens, incident):
    closed = client.post(
        f"/ops/incidents/{incident}/close", data={"note": FORMULA}, headers=bearer(tokens["crew"])
    )
    assert closed.status_code == 302, closed.data[:300]
    body = client.get("/ops/export/incidents.csv", headers=bearer(tokens["viewer"]))
    assert body.status_code == 200
    row = next(r for r in _cells(body.get_data(as_text=True)) if r["code"] == incident)
    assert row["closing_note"] == "'" + FORMULA
    assert row["title"] == "'+SUM(1,2)"
    assert row["customers"] == "-5"  # a number, not text: left as it is


def test_the_work_order_neutralises_names_and_keeps_coordinates():
    report = {
        "work_order": {"steps": []},
        "by_street": [
            {
                "utility": "water",
                "street": FORMULA,
                "customers": -5,
                "households": 3,
                "already_out": 0,
            },
        ],
        "critical": [{"code": "HOS-1", "kind": "hospital", "utility": "water", "name": "@cmd"}],
        "locations": {"HOS-1": (-5.25, 21.0)},
    }
    street, facility = _cells(workorder_csv(report))
    assert street["street"] == "'" + FORMULA and street["customers"] == "-5"
    assert facility["note"] == "'@cmd" and facility["lon"] == "-5.25"


@pytest.mark.parametrize("value", [FORMULA, *OTHERS, "'=already quoted"])
def test_every_formula_start_is_neutralised_and_restored(value):
    out = io.StringIO()
    writer = people_csv.writer(out)
    writer.writerow([value, -5, -5.2, "plain", "Cầu Gồ"])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[0] == "'" + value
    assert cells[1:] == ["-5", "-5.2", "plain", "Cầu Gồ"]
    assert people_csv.restored(cells[0]) == value


def test_the_fibre_villages_table_reads_back_what_was_written(tmp_path):
    folder = plan_folder(tmp_path, "p1")
    folder.mkdir(parents=True)
    fields = ["code", "commune", "households", "covered_households", "status"]
    with (folder / "p1_villages.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = people_csv.dict_writer(handle, fields)
        writer.writeheader()
        writer.writerow(
            {
                "code": "V1",
                "commune": "-Xã A",
                "households": 4,
                "covered_households": 2,
                "status": FORMULA,
            }
        )
    assert (folder / "p1_villages.csv").read_text("utf-8").count("'-Xã A") == 1
    (village,) = read_villages(tmp_path, "p1")
    assert village["commune"] == "-Xã A" and village["status"] == FORMULA
    assert village["households"] == 4


#: The one module that may write CSV with the csv module itself.
_HELPER = {"twin/people_csv.py"}


def test_no_csv_is_written_for_people_without_the_helper():
    root = Path(__file__).resolve().parents[2]
    raw = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    found = [
        str(path.relative_to(root))
        for folder in ("twin", "webmap")
        for path in (root / folder).rglob("*.py")
        if raw.search(path.read_text("utf-8"))
    ]
    assert set(found) <= _HELPER, found
