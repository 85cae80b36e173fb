"""The words of data in findings' rules, in English and Vietnamese.

A rule is stored in English as before and, beside it, as a marked message
with its values (:class:`twin.i18n.Message`); the values that are words —
a feature type, a placement, a land-use name, the kind of a line — come
from here in both languages.
"""

from __future__ import annotations

from layers import feature_type
from twin.i18n import words

from .codes import LandUseCode

__all__ = ["WORDS", "feature_words", "fixed", "land_use_words"]

#: Fixed words of the checks: (English, Vietnamese).
WORDS = {
    "underground": ("underground", "ngầm"),
    "overhead": ("overhead", "đi nổi"),
    "surface": ("surface", "trên mặt đất"),
    "horizontal": ("horizontal", "theo phương ngang"),
    "vertical": ("vertical", "theo phương đứng"),
    "red line": ("red line", "chỉ giới đường đỏ"),
    "utility corridor": ("utility corridor", "hành lang hạ tầng kỹ thuật"),
}


def fixed(word: str) -> dict[str, str]:
    """One of :data:`WORDS` (itself in both languages when unknown)."""
    return words(*WORDS.get(word, (word, word)))


def feature_words(name: str) -> dict[str, str]:
    """A feature type as the rule names it: its table name, in Vietnamese its label."""
    try:
        return words(name, feature_type(name).vi.lower())
    except KeyError:
        return words(name, name)


def land_use_words(code: LandUseCode) -> dict[str, str]:
    return words(code.name_en, code.name_vi)
