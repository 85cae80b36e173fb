"""A CAD drawing as a source for the importer: one table per feature type.

The drawing's entities (:mod:`twin.io.cad.entities`) are given their
feature types by the CAD mapping (:mod:`twin.io.cad.cad_map`,
:mod:`twin.io.algorithms.cad_shapes`), their attributes by the texts beside
them (:mod:`twin.io.algorithms.cad_labels`) and by block attributes whose
tag names an attribute (``CODE`` -> ``code``).  What the drawing said
besides (layer, block, rotation, entity handle, other block attributes) is
kept in the features' ``extra.cad``.  The rest of the import is that of any
file: the same preflight, one transaction.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from ..algorithms.cad_labels import label_values, labels_to_attributes
from ..algorithms.cad_shapes import CadTarget, assign_entities
from ..source import Source, SourceTable
from .cad_map import read_cad_map
from .entities import Entities, read_entities

__all__ = ["DEFAULT_LABEL_DISTANCE", "read_cad"]

#: Farthest a label may lie from its feature, in drawing units (metres in VN-2000).
DEFAULT_LABEL_DISTANCE = 2.5


def _cad_extra(entities: Entities, i: int, kept: dict[str, str]) -> dict:
    cad = {"layer": entities.layer[i], "handle": entities.handle[i]}
    if entities.block[i]:
        cad["block"] = entities.block[i]
        cad["rotation_deg"] = round(float(entities.angle_deg[i]), 6)
    if kept:
        cad["attributes"] = kept
    return {"cad": cad}


def _table(entities: Entities, target: CadTarget, rows: np.ndarray, shapes, found) -> SourceTable:
    """The features of one mapping row's type: label and tag values as columns."""
    values: list[dict[str, str]] = []
    extras = []
    for row, labelled in zip(rows, found, strict=True):
        tags = entities.tags[row]
        direct = {t: v for t, v in tags.items() if t in target.attributes}
        kept = {t: v for t, v in tags.items() if t not in direct}
        from_tags = {
            k: v for value in kept.values() for k, v in label_values(value, target.labels).items()
        }
        values.append({**labelled, **from_tags, **direct})
        extras.append(_cad_extra(entities, row, kept))
    names = sorted({name for v in values for name in v})
    columns = {name: np.array([v.get(name) for v in values], dtype=object) for name in names}
    columns["extra"] = np.array(extras, dtype=object)
    labels = [f"{entities.layer[r]} #{entities.handle[r]}" for r in rows]
    return SourceTable(f"{target.table} (CAD)", shapes[rows], columns, labels, target.table)


def _merged(tables: list[SourceTable]) -> SourceTable:
    """Tables of one feature type from several mapping rows as one."""
    if len(tables) == 1:
        return tables[0]
    names = sorted({n for t in tables for n in t.columns})
    columns = {
        n: np.concatenate([t.columns.get(n, np.full(len(t), None, dtype=object)) for t in tables])
        for n in names
    }
    return SourceTable(
        tables[0].name,
        np.concatenate([t.geometry for t in tables]),
        columns,
        [label for t in tables for label in t.labels],
        tables[0].table,
    )


def _notes(entities: Entities, chosen: np.ndarray, unplaced: int) -> list[str]:
    left = Counter(
        entities.layer[i] for i in np.flatnonzero(chosen < 0) if entities.kind[i] != "text"
    )
    notes = []
    if left:
        named = ", ".join(f"{layer} ({n})" for layer, n in sorted(left.items()))
        notes.append(f"entities on layers (or of blocks) the CAD mapping does not name: {named}")
    if unplaced:
        notes.append(f"{unplaced} label(s) matched a pattern but lay near no feature of its type")
    return notes


def read_cad(path, cad_map=None, *, label_distance: float = DEFAULT_LABEL_DISTANCE) -> Source:
    """Read the DXF or DGN drawing at ``path`` for import.

    Parameters
    ----------
    path : str or pathlib.Path
    cad_map : path or list of CadTarget, optional
        The CAD mapping (``--cad-map``); the starter mapping by default.
    label_distance : float
        Farthest a text may lie from the feature it describes, in drawing units.
    """
    targets = cad_map if isinstance(cad_map, list) else read_cad_map(cad_map)
    entities = read_entities(path)
    chosen, shapes = assign_entities(
        targets, entities.kind, entities.layer, entities.block, entities.geometry
    )
    mapped = np.flatnonzero(chosen >= 0)
    text_rows = [i for i, k in enumerate(entities.kind) if k == "text"]
    found, unplaced = labels_to_attributes(
        shapes[mapped],
        [targets[chosen[i]].labels for i in mapped],
        [entities.text[i] for i in text_rows],
        entities.geometry[text_rows],
        tolerance=label_distance,
    )
    by_table: dict[str, list[SourceTable]] = {}
    for t, target in enumerate(targets):
        mine = chosen[mapped] == t
        if mine.any():
            picked = [found[k] for k in np.flatnonzero(mine)]
            table = _table(entities, target, mapped[mine], shapes, picked)
            by_table.setdefault(target.table, []).append(table)
    fmt = "DXF" if Path(path).suffix.lower() == ".dxf" else "DGN"
    notes = _notes(entities, chosen, unplaced)
    if entities.crs is None:
        notes.append("the drawing declares no coordinate system")
    tables = [_merged(parts) for parts in by_table.values()]
    return Source(str(path), fmt, tables, crs=entities.crs, notes=notes)
