"""What an import found and did, for people (a table) and programs (JSON).

A wrong coordinate system puts every feature outside Vietnam; listing a
million identical lines helps nobody, so each rule keeps its first examples
(``max_per_rule``) and counts the rest.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from twin.errors import Problem

__all__ = ["ImportReport", "ProblemLog"]


class ProblemLog:
    """Problems of an import: every one counted, the first per rule kept."""

    def __init__(self, max_per_rule: int = 100):
        self.max_per_rule = max_per_rule
        self.counts: Counter = Counter()
        self.examples: list[tuple[str, Problem]] = []

    def add(self, table: str, problem: Problem, count: int = 1) -> None:
        """Record ``problem`` (of a feature of ``table``), standing for ``count`` features."""
        key = (table, problem.field, problem.rule)
        if self.counts[key] < self.max_per_rule:
            self.examples.append((table, problem))
        self.counts[key] += count

    def add_rule(self, table: str, field_name: str, rule: str, examples, count: int) -> None:
        """Record ``count`` breaches of one rule, of which ``examples`` are worded."""
        key = (table, field_name, rule)
        room = self.room(table, field_name, rule)
        self.examples += [(table, p) for p in list(examples)[:room]]
        self.counts[key] += count

    def extend(self, table: str, problems) -> None:
        for p in problems:
            self.add(table, p)

    def room(self, table: str, field_name: str, rule: str) -> int:
        """How many more examples of this rule are worth building."""
        return max(0, self.max_per_rule - self.counts[(table, field_name, rule)])

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class ImportReport:
    """The result of a preflight (``dry_run``) or of an import.

    ``counts`` are features per feature type (read, or written); ``problems``
    the examples kept per rule with ``problem_counts`` the totals;
    ``unconnected`` the line ends no node was found for (``table``, code, end).
    """

    source: str
    format: str
    crs: str
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    problem_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unconnected: list[tuple[str, str, str]] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0
    #: Seconds per phase (read, preflight, write).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_total(self) -> int:
        return sum(self.problem_counts.values())

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "crs": self.crs,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "counts": self.counts,
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "problem_total": self.problem_total,
            "problem_counts": [
                {"table": t, "field": f, "rule": r, "count": n}
                for (t, f, r), n in self.problem_counts.items()
            ],
            "problems": [{"table": t, **p.to_dict()} for t, p in self.problems],
            "unconnected": [{"table": t, "code": c, "end": e} for t, c, e in self.unconnected],
        }

    def lines(self) -> list[str]:
        """The report as a readable text table."""
        out = [f"Source: {self.source} ({self.format}), coordinates: {self.crs}"]
        out += [f"  note: {n}" for n in self.notes]
        verb = "written" if self.written else "read"
        out.append(f"{'Feature type':<28} {'features ' + verb:>16}")
        out += [f"{table:<28} {n:>16,}" for table, n in self.counts.items()]
        if self.problems:
            out.append("")
            out.append(f"{self.problem_total:,} problem(s):")
            out += _problem_table(self.problems)
            out += _omitted(self.problems, self.problem_counts)
        if self.unconnected:
            out.append("")
            out.append(f"{len(self.unconnected):,} line end(s) not connected to a node:")
            out += [f"  {t} {c} ({e})" for t, c, e in self.unconnected[:20]]
            if len(self.unconnected) > 20:
                out.append(f"  ... and {len(self.unconnected) - 20:,} more")
        return out


def _natural(text: str | None) -> tuple:
    """Sort key putting "row 9" before "row 10" (and whole-source problems first)."""
    if text is None:
        return ()
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _problem_table(problems: list[tuple[str, Problem]]) -> list[str]:
    ordered = sorted(problems, key=lambda tp: (tp[0], _natural(tp[1].feature)))
    rows = [(t, p.feature or "(all)", p.field, p.rule, p.message) for t, p in ordered]
    widths = [
        max(len(str(r[i])) for r in [("table", "feature", "field", "rule", ""), *rows])
        for i in range(4)
    ]
    widths = [min(w, 30) for w in widths]
    header = ("table", "feature", "field", "rule", "problem")
    fmt = "  " + "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    return [fmt.format(*header), *(fmt.format(*r) for r in rows)]


def _omitted(problems, counts) -> list[str]:
    shown = Counter((t, p.field, p.rule) for t, p in problems)
    return [
        f"  ... {n - shown[key]:,} more {key[0]} {key[1]} [{key[2]}]"
        for key, n in counts.items()
        if n > shown[key]
    ]
