"""Numbers typed by people, read as they meant them.

A Vietnamese user writes one and a half as ``1,5`` and one thousand five
hundred as ``1.500``; an English user writes ``1.5`` and ``1,500``.  Python's
``float`` knows only the second convention and reads ``1.500`` as 1.5; a
browser's number box may drop a comma and read ``1,5`` as 15.  Both corrupt
data silently, so every number that arrives as text goes through
:func:`read_number`:

* the reader's locale is tried first with Babel's strict parser
  (``1,5`` → 1.5 and ``1.234,5`` → 1234.5 in Vietnamese), then the other
  convention, so an unambiguous ``1.5`` or ``1,234.5`` still means what it says;
* spaces between digit groups (``1 234,5``) are grouping;
* one separator followed by exactly three digits (``1.500``, ``12,345``) could
  be either a decimal separator or grouping, so it is refused with a message
  that says how to write it — never guessed.

The browser's twin is ``webmap/static/locale.js`` (``Twin.readNumber``), with
the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

__all__ = ["AmbiguousNumber", "read_number"]

_MACHINE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_SPACED = re.compile(r"[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?")
_CONVENTIONS = ("vi", "en")
#: Numbers past 10^300 are no measure (and "NaN", "inf" are none): refused.
_MAX_EXPONENT = 300


class AmbiguousNumber(ValueError):
    """A number that reads as two different values in the two conventions."""

    def __init__(self, text: str):
        self.text = text
        self.whole = re.sub(r"[.,]", "", text)
        self.fraction = re.sub(r"[.,]?0+$", "", re.sub(r"[.,]", ".", text))
        super().__init__(f"{text!r} is ambiguous: write {self.whole}, "
                         f"or {self.fraction} for a decimal")


def read_number(text: str, locale: str | None = None) -> Decimal:
    """The number ``text`` means in ``locale`` (``"vi"``, ``"en"``; None: machine text first).

    Raises :class:`AmbiguousNumber` for text like ``1.500`` and ``ValueError``
    for text that is no number.

    >>> read_number("1,5", "vi"), read_number("1.234,5", "vi"), read_number("1 234,5", "vi")
    (Decimal('1.5'), Decimal('1234.5'), Decimal('1234.5'))
    >>> read_number("1.5", "vi"), read_number("0.500", "vi"), read_number("2.5e3")
    (Decimal('1.5'), Decimal('0.500'), Decimal('2.5E+3'))
    >>> read_number("1.500", "vi")
    Traceback (most recent call last):
    ...
    twin.locale_numbers.AmbiguousNumber: '1.500' is ambiguous: write 1500, or 1.5 for a decimal
    """
    number = _read(str(text).strip(), locale)
    if number is None or not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
        raise ValueError(f"{text!r} is not a number")
    return number


def _read(s: str, locale: str | None) -> Decimal | None:
    if _AMBIGUOUS.fullmatch(s):
        raise AmbiguousNumber(s)
    if _SPACED.fullmatch(s):
        s = re.sub(r"[ \u00a0\u202f]", "", s)
        if _AMBIGUOUS.fullmatch(s) is None and "." not in s and "," not in s:
            return Decimal(s)
    if locale is None and _MACHINE.fullmatch(s):
        return Decimal(s)
    language = (locale or "en").split("-")[0].split("_")[0].lower()
    order = sorted(_CONVENTIONS, key=lambda c: c != language)
    for convention in order:
        try:
            return parse_decimal(s, convention, strict=True)
        except NumberFormatError:
            continue
    if _MACHINE.fullmatch(s):
        return Decimal(s)
    return None
