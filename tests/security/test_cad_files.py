"""Drawings, MapInfo tables and workbooks open only as what their suffix says,
and a MapInfo table never leads GDAL to another file."""

from __future__ import annotations

import pytest

from twin.errors import InvalidInput
from twin.io.readers import read_source
from twin.io.safe_open import gdal_path

VRT = (
    b"<OGRVRTDataSource><OGRVRTLayer name='leak'><SrcDataSource>/etc/passwd"
    b"</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
)
# A seamless table is a native one whose rows name other tables to open.
SEAMLESS = b"""!table
!version 300
!charset WindowsLatin1

Definition Table
  Type NATIVE Charset "WindowsLatin1"
  Fields 2
    Table Char (100) ;
    Description Char (25) ;
begin_metadata
"\\IsSeamless" = "TRUE"
"\\IsReadOnly" = "FALSE"
end_metadata
"""
LINKED = SEAMLESS.replace(b"Type NATIVE", b"Type LINKED").replace(b"IsSeamless", b"Other")


def _refusal(path) -> str:
    with pytest.raises(InvalidInput) as refused:
        gdal_path(path)
    return refused.value.problems[0].rule


@pytest.mark.parametrize("name", ["plan.dxf", "plan.dgn", "den.tab", "den.mif", "v.xlsx"])
def test_an_xml_document_under_a_cad_or_sheet_suffix_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(VRT)
    assert _refusal(path) == "content"


@pytest.mark.parametrize("content", [SEAMLESS, LINKED], ids=["seamless", "linked"])
def test_a_mapinfo_table_naming_other_tables_is_refused(tmp_path, content):
    path = tmp_path / "seamless.tab"
    path.write_bytes(content)
    assert _refusal(path) == "mapinfo_native"
    with pytest.raises(InvalidInput) as refused:
        read_source(path)
    assert refused.value.problems[0].rule == "mapinfo_native"


def test_a_binary_dxf_header_on_other_bytes_is_no_drawing(tmp_path):
    path = tmp_path / "plan.dxf"
    path.write_bytes(b"AutoCAD Binary DXF\r\n\x1a\x00" + b"\x00" * 64)
    assert _refusal(path) == "readable"
