"""CQL2 temporal functions on the twin's dates and timestamps, as SQL.

Every temporal property of the twin is an instant (a ``date`` or a
``timestamp``), so each function compares an instant with an instant or with
an interval (``INTERVAL('2020-01-01', '..')``, ``..`` an open end):

========================  ==============================  ==========================
function                  with an instant ``t``           with an interval ``[s, e]``
========================  ==============================  ==========================
``T_AFTER``               ``p > t``                       ``p > e``
``T_BEFORE``              ``p < t``                       ``p < s``
``T_EQUALS``              ``p = t``                       (refused)
``T_INTERSECTS``          ``p = t``                       ``s <= p <= e``
``T_DISJOINT``            ``p <> t``                      not ``s <= p <= e``
``T_DURING``              (refused)                       ``s < p < e``
========================  ==============================  ==========================
"""

from __future__ import annotations

from sqlalchemy import and_, false, not_, true

from .errors import bad_parameter

__all__ = ["temporal_clause"]

_INSTANT_OPS = {
    "t_after": "__gt__",
    "t_before": "__lt__",
    "t_equals": "__eq__",
    "t_intersects": "__eq__",
    "t_disjoint": "__ne__",
}
_MIRRORED = {"t_after": "t_before", "t_before": "t_after"}


def _refused(op: str, what: str):
    return bad_parameter("filter", "temporal", f"{op.upper()} does not take {what}")


def _column(compiler, node, op: str):
    if node[0] != "prop" or compiler.types.get(node[1]) not in ("date", "timestamp"):
        if node[0] == "prop":
            compiler.column(node[1])  # an unknown name is named as such
        raise bad_parameter(
            "filter", "temporal", f"{op.upper()} needs a date or timestamp property"
        )
    return compiler.column(node[1])


def _interval(compiler, op: str, column, prop, start, end):
    name = prop[1]
    lo = None if start is None else compiler.value(start, compiler.types[name], name)
    hi = None if end is None else compiler.value(end, compiler.types[name], name)
    if op == "t_after":
        return false() if hi is None else column > hi
    if op == "t_before":
        return false() if lo is None else column < lo
    if op == "t_during":
        return and_(true() if lo is None else column > lo, true() if hi is None else column < hi)
    inside = and_(true() if lo is None else column >= lo, true() if hi is None else column <= hi)
    if op == "t_intersects":
        return inside
    if op == "t_disjoint":
        return not_(inside)
    raise _refused(op, "an interval")


def temporal_clause(compiler, op: str, first, second):
    """SQL for ``op(first, second)``; one side is a property, the other a literal."""
    if first[0] != "prop" and second[0] == "prop":
        if op == "t_during":
            raise _refused(op, "a property as its second argument")
        first, second, op = second, first, _MIRRORED.get(op, op)
    column = _column(compiler, first, op)
    if second[0] == "interval":
        return _interval(compiler, op, column, first, *second[1:])
    if op not in _INSTANT_OPS:
        raise _refused(op, "an instant (give an INTERVAL)")
    return getattr(column, _INSTANT_OPS[op])(compiler.operand(second, first))
