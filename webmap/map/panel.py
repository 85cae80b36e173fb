"""The attribute panel of one feature: labelled, formatted rows and its history.

Values are formatted for the user's language (numbers, dates, allowed values
by their label, booleans as yes/no) and carry the unit their attribute
declares.  Personal data is hidden unless the role may see it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from layers import feature_type
from twin.declare import Attribute, FeatureType
from twin.features import PERSONAL_HIDDEN

from ..formatting import area, length, local_time
from ..i18n import format_value, label
from .catalog import status_label

__all__ = ["attribute_rows", "core_rows", "history_rows", "status_of"]


def _choice_label(a: Attribute, value) -> str | None:
    for choice in a.choices:
        if choice.value == value:
            return label(choice)
    return None


_DERIVED = ("length_m", "area_m2", "start_node", "end_node", "commune")
_MEASURES = {"length_m": length, "area_m2": area}


def attribute_rows(ft: FeatureType, properties: dict) -> list[dict]:
    """One row per declared attribute, in declaration order."""
    rows = []
    for a in ft.attributes:
        value = properties.get(a.name)
        shown = _choice_label(a, value) if a.choices else None
        if value == PERSONAL_HIDDEN:
            shown = _("hidden (personal data)")
        plain = format_value(value, a.type, grouping=not a.name.endswith("year"))
        rows.append(
            {
                "name": a.name,
                "label": label(a),
                "value": shown if shown is not None else plain,
                "unit": a.unit if value is not None else None,
                "empty": value is None,
            }
        )
    return rows


def core_rows(ft: FeatureType, properties: dict, *, commune_name: str | None = None) -> list[dict]:
    """Lifecycle, ownership, measures and audit stamps shared by every asset.

    ``commune_name`` is shown instead of the commune's code when known.
    """
    fields = [
        ("commissioned_on", _("Commissioned on"), "date", None),
        ("decommissioned_on", _("Decommissioned on"), "date", None),
        ("owner", _("Owner"), "text", None),
        ("operator", _("Operator"), "text", None),
        ("commune", _("Commune / ward"), "text", None),
        ("length_m", _("Length"), "float", "m"),
        ("area_m2", _("Area"), "float", "m²"),
        ("version", _("Version"), "integer", None),
        ("updated_by", _("Last changed by"), "text", None),
        ("updated_at", _("Last changed at"), "datetime", None),
    ]
    rows = []
    for name, text, kind, unit in fields:
        if name not in properties or properties[name] is None:
            continue
        value = properties[name]
        if name == "commune" and commune_name:
            value = f"{commune_name} ({value})"
        # Measures carry the unit their size asks for (m or km; m², ha or km²).
        measure = _MEASURES.get(name)
        rows.append(
            {
                "name": name,
                "label": text,
                "value": measure(value) if measure else format_value(value, kind),
                "unit": None if measure else unit,
                "empty": False,
            }
        )
    return rows


def history_rows(table: str, versions: list[dict], *, limit: int = 50) -> list[dict]:
    """The latest history entries, newest first, worded in the user's language.

    ``versions`` come from :func:`twin.api.timetravel.history_of` (oldest
    first); the fields an update or revert changed are named by their labels.
    """
    ft = feature_type(table)
    names = {a.name: label(a) for a in ft.attributes}
    names.update(
        status=_("Status"),
        geometry=_("Geometry"),
        owner=_("Owner"),
        operator=_("Operator"),
        code=_("Asset code"),
        commissioned_on=_("Commissioned on"),
        decommissioned_on=_("Decommissioned on"),
        commune=_("Commune / ward"),
    )
    actions = {
        "create": _("created"),
        "update": _("changed"),
        "delete": _("deleted"),
        "revert": _("reverted"),
        "import": _("imported"),
    }
    return [
        {
            **e,
            "action_label": actions.get(e["action"], e["action"]),
            "when": local_time(e["changed_at"]),
            "changed_labels": [
                names.get(n, n)
                for n in (e["changes"] if e["action"] in ("update", "revert") else ())
                if n not in _DERIVED
            ],
        }
        for e in reversed(versions[-limit:])
    ]


def status_of(properties: dict, *, today: date | None = None) -> dict:
    """The status to show: a unit whose validity ended is abolished, whatever its status."""
    value = properties.get("status")
    valid_to = properties.get("valid_to")
    if valid_to and str(valid_to) < (today or date.today()).isoformat():
        return {"value": "abolished", "label": _("Abolished")}
    return {"value": value, "label": status_label(value)}
