"""National land-use codes and the compatibility matrix between plans.

Both tables live in ``data/`` as CSV files with their sources in comment lines,
so a planner can correct them without touching code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from twin.errors import InvalidInput, Problem

__all__ = [
    "Compatibility",
    "LandUseCode",
    "land_use_codes",
    "load_compatibility",
    "national_code",
]

RELATIONS = {"inside": False, "adjacent": True}  # relation -> permitted when no row matches
_DEFAULT_NOTES = {
    "inside": "a lower plan keeps the higher plan's land use unless the matrix permits it",
    "adjacent": "no rule keeps these land uses apart",
}


def read_data_rows(name: str, path: str | Path | None = None) -> Iterator[dict[str, str]]:
    """Rows of a CSV data file of this package (or ``path``), skipping ``#`` comments."""
    if path is None:
        text = resources.files("twin.zoning").joinpath("data", name).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines):
        yield {key: (value or "").strip() for key, value in row.items()}


def _yes(value: str, *, where: str, column: str) -> bool:
    if value not in ("yes", "no"):
        raise InvalidInput(
            f"{where} is not valid",
            [
                Problem(
                    field=column,
                    rule="yes_no",
                    feature=where,
                    message=f"{column} must be 'yes' or 'no', got {value!r}",
                )
            ],
        )
    return value == "yes"


@dataclass(frozen=True)
class LandUseCode:
    """One land-use code: its group, names, and the facts the checks use."""

    code: str
    group: str
    name_vi: str
    name_en: str
    built: bool
    utility_restricted: bool
    verified: str


@cache
def land_use_codes() -> Mapping[str, LandUseCode]:
    """The national land-use codes of Circular 08/2024/TT-BTNMT, by code."""
    codes = {}
    for row in read_data_rows("land_use_codes.csv"):
        where = f"land_use_codes.csv code {row['code']}"
        codes[row["code"]] = LandUseCode(
            code=row["code"],
            group=row["group"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            built=_yes(row["built"], where=where, column="built"),
            utility_restricted=_yes(
                row["utility_restricted"], where=where, column="utility_restricted"
            ),
            verified=row["verified"],
        )
    return codes


def national_code(code: str | None, legend: Mapping[str, str] | None = None) -> str | None:
    """The national code a zone's drawn code stands for, or None when it is unknown.

    A plan's own legend wins over the national list, so a legend may reuse a
    national code for something else.

    >>> national_code("CX1", {"CX1": "DKV"})
    'DKV'
    >>> national_code("ODT"), national_code("XYZ")
    ('ODT', None)
    """
    if code is None:
        return None
    code = code.strip()
    if legend and code in legend:
        code = legend[code]
    return code if code in land_use_codes() else None


def _specificity(pattern: str) -> int:
    return 0 if pattern == "*" else 1 if pattern.startswith("group:") else 2


@dataclass(frozen=True)
class _Row:
    relation: str
    code_a: str
    code_b: str
    permitted: bool
    note: str


class Compatibility:
    """The documented matrix of which land uses may sit inside or next to which.

    See ``data/compatibility.csv`` for the meaning of the rows and the defaults.
    """

    def __init__(self, rows: list[_Row], codes: Mapping[str, LandUseCode]):
        self._rows = rows
        self._codes = codes
        self._cache: dict[tuple[str, str, str], tuple[bool, str]] = {}

    def _matches(self, pattern: str, code: str) -> bool:
        if pattern == "*" or pattern == code:
            return True
        known = self._codes.get(code)
        return pattern.startswith("group:") and known is not None and (pattern[6:] == known.group)

    def _best(self, relation: str, a: str, b: str) -> tuple[tuple[int, int], _Row] | None:
        best = None
        for row in self._rows:
            if (
                row.relation == relation
                and self._matches(row.code_a, a)
                and self._matches(row.code_b, b)
            ):
                rank = (_specificity(row.code_a), _specificity(row.code_b))
                if best is None or rank > best[0]:
                    best = (rank, row)
        return best

    def _verdict(self, relation: str, a: str, b: str) -> tuple[bool, str]:
        key = (relation, a, b)
        if key not in self._cache:
            if a == b:
                verdict = (True, "same land use")
            else:
                found = [self._best(relation, a, b)]
                if RELATIONS[relation]:  # symmetric
                    found.append(self._best(relation, b, a))
                found = [item for item in found if item is not None]
                if found:
                    row = max(found, key=lambda item: item[0])[1]
                    verdict = (row.permitted, row.note)
                else:
                    verdict = (RELATIONS[relation], _DEFAULT_NOTES[relation])
            self._cache[key] = verdict
        return self._cache[key]

    def permitted_inside(self, higher: str, lower: str) -> tuple[bool, str]:
        """Whether a lower plan may put ``lower`` inside the higher plan's ``higher``."""
        return self._verdict("inside", higher, lower)

    def compatible_neighbours(self, a: str, b: str) -> tuple[bool, str]:
        """Whether zones coded ``a`` and ``b`` may share a boundary."""
        return self._verdict("adjacent", a, b)


def load_compatibility(path: str | Path | None = None) -> Compatibility:
    """Read the compatibility matrix (the packaged one unless ``path`` is given)."""
    codes = land_use_codes()
    rows, problems = [], []
    for number, row in enumerate(read_data_rows("compatibility.csv", path), start=1):
        where = f"compatibility.csv row {number}"
        if row["relation"] not in RELATIONS:
            problems.append(
                Problem(
                    field="relation",
                    rule="one_of",
                    feature=where,
                    message=f"unknown relation {row['relation']!r}",
                )
            )
            continue
        for column in ("code_a", "code_b"):
            pattern = row[column]
            group = pattern[6:] if pattern.startswith("group:") else None
            known = (
                pattern == "*"
                or pattern in codes
                or (group is not None and any(c.group == group for c in codes.values()))
            )
            if not known:
                problems.append(
                    Problem(
                        field=column,
                        rule="known_code",
                        feature=where,
                        message=f"{pattern!r} is no code, group or '*'",
                    )
                )
        rows.append(
            _Row(
                row["relation"],
                row["code_a"],
                row["code_b"],
                _yes(row["permitted"], where=where, column="permitted"),
                row["note"],
            )
        )
    if problems:
        raise InvalidInput("The compatibility matrix is not valid", problems)
    return Compatibility(rows, codes)
