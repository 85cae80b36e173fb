"""``/zoning``: the planner page and the JSON it uses (role planner, and admin).

Views parse the request and shape the answer; the work is in ``twin.zoning``.
The page and its plans are here; zone edits in :mod:`.zones`, check runs
and their report in :mod:`.runs`, findings and decisions in :mod:`.findings`,
all on the one blueprint of :mod:`.blueprint`.  Checks run as background
jobs (:mod:`webmap.zoning.jobs`) that the page polls.  Browser writes carry
the ``X-CSRFToken`` header (see ``webmap.auth``).
"""

from __future__ import annotations

from flask import jsonify, render_template

from twin import zoning

from ..auth.setup import current_principal
from ..db import get_session
from ..pages import vendor_link
from . import findings, runs, zones  # noqa: F401  (their routes are on the blueprint)
from .blueprint import bp
from .names import page_words, status_name, value_names

__all__ = ["bp"]


@bp.get("/")
def page():
    names = value_names()
    return render_template(
        "zoning/index.html",
        vendor=vendor_link,
        user=current_principal(),
        kinds=names["kinds"],
        statuses=list(zoning.DECISION_STATUSES),
        status_name=status_name,
        names=names,
        words=page_words(),
    )


@bp.get("/plans")
def plans():
    return jsonify({"plans": zoning.plan_summaries(get_session())})
