"""The fibre plan's own words (bill items, units, progress) in the reader's language.

:mod:`twin.fiber` writes its bill of quantities and its progress in English,
as the CLI and the plan's files show them; the page translates them here.
Road classes and surfaces come from the road layer's declaration.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from layers import feature_type

from ..i18n import label

__all__ = ["bill_item", "bill_unit", "progress"]

_TRENCH = re.compile(r"trench along (?P<cls>.+) road, (?P<surface>.+)")
_CROSSINGS = re.compile(r"crossings under wide roads \((?P<n>\d+)\)")


def _fixed_items() -> dict[str, str]:
    return {
        "trench off road (lead-ins)": _("trench off road (lead-ins)"),
        "aerial cable on existing poles": _("aerial cable on existing poles"),
        "cable pulled through existing ducts": _("cable pulled through existing ducts"),
        "fibre cable (whole route)": _("fibre cable (whole route)"),
        "taps into existing cables (splice closures)":
            _("taps into existing cables (splice closures)"),
        "splice closures (aerial to underground)": _("splice closures (aerial to underground)"),
        "cabinets with splitters (branch points)": _("cabinets with splitters (branch points)"),
        "village access nodes": _("village access nodes"),
        "drops": _("drops"),
        "second cable through planned trenches": _("second cable through planned trenches"),
    }


def _choice(attribute: str, value: str) -> str:
    declared = next(a for a in feature_type("base_road").attributes if a.name == attribute)
    for choice in declared.choices:
        if choice.value == value:
            return label(choice).lower()
    if value.startswith("unknown"):
        return _("surface unknown")
    return _("unclassified") if value == "unclassified" else value


def bill_item(item: str) -> str:
    """A line of the bill of quantities, e.g. ``trench along street road, asphalt``."""
    trench = _TRENCH.fullmatch(item)
    if trench:
        return _("trench along %(road)s, %(surface)s", road=_choice("road_class", trench["cls"]),
                 surface=_choice("surface", trench["surface"]))
    crossings = _CROSSINGS.fullmatch(item)
    if crossings:
        return _("crossings under wide roads (%(count)s)", count=crossings["n"])
    return _fixed_items().get(item, item)


def bill_unit(unit: str) -> str:
    """A unit of the bill: ``m``, ``each``, ``village`` …"""
    return {
        "m": "m",
        "m of road width": _("m of road width"),
        "each": _("each"),
        "village": _("village"),
        "household": _("household"),
    }.get(unit, unit)


def progress() -> dict[str, str]:
    """The messages of a running plan, English as the job reports them -> shown."""
    return {
        "queued": _("queued"),
        "reading the twin": _("reading the twin"),
        "building the trench graph": _("building the trench graph"),
        "solving the Steiner tree": _("solving the Steiner tree"),
        "phasing the rollout": _("phasing the rollout"),
        "finding second paths": _("finding second paths"),
        "pricing": _("pricing"),
        "writing the planned assets": _("writing the planned assets"),
        "saving the files": _("saving the files"),
        "done": _("done"),
        "failed": _("failed"),
    }
