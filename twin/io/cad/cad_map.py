"""The CAD mapping: which drawing layer (and block) is which feature type.

A CSV with the columns ``cad_layer,block,feature_type`` and, optionally,
``label_pattern,label_attribute``::

    cad_layer,block,feature_type,label_pattern,label_attribute
    CAP_NUOC*,,water:pipe,,
    CAP_NUOC*,VAN*,water:valve,^(V-\\d+)$,code

An empty ``block`` maps the layer's drawn shapes, a block name (``*`` for
any) its inserts.  Several rows of one layer, block and type add label
patterns.  Where a type's rows give no pattern, the starter patterns apply
(``twin/io/data/cad_label_patterns.csv``: ``D110`` or ``Ø110`` -> ``diameter_mm``,
``22kV`` -> ``voltage_kv`` ...) to the attributes the type has.  Without a
mapping the starter mapping ``twin/io/data/cad_starter_map.csv`` is used:
the usual Vietnamese layer names ``CAP_NUOC``, ``THOAT_NUOC``, ``DIEN``,
``CHIEU_SANG``, ``CAY_XANH``, ``VIEN_THONG``, ``GIAO_THONG``, ``NHA``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from layers import feature_type
from twin.errors import InvalidInput, Problem
from twin.validation import CORE_FIELDS

from ..algorithms.cad_labels import LabelRule
from ..algorithms.cad_shapes import CadTarget

__all__ = ["STARTER_MAP", "read_cad_map", "starter_label_rules"]

_DATA = Path(__file__).resolve().parent.parent / "data"
STARTER_MAP = _DATA / "cad_starter_map.csv"
_STARTER_LABELS = _DATA / "cad_label_patterns.csv"
_REQUIRED = ("cad_layer", "block", "feature_type")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = [c for c in _REQUIRED if not rows or c not in rows[0]]
    if missing:
        raise InvalidInput(
            f"{path.name}: not a CAD mapping",
            [
                Problem(
                    "--cad-map",
                    "columns",
                    f"needs the columns {', '.join(_REQUIRED)} "
                    "(and optionally label_pattern, label_attribute)",
                    path.name,
                )
            ],
        )
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def _compiled(text: str, where: str, problems: list[Problem]) -> re.Pattern | None:
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        problems.append(Problem("label_pattern", "regex", f"{text!r}: {exc}", where))
        return None


def starter_label_rules() -> list[LabelRule]:
    """The starter label patterns, each with the attribute it gives."""
    with _STARTER_LABELS.open(encoding="utf-8") as handle:
        return [
            LabelRule(re.compile(row["label_pattern"], re.IGNORECASE), row["attribute"])
            for row in csv.DictReader(handle)
        ]


def _type_of(name: str, where: str, problems: list[Problem]):
    try:
        return feature_type(name.replace(":", "_", 1))
    except KeyError:
        problems.append(
            Problem(
                "feature_type",
                "known_type",
                f"{name!r} is no feature type (write it as layer:type, e.g. water:pipe)",
                where,
            )
        )
        return None


def _label_rule(row, ft, where: str, problems: list[Problem]) -> LabelRule | None:
    pattern, attribute = row.get("label_pattern", ""), row.get("label_attribute", "")
    if not pattern and not attribute:
        return None
    names = {a.name for a in ft.attributes} | set(CORE_FIELDS)
    if not (pattern and attribute):
        problems.append(
            Problem("label_pattern", "pair", "label_pattern and label_attribute go together", where)
        )
    elif attribute not in names:
        problems.append(
            Problem(
                "label_attribute",
                "known_attribute",
                f"{ft.table} has no attribute {attribute!r}",
                where,
            )
        )
    elif (compiled := _compiled(pattern, where, problems)) is not None:
        return LabelRule(compiled, attribute)
    return None


def read_cad_map(path=None) -> list[CadTarget]:
    """The mapping rows of the CSV at ``path`` (the starter mapping by default).

    Raises
    ------
    twin.errors.InvalidInput
        Naming each row that names no feature type, an attribute the type
        lacks or a pattern that is not a regular expression.
    """
    path = Path(path) if path is not None else STARTER_MAP
    problems: list[Problem] = []
    grouped: dict[tuple[str, str, str], tuple] = {}
    for n, row in enumerate(_rows(path), start=2):
        where = f"{path.name} row {n}"
        ft = _type_of(row["feature_type"], where, problems)
        if ft is None:
            continue
        key = (row["cad_layer"] or "*", row["block"], ft.table)
        _, rules = grouped.setdefault(key, (ft, []))
        rule = _label_rule(row, ft, where, problems)
        rules += [rule] if rule else []
    if problems:
        raise InvalidInput(f"{path.name}: the CAD mapping is not valid", problems)
    starter = starter_label_rules()
    targets = []
    for (layer, block, table), (ft, rules) in grouped.items():
        names = frozenset({a.name for a in ft.attributes} | set(CORE_FIELDS))
        labels = tuple(rules) or tuple(r for r in starter if r.attribute in names)
        targets.append(CadTarget(layer, block, table, ft.geometry, labels, names))
    return targets
