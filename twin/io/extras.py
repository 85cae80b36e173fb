"""The JSONB ``extra`` of imported features: a source ``extra`` field and ``--extra``.

An ``extra`` field (an object, or its JSON text as exports write it) is the
start; fields kept with ``--extra`` are added under their source names.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np

from twin.errors import Problem

from .columns import null_mask
from .report import ProblemLog
from .source import SourceTable

__all__ = ["extras_column"]


def _plain(value):
    """A JSON-friendly value: numpy scalars unwrapped, dates as ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _parsed(value, label: str) -> tuple[dict, Problem | None]:
    if isinstance(value, dict):
        return dict(value), None
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        parsed = None
    if isinstance(parsed, dict):
        return parsed, None
    return {}, Problem("extra", "type", "extra must be a JSON object", label)


def extras_column(
    st: SourceTable, fields: list[str], extra_field: str | None, log: ProblemLog, table: str
) -> np.ndarray | None:
    """One dict per feature, or ``None`` when the source gives no extras at all."""
    if not fields and extra_field is None:
        return None
    out = np.empty(len(st), dtype=object)
    bad = []
    base = st.columns[extra_field] if extra_field is not None else None
    empty = null_mask(np.asarray(base)) if base is not None else None
    for i in range(len(st)):
        extra = {}
        if base is not None and not empty[i]:
            extra, problem = _parsed(base[i], st.label(i))
            if problem:
                bad.append(problem)
        out[i] = extra
    for name in fields:
        column = np.asarray(st.columns[name])
        missing = null_mask(column)
        for i in np.flatnonzero(~missing):
            out[i][name] = _plain(column[i])
    if bad:
        log.add_rule(table, "extra", "type", bad, len(bad))
    return out
