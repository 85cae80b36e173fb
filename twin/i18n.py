"""Marking texts that the web app shows in the user's language.

Some words shown on the pages are declared next to the code they describe
(KPI names, definitions and formulas; trend titles).  They stay English
here, wrapped in :func:`N_` so that ``pybabel extract`` puts them in the
web app's catalogue; the pages translate them with ``gettext`` when shown.

>>> N_("Street lights operational")
'Street lights operational'

Sentences the twin stores (a zoning finding's rule) are kept as a
:class:`Message`: the marked English text and its values, words of data
given in both languages, so the stored English stays as it was and a page
can show the sentence in its reader's language.

>>> m = Message(N_("%(what)s of neighbouring plans must join"), {"what": words("red lines", "chỉ giới")})
>>> str(m)
'red lines of neighbouring plans must join'
>>> localized(m.to_json(), "vi", lambda text: text.replace("of neighbouring plans must join", "của hai quy hoạch phải nối"))
'chỉ giới của hai quy hoạch phải nối'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["Message", "N_", "localized", "words"]


def N_(message: str) -> str:
    """Return ``message`` unchanged: a marker for the message extractor."""
    return message


def words(en: str, vi: str | None) -> dict[str, str]:
    """A value of a message in both languages (the English one when there is no other)."""
    return {"en": en, "vi": vi or en}


def _in(value, language: str):
    if isinstance(value, Mapping) and "en" in value:
        return value.get(language) or value["en"]
    return value


@dataclass(frozen=True)
class Message:
    """A marked English message (``%(name)s`` placeholders) and its values;
    values made by :func:`words` follow the reader's language."""

    text: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % {k: _in(v, "en") for k, v in self.values.items()}

    def to_json(self) -> dict:
        """Plain JSON, for storing next to the English sentence."""
        return {"text": self.text, "values": dict(self.values)}


def localized(stored: Mapping, language: str, gettext: Callable[[str], str]) -> str:
    """A message stored by :meth:`Message.to_json` in ``language``, the text
    translated by ``gettext`` (the catalogue's, without formatting)."""
    values = {k: _in(v, language) for k, v in stored.get("values", {}).items()}
    return gettext(stored["text"]) % values
