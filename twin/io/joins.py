"""Attributes from a sheet joined to the features of a source by a key (``--join``).

Asset registers often live in an Excel workbook (or a CSV) beside the
drawing: ``twin import net.dxf --layer water --join valves.xlsx --on code``
adds the sheet's columns to every feature whose ``code`` matches a row of
its ``code`` column (``--on FIELD=COLUMN`` when the names differ).  The
sheet is read through GDAL (the XLSX or CSV driver, as any upload,
:mod:`twin.io.safe_open`); its columns then map like the source's own fields
(``--map``, ``--extra``).  A key given twice in the sheet is a problem;
features without a row keep their own values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyogrio.raw
from pyogrio.errors import DataLayerError, DataSourceError

from twin.errors import InvalidInput, Problem

from .safe_open import gdal_path
from .source import Source, SourceTable

__all__ = ["JoinSheet", "join_sheet", "read_join_sheet"]

#: Suffixes a sheet may have.
SHEET_SUFFIXES = (".xlsx", ".csv")


def _key(value) -> str | None:
    if value is None or (isinstance(value, float) and (value != value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class JoinSheet:
    """Rows of a sheet by their key: ``rows[key]`` is ``{column: value}``."""

    def __init__(self, name: str, field: str, column: str, rows: dict[str, dict]):
        self.name, self.field, self.column, self.rows = name, field, column, rows
        self.columns = sorted({c for row in rows.values() for c in row})


def _sheet_table(path: Path):
    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise InvalidInput(
            f"{path.name}: not a sheet",
            [Problem("--join", "suffix", f"join an {' or '.join(SHEET_SUFFIXES)} file", path.name)],
        )
    opened, _ = gdal_path(path)
    try:
        return pyogrio.raw.read_arrow(opened, layer=0)
    except (DataSourceError, DataLayerError) as exc:
        raise InvalidInput(
            f"{path.name}: cannot read the sheet",
            [Problem("--join", "readable", str(exc).strip(), path.name)],
        ) from exc


def read_join_sheet(path, on: str) -> JoinSheet:
    """The first sheet of ``path`` keyed by the column ``on`` names (``FIELD[=COLUMN]``).

    Raises
    ------
    twin.errors.InvalidInput
        The sheet cannot be read, has no such column, or gives a key twice.
    """
    path = Path(path)
    field, _, column = on.partition("=")
    field, column = field.strip(), (column or field).strip()
    meta, table = _sheet_table(path)
    names = [str(n) for n in meta["fields"]]
    lower = {n.lower(): n for n in names}
    if column.lower() not in lower:
        raise InvalidInput(
            f"{path.name}: no column {column!r}",
            [Problem("--on", "known_column", f"the sheet has: {', '.join(names)}", path.name)],
        )
    column = lower[column.lower()]
    data = {n: table[n].to_pylist() for n in names}
    keys = [_key(v) for v in data[column]]
    twice = [k for k, n in Counter(k for k in keys if k is not None).items() if n > 1]
    if twice:
        raise InvalidInput(
            f"{path.name}: keys given twice",
            [Problem(column, "unique_key", f"{k!r} is on several rows", path.name) for k in twice],
        )
    others = [n for n in names if n != column]
    rows = {
        k: {n: data[n][i] for n in others if data[n][i] is not None}
        for i, k in enumerate(keys)
        if k is not None
    }
    return JoinSheet(path.name, field, column, rows)


def _joined(st: SourceTable, sheet: JoinSheet) -> tuple[SourceTable, int, int]:
    """The table with the sheet's columns, the features joined and those with a key."""
    lower = {n.lower(): n for n in st.columns}
    own = lower.get(sheet.field.lower())
    if own is None:
        return st, 0, 0
    keys = [_key(v) for v in st.columns[own]]
    columns = dict(st.columns)
    for name in sheet.columns:
        target = lower.get(name.lower(), name)
        values = np.array(columns.get(target, np.full(len(st), None)), dtype=object)
        for i, k in enumerate(keys):
            if k in sheet.rows and name in sheet.rows[k]:
                values[i] = sheet.rows[k][name]
        columns[target] = values
    matched = sum(k in sheet.rows for k in keys)
    return replace(st, columns=columns), matched, sum(k is not None for k in keys)


def join_sheet(source: Source, sheet: JoinSheet) -> Source:
    """``source`` with the sheet's columns added to the features whose key matches.

    The sheet's values win over the source's own where both give one.

    Raises
    ------
    twin.errors.InvalidInput
        No table of the source has the key field.
    """
    results = [_joined(st, sheet) for st in source.tables]
    if not any(sheet.field.lower() in {n.lower() for n in st.columns} for st in source.tables):
        raise InvalidInput(
            f"{source.path}: no field {sheet.field!r} to join {sheet.name} on",
            [Problem("--on", "known_field", f"the features have no {sheet.field!r}", source.path)],
        )
    matched, keyed = sum(r[1] for r in results), sum(r[2] for r in results)
    note = (
        f"{sheet.name}: {matched:,} of {keyed:,} features with a {sheet.field} "
        f"joined on {sheet.column}"
    )
    return replace(source, tables=[r[0] for r in results], notes=[*source.notes, note])
