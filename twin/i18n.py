"""Marking texts that the web app shows in the user's language.

Some words shown on the pages are declared next to the code they describe
(KPI names, definitions and formulas; trend titles).  They stay English
here, wrapped in :func:`N_` so that ``pybabel extract`` puts them in the
web app's catalogue; the pages translate them with ``gettext`` when shown.

>>> N_("Street lights operational")
'Street lights operational'
"""

from __future__ import annotations

__all__ = ["N_"]


def N_(message: str) -> str:
    """Return ``message`` unchanged: a marker for the message extractor."""
    return message
