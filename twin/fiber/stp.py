"""Reader for SteinLib STP files, the format of the public Steiner benchmark.

Only what an undirected Steiner problem needs is read: the instance name
(``SECTION Comment``, key ``Name``), the edges (``E u v w`` lines of
``SECTION Graph``) and the terminals (``T v`` lines of
``SECTION Terminals``).  Other sections (coordinates, presolve data) are
skipped.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from twin.errors import InvalidInput, Problem

__all__ = ["SteinerInstance", "read_stp"]

_MAGIC = "33D32945"


@dataclass
class SteinerInstance:
    """A Steiner problem read from an STP file.

    Attributes
    ----------
    name : str
        The ``Name`` of the comment section, or the file stem.
    graph : networkx.Graph
        Nodes ``1 .. n`` (STP numbering), edge attribute ``weight``.
    terminals : list of int
    """

    name: str
    graph: nx.Graph
    terminals: list[int]


def read_stp(path: str | Path) -> SteinerInstance:
    """Read an STP file into a graph and its terminals.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    SteinerInstance

    Raises
    ------
    twin.errors.InvalidInput
        If the file is not STP, or its node and edge counts disagree with
        the ``Nodes`` and ``Edges`` lines.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or not lines[0].strip().upper().startswith(_MAGIC):
        raise InvalidInput(
            f"STP file {path.name}: not a SteinLib STP file",
            [Problem("header", "stp_magic", f"first line must start with {_MAGIC}")],
        )
    name, graph, terminals, declared = path.stem, nx.Graph(), [], {}
    section = None
    for number, raw in enumerate(lines[1:], start=2):
        words = shlex.split(raw, comments=True) if '"' in raw else raw.split("#")[0].split()
        if not words:
            continue
        key = words[0].upper()
        if key == "SECTION":
            section = words[1].upper() if len(words) > 1 else None
        elif key in ("END", "EOF"):
            section = None
        elif section == "COMMENT" and key == "NAME" and len(words) > 1:
            name = words[1]
        elif section == "GRAPH":
            _graph_line(graph, key, words, declared, path, number)
        elif section == "TERMINALS" and key == "T":
            terminals.append(int(words[1]))
    _check_counts(graph, declared, path)
    return SteinerInstance(name=name, graph=graph, terminals=terminals)


def _graph_line(graph, key, words, declared, path, number) -> None:
    if key in ("NODES", "EDGES"):
        declared[key] = int(words[1])
        if key == "NODES":
            graph.add_nodes_from(range(1, declared[key] + 1))
    elif key in ("E", "A"):
        if len(words) < 4:
            raise InvalidInput(
                f"STP file {path.name}: line {number} is not 'E u v weight'",
                [
                    Problem(
                        f"line {number}",
                        "edge_line",
                        "an edge needs two nodes and a weight",
                    )
                ],
            )
        u, v, c = int(words[1]), int(words[2]), float(words[3])
        if c.is_integer():
            c = int(c)
        if not graph.has_edge(u, v) or c < graph.edges[u, v]["weight"]:
            graph.add_edge(u, v, weight=c)


def _check_counts(graph, declared, path) -> None:
    problems = []
    if "NODES" in declared and graph.number_of_nodes() != declared["NODES"]:
        problems.append(
            Problem(
                "Nodes",
                "count",
                f"declares {declared['NODES']}, edges use {graph.number_of_nodes()}",
            )
        )
    if problems:
        raise InvalidInput(f"STP file {path.name}: counts disagree", problems)
