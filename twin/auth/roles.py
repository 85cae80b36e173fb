"""Who may do what: the five roles of the twin as plain rules (no web, no database).

=========  ==============================================================
viewer     reads every layer; personal data fields are hidden
crew       viewer + outage analysis + sets the operational state of network
           devices (valve or switch open/closed, in/out of service) + records
           inspections (which set an asset's condition and last inspection)
           + plans and closes maintenance work orders
editor     Department of Construction: creates, changes and deletes assets
planner    zoning plans and their reconciliation; edits the base layers
admin      everything, plus users, reverts, personal data and the job queue
=========  ==============================================================

Anonymous users read the open-data layers only (configurable per site).
Every refusal is an :class:`~twin.errors.Unauthorized` (who are you?) or a
:class:`~twin.errors.Forbidden` (not with your role) naming the action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layers import LAYERS, layer
from twin.declare import FeatureType
from twin.errors import Forbidden, Unauthorized

__all__ = [
    "ANONYMOUS",
    "CAPABILITIES",
    "OPERATIONAL_FIELDS",
    "ROLES",
    "Principal",
    "default_anonymous_layers",
    "has",
    "is_device",
    "require",
    "require_read",
    "require_write",
    "sees_personal",
]

ROLES = ("viewer", "crew", "editor", "planner", "admin")

#: Capability -> roles holding it.  Other areas (outage, zoning) ask by name.
CAPABILITIES = {
    "read": frozenset(ROLES),
    "outage": frozenset({"crew", "editor", "planner", "admin"}),
    "operate": frozenset({"crew", "editor", "admin"}),
    "inspect": frozenset({"crew", "editor", "admin"}),
    "maintain": frozenset({"crew", "editor", "admin"}),
    "edit_assets": frozenset({"editor", "admin"}),
    "plan": frozenset({"planner", "admin"}),
    "personal": frozenset({"admin"}),
    "revert": frozenset({"admin"}),
    "users": frozenset({"admin"}),
    "jobs": frozenset({"admin"}),
}

#: Fields the crew may set on a network device (and nothing else).
OPERATIONAL_FIELDS = frozenset({"normal_state", "status"})


@dataclass(frozen=True)
class Principal:
    """The user behind a request; ``name`` None means anonymous."""

    name: str | None = None
    role: str | None = None
    via_token: bool = False

    @property
    def anonymous(self) -> bool:
        return self.name is None


ANONYMOUS = Principal()


def default_anonymous_layers() -> frozenset[str]:
    """Names of the layers declared as open data (``Layer.open_data``)."""
    return frozenset(lyr.name for lyr in LAYERS if lyr.open_data)


def has(principal: Principal, capability: str) -> bool:
    return principal.role in CAPABILITIES[capability]


def require(principal: Principal, capability: str, action: str) -> None:
    """Raise unless ``principal`` holds ``capability``; ``action`` says what was tried."""
    if has(principal, capability):
        return
    if principal.anonymous:
        raise Unauthorized(f"{action}: log in or send an API token")
    allowed = ", ".join(r for r in ROLES if r in CAPABILITIES[capability])
    raise Forbidden(f"{action}: role {principal.role!r} may not; needs one of: {allowed}")


def sees_personal(principal: Principal) -> bool:
    """Personal data (customer names, phones) is shown to admins only."""
    return has(principal, "personal")


def require_read(principal: Principal, ft: FeatureType, *, anonymous_layers: Iterable[str]) -> None:
    if principal.anonymous and ft.layer in set(anonymous_layers):
        return
    require(principal, "read", f"reading {ft.table}")


def is_device(ft: FeatureType) -> bool:
    """A network node with an open/closed state (valve, switch ...)."""
    return ft.network == "node" and any(a.name == "normal_state" for a in ft.attributes)


def require_write(
    principal: Principal,
    ft: FeatureType,
    action: str,
    *,
    fields: Iterable[str] = (),
    geometry: bool = False,
) -> None:
    """Raise unless ``principal`` may ``action`` (create/replace/update/delete) on ``ft``.

    Asset layers are written by editors, base layers by planners, both by
    admins.  The crew may *update* devices, touching only
    :data:`OPERATIONAL_FIELDS` and never the geometry.
    """
    what = f"{action} on {ft.table}"
    capability = "edit_assets" if layer(ft.layer).asset else "plan"
    if has(principal, capability):
        return
    if action == "update" and has(principal, "operate") and is_device(ft):
        extra = sorted(set(fields) - OPERATIONAL_FIELDS)
        if not extra and not geometry:
            return
        if principal.role == "crew":
            touched = ", ".join(extra + (["geometry"] if geometry else []))
            raise Forbidden(
                f"{what}: the crew may set only "
                f"{', '.join(sorted(OPERATIONAL_FIELDS))}, not {touched}"
            )
    require(principal, capability, what)
