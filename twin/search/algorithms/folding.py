"""Folding text for matching: lower case, no diacritics, ``đ`` as ``d``.

The database folds with ``twin_fold`` (``lower(unaccent(...))``, see
``migrations/sql/search.sql``); :func:`fold` does the same in Python, so a
query is folded once before it is sent and both sides agree.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(value: str) -> str:
    """Lower case without diacritics.

    >>> fold("Đường Hoàng Văn Thụ")
    'duong hoang van thu'
    """
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
