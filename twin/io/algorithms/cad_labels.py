"""Text near a drawn feature becomes its attribute: ``D110`` beside a pipe is 110 mm.

CAD drawings say what a line is in text placed beside it rather than in
fields.  Each text (TEXT, MTEXT or a block's attribute value) is tried
against the label patterns of the features around it; it goes to the
nearest feature, within the tolerance, whose patterns it matches, and each
pattern that matches gives one attribute.  Where two texts give a feature
the same attribute, the nearer one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["LabelRule", "label_values", "labels_to_attributes"]


@dataclass(frozen=True)
class LabelRule:
    """A pattern searched in a text, and the attribute its match gives.

    The value is the pattern's first group (the whole match without one), a
    decimal comma read as a point: ``(\\d+)`` in ``D(\\d+)`` gives 110 for ``D110``.
    """

    pattern: re.Pattern
    attribute: str


def label_values(text: str, rules) -> dict[str, str]:
    """The attributes ``text`` gives through ``rules`` (first match of each).

    >>> rule = LabelRule(re.compile(r"(?:D|Ø)\\s*(\\d+)"), "diameter_mm")
    >>> label_values("HDPE Ø110", [rule])
    {'diameter_mm': '110'}
    """
    found: dict[str, str] = {}
    for rule in rules:
        match = rule.pattern.search(text)
        if match and rule.attribute not in found:
            value = match.group(1) if rule.pattern.groups else match.group(0)
            found[rule.attribute] = value.strip().replace(",", ".")
    return found


def _keep_nearer(found: dict, values: dict[str, str], distance: float) -> None:
    """Add ``values`` to a feature's ``found`` where no nearer label gave them."""
    for name, value in values.items():
        if name not in found or distance < found[name][0]:
            found[name] = (distance, value)


def labels_to_attributes(
    features: np.ndarray,
    rules: list[tuple[LabelRule, ...]],
    texts: list[str],
    positions: np.ndarray,
    *,
    tolerance: float,
) -> tuple[list[dict[str, str]], int]:
    """Attributes of ``features`` from the ``texts`` placed at ``positions``.

    Parameters
    ----------
    features : ndarray of shapely geometries
        The drawn features, in drawing units.
    rules : list of tuple of LabelRule
        The label rules of each feature.
    texts, positions
        Each text and the point it is drawn at.
    tolerance : float
        Farthest a text may lie from its feature, in drawing units (metres
        in VN-2000).

    Returns
    -------
    attributes : list of dict
        Attribute name -> text value, one dict per feature.
    unplaced : int
        Texts that matched some pattern but no feature near enough.

    >>> from shapely import LineString, Point
    >>> pipe = LineString([(0, 0), (100, 0)])
    >>> rule = LabelRule(re.compile(r"D(\\d+)"), "diameter_mm")
    >>> labels_to_attributes(np.array([pipe]), [(rule,)], ["D110", "D200"],
    ...                      np.array([Point(50, 1), Point(50, 30)]), tolerance=2)
    ([{'diameter_mm': '110'}], 1)
    """
    best: list[dict[str, tuple[float, str]]] = [{} for _ in range(len(features))]
    if len(features) == 0 or not texts:
        return [{} for _ in range(len(features))], 0
    tree = shapely.STRtree(features)
    text_index, feature_index = tree.query(positions, predicate="dwithin", distance=tolerance)
    distances = shapely.distance(positions[text_index], features[feature_index])
    order = np.lexsort((distances, text_index))  # by text, the nearest feature first
    text_index, feature_index, distances = text_index[order], feature_index[order], distances[order]
    starts = np.searchsorted(text_index, np.arange(len(texts) + 1))
    every_rule = list(dict.fromkeys(rule for own in set(rules) for rule in own))
    unplaced = 0
    for t, text in enumerate(texts):
        near = range(starts[t], starts[t + 1])
        chosen = next(
            ((k, values) for k in near if (values := label_values(text, rules[feature_index[k]]))),
            None,
        )
        if chosen is None:
            unplaced += bool(label_values(text, every_rule))
        else:
            k, values = chosen
            _keep_nearer(best[feature_index[k]], values, float(distances[k]))
    return [{name: value for name, (_, value) in found.items()} for found in best], unplaced
