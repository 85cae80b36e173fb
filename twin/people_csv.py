"""CSV files meant for people, with cells a spreadsheet cannot take for formulas.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or
a tab or carriage return before one) as a formula: an asset name or an
incident note ``=HYPERLINK("http://...")`` in an export would act in the
reader's spreadsheet.  Every CSV the twin writes for people (the operations
exports, the crew's work order, the zoning report, the fibre plan tables)
goes through :func:`writer` or :func:`dict_writer`, which put an apostrophe
before such a text cell, as OWASP advises; the spreadsheet shows the text
and drops the apostrophe.

Only text is changed: a number stays a number (``-5.2`` is written as it
is), whatever it looks like.  A text that already begins with apostrophes
before one of those characters gets one more, so :func:`restored` gives
back exactly what was written, for the few files the twin reads again.

The data-exchange CSV of ``twin asset export`` is for programs and round-trips
into ``twin asset import``: it is written as it is.

>>> neutralised('=HYPERLINK("http://evil")')
'\\'=HYPERLINK("http://evil")'
>>> neutralised(-5.2), neutralised("Cầu Gồ")
(-5.2, 'Cầu Gồ')
>>> restored(neutralised("-12 V")) == "-12 V"
True
"""

from __future__ import annotations

import csv

__all__ = ["FORMULA_STARTS", "dict_writer", "neutralised", "restored", "writer"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralised(value):
    """``value`` safe to show in a spreadsheet: text cells that start a formula get a ``'``."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restored(text: str) -> str:
    """The text :func:`neutralised` was given, from a cell it wrote."""
    if text.startswith("'") and _formula_like(text):
        return text[1:]
    return text


class _Rows:
    """A csv writer whose rows are neutralised before they are written."""

    def __init__(self, target, keyed: bool):
        self._target = target
        self._keyed = keyed

    def writerow(self, row):
        if self._keyed:
            return self._target.writerow({k: neutralised(v) for k, v in row.items()})
        return self._target.writerow([neutralised(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def writeheader(self):
        return self._target.writeheader()


def writer(handle, **options) -> _Rows:
    """:func:`csv.writer` on ``handle`` for people: every row neutralised."""
    return _Rows(csv.writer(handle, **options), keyed=False)


def dict_writer(handle, fieldnames, **options) -> _Rows:
    """:class:`csv.DictWriter` on ``handle`` for people: every row neutralised."""
    return _Rows(csv.DictWriter(handle, fieldnames, **options), keyed=True)
