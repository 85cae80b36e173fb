"""Steiner instances with known optima for the solver's tests, as edge arrays.

SteinLib B and C (optima from the literature) and the generated instances of
``tests/data/steiner_generated`` (optima proven by long exact runs, see its
SOURCE.md).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import networkx as nx
import numpy as np

from twin.fiber.steiner.solver import _arrays
from twin.fiber.stp import read_stp

DATA = Path(__file__).resolve().parents[2] / "data"
STEINLIB = DATA / "steinlib"
GENERATED = DATA / "steiner_generated"


def known_optima() -> list[tuple[Path, float]]:
    """Every STP file of the test data with its optimum."""
    out = []
    with (STEINLIB / "optima.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.append((STEINLIB / row["group"] / row["filename"], float(row["opt"])))
    if (GENERATED / "optima.csv").is_file():
        with (GENERATED / "optima.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out.append((GENERATED / row["filename"], float(row["opt"])))
    return out


def arrays_of(path: Path):
    """``(n, eu, ev, w, terminal)`` of an STP file."""
    instance = read_stp(path)
    nodes, terminal, eu, ev, w = _arrays(instance.graph, instance.terminals, "weight")
    return len(nodes), eu, ev, w, terminal


def random_arrays(seed: int, n: int = 14, extra: int = 20, terminals: int = 5):
    """A small random connected problem with integer weights 1-9."""
    rng = random.Random(seed)
    G = nx.random_labeled_tree(n, seed=seed)
    while G.number_of_edges() < n - 1 + extra:
        G.add_edge(*rng.sample(range(n), 2))
    eu = np.array([u for u, _ in G.edges], dtype=np.int64)
    ev = np.array([v for _, v in G.edges], dtype=np.int64)
    w = np.array([rng.randint(1, 9) for _ in G.edges], dtype=float)
    terminal = np.zeros(n, dtype=bool)
    terminal[rng.sample(range(n), terminals)] = True
    return n, eu, ev, w, terminal
