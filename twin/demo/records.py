"""The generated city as plain columnar records, before it meets a database.

Generators add features per table in batches: local ids (1, 2, 3 ... in the
order of generation, so the same seed gives the same ids and codes), shapely
geometries in the generator's metric CRS and columns of attribute values.
Network edges refer to their nodes by local id; attributes that name another
asset (``supplies``, ``power_customer``, ``cabinet`` ...) hold its code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from layers import feature_type

__all__ = ["Batch", "City", "codes_of"]


def codes_of(table: str, ids) -> list[str]:
    """Codes of local ids of ``table``: ``<prefix>-<id:06d>`` (the twin's own form)."""
    prefix = feature_type(table).code_prefix
    return [f"{prefix}-{int(i):06d}" for i in np.asarray(ids).ravel()]


@dataclass
class Batch:
    """Features of one table: local ids, metric geometries and attribute columns.

    A column is a sequence as long as ``ids`` or a single value for all.
    """

    table: str
    ids: np.ndarray
    geoms: np.ndarray
    columns: dict

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> list:
        value = self.columns.get(name)
        if isinstance(value, np.ndarray | list | tuple):
            return value.tolist() if isinstance(value, np.ndarray) else list(value)
        return [value] * len(self.ids)


@dataclass
class City:
    """Everything the generator made for one scale and seed."""

    scale: str
    seed: int
    crs: str
    batches: list[Batch] = field(default_factory=list)
    dem: object = None
    plans: list = field(default_factory=list)
    planted: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    communes: list[tuple] = field(default_factory=list)
    _last_id: int = 0

    def new_ids(self, count: int) -> np.ndarray:
        """``count`` fresh local ids."""
        ids = np.arange(self._last_id + 1, self._last_id + 1 + count, dtype=np.int64)
        self._last_id += count
        return ids

    @property
    def id_count(self) -> int:
        return self._last_id

    def add(self, table: str, geoms, ids=None, **columns) -> np.ndarray:
        """Add features of ``table``; returns their local ids."""
        geoms = np.asarray(geoms, dtype=object)
        if ids is None:
            ids = self.new_ids(len(geoms))
        for name, value in columns.items():
            if isinstance(value, np.ndarray | list | tuple) and len(value) != len(geoms):
                raise ValueError(f"{table}.{name}: {len(value)} values for {len(geoms)} features")
        if len(geoms):
            self.batches.append(Batch(table, np.asarray(ids, dtype=np.int64), geoms, columns))
        return np.asarray(ids, dtype=np.int64)

    def tables(self) -> list[str]:
        return list(dict.fromkeys(b.table for b in self.batches))

    def of(self, table: str) -> Iterator[Batch]:
        return (b for b in self.batches if b.table == table)

    def count(self, table: str | None = None) -> int:
        return sum(len(b) for b in self.batches if table is None or b.table == table)

    def counts(self) -> dict[str, int]:
        return {t: self.count(t) for t in self.tables()}
