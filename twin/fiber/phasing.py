"""Phased rollout: which parts of the design to build each year under a budget.

The design tree hangs from the existing network (the root).  It is cut into
*links*: the stretch from one key node (a village's access point, a branch
point) up to the next key node towards the root, with everything it costs —
edges, new equipment on its nodes, and at its lower end the villages' access
nodes and drops.  Prize-collecting, not shortest-first: each step builds the
extension that connects the most households per VND, among

* the path from the connected network down to one node, and
* that path together with the node's whole branch below it,

that still fits the year's budget; a year closes when nothing fits.  So a
cheap spur to a big village goes before a long trunk, and a long trunk goes
as soon as the villages behind it, taken together, repay it better than the
alternatives.  Unspent budget carries over to the next year (it can be
turned off), so an extension dearer than one year's budget is still built
once enough has been saved.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from .design import Design
from .plan_graph import ROOT

__all__ = ["Extension", "Links", "Phase", "Rollout", "links_of", "plan_rollout"]

#: Households per million VND are reported per this many VND.
MILLION = 1e6


@dataclass
class Links:
    """The design tree cut at its key nodes (index 0 is the root).

    Links are numbered in depth-first preorder, so the links below ``i``
    are ``i + 1 .. end[i] - 1``.  ``parent[i]`` is the key node above
    ``i``; ``cost_vnd[i]`` what link ``i`` costs; ``households[i]`` and
    ``villages[i]`` what it connects; ``members[i]`` the tree nodes it adds
    (its key node included).
    """

    keys: list[Hashable]
    parent: list[int]
    cost_vnd: list[float]
    households: list[int]
    villages: list[list[str]]
    members: list[list[Hashable]]
    end: list[int] = field(default_factory=list)


@dataclass
class Extension:
    """One step of the rollout: the villages it connects, its cost, its value."""

    order: int
    year: int
    villages: list[str]
    households: int
    cost_vnd: float
    whole_branch: bool
    links: list[int]

    @property
    def households_per_million_vnd(self) -> float:
        return self.households / self.cost_vnd * MILLION if self.cost_vnd else float("inf")


@dataclass
class Phase:
    """One year: what it spent and the coverage at its end (shares of every village).

    ``network_cost_vnd``, ``lower_bound_vnd`` and ``gap_pct`` certify the
    network built by the end of the year (see :mod:`twin.fiber.certified`);
    None until certified, or while no village has been connected.
    """

    year: int
    budget_vnd: float
    spent_vnd: float
    villages_added: int
    households_added: int
    villages_connected: int
    households_covered: int
    village_share: float
    household_share: float
    network_cost_vnd: float | None = None
    lower_bound_vnd: float | None = None
    gap_pct: float | None = None


@dataclass
class Rollout:
    """The rollout year by year and when the targets are met (None: not met).

    ``start`` is the coverage today (year 0).
    """

    budget_per_year_vnd: float
    extensions: list[Extension]
    phases: list[Phase]
    start: Phase
    year_all_villages: int | None
    year_households_target: int | None
    household_target_share: float
    node_year: dict[Hashable, int]
    village_year: dict[str, int]

    def reached_by(self, year: int) -> bool:
        """Both targets met by the end of ``year``."""
        return all(
            y is not None and y <= year
            for y in (self.year_all_villages, self.year_households_target)
        )


def links_of(design: Design) -> Links:
    """Cut ``design.tree`` into links hanging from the root."""
    tree = design.tree
    at: dict[Hashable, list] = {}
    for v in design.planned:
        at.setdefault(v.node, []).append(v)
    parent_of = dict(nx.dfs_predecessors(tree, ROOT)) if ROOT in tree else {}
    kids: dict[Hashable, int] = {}
    for p in parent_of.values():
        kids[p] = kids.get(p, 0) + 1
    is_key = {n for n in parent_of if n in at or kids.get(n, 0) >= 2}
    preorder = nx.dfs_preorder_nodes(tree, ROOT) if ROOT in tree else [ROOT]
    keys = [n for n in preorder if n == ROOT or n in is_key]
    index = {k: i for i, k in enumerate(keys)}
    links = Links(keys, [-1], [0.0], [0], [[]], [[]])
    for k in keys[1:]:
        members, cost, n = [], 0.0, k
        while n != ROOT and (n == k or n not in is_key):
            members.append(n)
            cost += tree.edges[n, parent_of[n]]["cost_vnd"] + design.node_cost_vnd.get(n, 0.0)
            n = parent_of[n]
        here = at.get(k, [])
        links.parent.append(index[n])
        links.cost_vnd.append(cost + sum(v.terminal_cost_vnd for v in here))
        links.households.append(sum(v.covered_households for v in here))
        links.villages.append([v.code for v in here])
        links.members.append(members)
    links.end = list(range(1, len(keys) + 1))
    for i in range(len(keys) - 1, 0, -1):
        p = links.parent[i]
        links.end[p] = max(links.end[p], links.end[i])
    return links


class _Greedy:
    """The state of the rollout: what is built, and each link's path to it.

    ``path_cost[i]`` / ``path_gain[i]``: cost and households of link ``i``
    and the unbuilt links above it; ``sub_cost`` / ``sub_gain`` the same for
    ``i`` and everything below (never changes while ``i`` is unbuilt, since
    building a link builds every link above it).
    """

    def __init__(self, links: Links):
        self.links = links
        own = np.asarray(links.cost_vnd, dtype=float)
        gain = np.asarray(links.households, dtype=float)
        parent = np.asarray(links.parent)
        self.own, self.gain = own, gain
        self.path_cost, self.path_gain = own.copy(), gain.copy()
        for i in range(1, len(own)):
            if parent[i] > 0:
                self.path_cost[i] += self.path_cost[parent[i]]
                self.path_gain[i] += self.path_gain[parent[i]]
        self.sub_cost, self.sub_gain = own.copy(), gain.copy()
        for i in range(len(own) - 1, 0, -1):
            if parent[i] > 0:
                self.sub_cost[parent[i]] += self.sub_cost[i]
                self.sub_gain[parent[i]] += self.sub_gain[i]
        self.has_children = np.asarray(links.end) > np.arange(len(own)) + 1
        self.done = np.zeros(len(own), dtype=bool)
        self.done[0] = True

    def best(self, budget: float):
        """(households, cost, link, whole branch) of the best affordable extension, or None."""
        gain = np.concatenate([self.path_gain, self.path_gain - self.gain + self.sub_gain])
        cost = np.concatenate([self.path_cost, self.path_cost - self.own + self.sub_cost])
        ok = np.concatenate([~self.done, ~self.done & self.has_children]) & (cost <= budget + 1e-6)
        if not ok.any():
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(cost > 0, gain / cost, np.inf)
        pick = np.flatnonzero(ok)
        # best ratio, then most households, then cheapest, then first in preorder
        k = pick[np.lexsort((pick % len(self.own), cost[pick], -gain[pick], -ratio[pick]))[0]]
        i = int(k % len(self.own))
        return int(gain[k]), float(cost[k]), i, bool(k >= len(self.own))

    def take(self, i: int, whole: bool) -> list[int]:
        """Build the path to ``i`` (and its branch if ``whole``); the links built."""
        links, path, n = self.links, [], i
        while not self.done[n]:
            path.append(n)
            n = links.parent[n]
        taken = sorted(path + (list(range(i + 1, links.end[i])) if whole else []))
        for j in sorted(path):  # top down: below a built link, paths now stop at it
            below = slice(j + 1, links.end[j])
            self.path_cost[below] -= self.path_cost[j]
            self.path_gain[below] -= self.path_gain[j]
            self.done[j] = True
        self.done[taken] = True
        return taken


def plan_rollout(
    design: Design,
    *,
    budget_per_year_vnd: float,
    years: int,
    household_target_share: float = 0.8,
    carry_over: bool = True,
    links: Links | None = None,
) -> Rollout:
    """Year-by-year rollout of ``design`` under an annual budget (VND).

    Parameters
    ----------
    design : Design
        The full network design.
    budget_per_year_vnd : float
        What can be spent each year, VND.
    years : int
        Years to simulate at least; the simulation goes on (up to 100 years)
        until every reachable village is connected, to tell when the targets
        are met.
    household_target_share : float
        Share of all villages' households to cover (0.8 = 80 %).
    carry_over : bool
        Unspent budget is added to the next year's.
    links : Links, optional
        :func:`links_of` ``design``, when already computed.
    """
    links = links or links_of(design)
    greedy, book = _Greedy(links), _Book(design)
    saved = 0.0
    for year in range(1, max(years, 100) + 1):
        if greedy.done.all():
            break
        available = budget_per_year_vnd + saved
        spent = 0.0
        while (best := greedy.best(available - spent)) is not None:
            gain, cost, i, whole = best
            book.record(year, links, greedy.take(i, whole), gain, cost, whole)
            spent += cost
        book.close_year(year, available, spent)
        saved = available - spent if carry_over else 0.0
        if not spent and year >= years and (not carry_over or budget_per_year_vnd <= 0):
            break
    history = [book.start, *book.phases]
    return Rollout(
        budget_per_year_vnd,
        book.extensions,
        book.phases,
        book.start,
        _first_year(history, lambda p: p.villages_connected >= book.total_villages),
        _first_year(history, lambda p: p.household_share >= household_target_share - 1e-12),
        household_target_share,
        book.node_year,
        book.village_year,
    )


class _Book:
    """What the rollout built, step by step and year by year."""

    def __init__(self, design: Design):
        self.total_villages = len(design.villages)
        self.total_hh = sum(v.households for v in design.villages)
        self.villages = sum(v.status == "connected" for v in design.villages)
        self.covered = sum(v.covered_households for v in design.villages if v.status == "connected")
        self.start = self._phase(0, 0.0, 0.0, 0, 0)
        self.extensions: list[Extension] = []
        self.phases: list[Phase] = []
        self.node_year: dict[Hashable, int] = {}
        self.village_year: dict[str, int] = {}
        self._added = (0, 0)

    def _phase(self, year, available, spent, added_v, added_h) -> Phase:
        return Phase(
            year,
            available,
            spent,
            added_v,
            added_h,
            self.villages,
            self.covered,
            *_shares(self.villages, self.covered, self.total_villages, self.total_hh),
        )

    def record(self, year: int, links: Links, taken: list[int], gain, cost, whole) -> None:
        codes = [c for j in taken for c in links.villages[j]]
        self.extensions.append(
            Extension(len(self.extensions) + 1, year, codes, gain, cost, whole, taken)
        )
        self.node_year.update({m: year for j in taken for m in links.members[j]})
        self.village_year.update(dict.fromkeys(codes, year))
        self._added = (self._added[0] + len(codes), self._added[1] + gain)

    def close_year(self, year: int, available: float, spent: float) -> None:
        added_v, added_h = self._added
        self.villages, self.covered = self.villages + added_v, self.covered + added_h
        self.phases.append(self._phase(year, available, spent, added_v, added_h))
        self._added = (0, 0)


def _shares(villages: int, covered: int, total_villages: int, total_hh: int):
    return (
        villages / total_villages if total_villages else 1.0,
        covered / total_hh if total_hh else 1.0,
    )


def _first_year(phases: list[Phase], met) -> int | None:
    """The first year (0: already) whose end state meets the target."""
    return next((p.year for p in phases if met(p)), None)
