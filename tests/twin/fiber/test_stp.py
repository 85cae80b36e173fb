"""SteinLib STP reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.errors import InvalidInput
from twin.fiber.stp import read_stp

STEINLIB = Path(__file__).resolve().parents[2] / "data" / "steinlib"


def test_reads_a_steinlib_b_instance():
    instance = read_stp(STEINLIB / "B" / "b01.stp")
    assert instance.name == "B01"
    assert instance.graph.number_of_nodes() == 50
    assert instance.graph.number_of_edges() == 63
    assert instance.terminals == [48, 49, 22, 35, 27, 12, 37, 34, 24]
    assert instance.graph.edges[2, 8]["weight"] == 8


def test_reads_comments_quoted_names_and_keeps_cheapest_parallel_edge(tmp_path):
    path = tmp_path / "tiny.stp"
    path.write_text(
        "33D32945 STP File, STP Format Version 1.0\n"
        'SECTION Comment\nName "Two villages # west"\nEND\n\n'
        "SECTION Graph\nNodes 3\nEdges 3\n"
        "E 1 2 5   # road\nE 2 3 2.5\nE 1 2 4\nEND\n\n"
        "SECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\n\n"
        "SECTION Coordinates\nDD 1 0 0\nEND\nEOF\n",
        encoding="utf-8",
    )
    instance = read_stp(path)
    assert instance.name == "Two villages # west"
    assert instance.graph.edges[1, 2]["weight"] == 4
    assert instance.graph.edges[2, 3]["weight"] == 2.5
    assert instance.terminals == [1, 3]


def test_rejects_a_file_without_the_stp_header(tmp_path):
    path = tmp_path / "roads.csv"
    path.write_text("u,v,length\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        read_stp(path)
    assert error.value.problems[0].field == "header"


def test_rejects_an_edge_line_without_weight(tmp_path):
    path = tmp_path / "broken.stp"
    path.write_text(
        "33D32945 STP File\nSECTION Graph\nNodes 2\nE 1 2\nEND\nEOF\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match="line 4"):
        read_stp(path)


def test_rejects_edges_outside_the_declared_nodes(tmp_path):
    path = tmp_path / "counts.stp"
    path.write_text(
        "33D32945 STP File\nSECTION Graph\nNodes 2\nE 1 7 1\nEND\nEOF\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as error:
        read_stp(path)
    assert error.value.problems[0].field == "Nodes"
