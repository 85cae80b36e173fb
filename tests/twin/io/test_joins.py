"""An attribute sheet (xlsx, written through GDAL) joined to features by key."""

from __future__ import annotations

import numpy as np
import pytest

from tests.twin.io.cad_drawings import write_sheet
from twin.errors import InvalidInput
from twin.io.joins import join_sheet, read_join_sheet
from twin.io.source import Source, SourceTable


def _source(codes):
    geometry = np.array([None] * len(codes), dtype=object)
    table = SourceTable("valves", geometry, {"CODE": np.array(codes, dtype=object)})
    return Source("valves.dxf", "DXF", [table])


def test_sheet_columns_join_the_features_whose_code_matches(tmp_path):
    sheet = write_sheet(
        tmp_path / "valves.xlsx",
        code=["V-01", "V-02"],
        normal_state=["closed", "open"],
        valve_type=["gate", None],
    )
    joined = join_sheet(_source(["V-02", "V-09", None]), read_join_sheet(sheet, "code"))
    (table,) = joined.tables
    assert table.columns["normal_state"].tolist() == ["open", None, None]
    assert table.columns["valve_type"].tolist() == [None, None, None]
    assert "valves.xlsx: 1 of 2 features with a code joined on code" in joined.notes


def test_a_key_given_twice_in_the_sheet_is_refused(tmp_path):
    sheet = write_sheet(tmp_path / "v.xlsx", code=["V-01", "V-01"], normal_state=["open", "closed"])
    with pytest.raises(InvalidInput) as refused:
        read_join_sheet(sheet, "code")
    assert [(p.field, p.rule) for p in refused.value.problems] == [("code", "unique_key")]


def test_the_key_column_and_field_must_exist(tmp_path):
    sheet = write_sheet(tmp_path / "v.xlsx", ma=["V-01"], normal_state=["open"])
    with pytest.raises(InvalidInput) as no_column:
        read_join_sheet(sheet, "code")
    assert no_column.value.problems[0].rule == "known_column"
    with pytest.raises(InvalidInput) as no_field:
        join_sheet(_source(["V-01"]), read_join_sheet(sheet, "asset_id=ma"))
    assert no_field.value.problems[0].rule == "known_field"
    joined = join_sheet(_source(["V-01"]), read_join_sheet(sheet, "code=ma"))
    assert joined.tables[0].columns["normal_state"].tolist() == ["open"]


def test_a_workbook_must_be_one(tmp_path):
    path = tmp_path / "v.xlsx"
    path.write_text("code,normal_state\nV-01,open\n")
    with pytest.raises(InvalidInput) as refused:
        read_join_sheet(path, "code")
    assert refused.value.problems[0].rule == "content"
