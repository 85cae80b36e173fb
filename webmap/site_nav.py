"""The links between the twin's pages, shown in every page's header.

A link is offered only to a user who may open its page (the page's own
check still decides), and only when its area is installed: a page the
user cannot open is not a link worth a tap on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import gettext

from twin.auth import has
from twin.i18n import N_

from .auth.setup import current_principal

__all__ = ["PAGES", "SiteLink", "init_app", "site_links"]


@dataclass(frozen=True)
class SiteLink:
    url: str
    label: str
    current: bool


#: (endpoint, label, capability needed; None: anyone, logged in or not).
PAGES = (
    ("map.index", N_("Map"), None),
    ("outage.page", N_("Outages"), "outage"),
    ("ops.dashboard", N_("Operations centre"), "read"),
    ("zoning.page", N_("Zoning"), "plan"),
    ("fiber.page", N_("Fibre"), "read"),
    ("maintenance.calendar_page", N_("Maintenance"), "read"),
)


def site_links() -> list[SiteLink]:
    """The pages the current user may open, the one being shown marked current."""
    who = current_principal()
    here = (request.blueprint or "") if request else ""
    links = []
    for endpoint, label, capability in PAGES:
        area = endpoint.split(".", 1)[0]
        if area not in current_app.blueprints:
            continue
        if capability is not None and not has(who, capability):
            continue
        links.append(SiteLink(url_for(endpoint), gettext(label), area == here))
    return links


def init_app(app) -> None:
    app.jinja_env.globals["site_links"] = site_links
