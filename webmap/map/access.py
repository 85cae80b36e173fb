"""Who is looking at the map, and what the page lets them do.

The rules themselves are :mod:`twin.auth.roles`; this module only asks them
for the current request and names the actions the page offers.
"""

from __future__ import annotations

from flask_babel import gettext as _

from layers import LAYERS, feature_type, layer
from twin.auth import CAPABILITIES, Principal, has, is_device
from webmap.auth.setup import anonymous_layers, current_principal

__all__ = [
    "actions_for",
    "anonymous_layers",
    "current_principal",
    "page_user",
    "role_label",
    "readable_layers",
]


def readable_layers(principal: Principal) -> frozenset[str]:
    """Names of the layers ``principal`` may see (anonymous: the open-data ones)."""
    if principal.anonymous:
        return anonymous_layers()
    return frozenset(lyr.name for lyr in LAYERS)


def actions_for(principal: Principal, table: str | None = None) -> list[str]:
    """Actions of the page open to ``principal`` (on a feature of ``table`` if given).

    ``edit``: draw, change and delete; ``operate``: set a device's state;
    ``revert``: bring back an older version; ``import``: upload a file.
    """
    actions = []
    if table is not None:
        ft = feature_type(table)
        capability = "edit_assets" if layer(ft.layer).asset else "plan"
        if has(principal, capability):
            actions.append("edit")
        elif has(principal, "operate") and is_device(ft):
            actions.append("operate")
    elif has(principal, "edit_assets") or has(principal, "plan"):
        actions.append("edit")
    if has(principal, "revert"):
        actions.append("revert")
    if has(principal, "edit_assets") or has(principal, "plan"):
        actions.append("import")  # into the layers it may write (require_write)
    return actions


def role_label(role: str | None) -> str:
    """The name of a role in the user's language."""
    labels = {
        "viewer": _("viewer"),
        "crew": _("field crew"),
        "editor": _("editor"),
        "planner": _("planner"),
        "admin": _("administrator"),
    }
    return labels.get(role or "", role or "")


def page_user(principal: Principal) -> dict:
    """What the page scripts know of the user (never anything secret)."""
    return {
        "name": principal.name,
        "role": principal.role,
        "role_label": role_label(principal.role),
        "actions": actions_for(principal),
        "capabilities": sorted(c for c in CAPABILITIES if has(principal, c)),
    }
