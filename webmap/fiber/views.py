"""``/fiber``: the fibre rollout plan page and the JSON it uses.

Every role may look at the plans; planners and admins may run one.  A run
is a background job (:mod:`webmap.fiber.jobs`) that the page polls;
its result is the plan's files under ``$TWIN_HOME/fiber/<plan id>/`` and
its planned assets in the twin.  The work is in :mod:`twin.fiber`.
"""

from __future__ import annotations

from flask import (
    current_app,
    jsonify,
    render_template,
    send_file,
)

from twin.auth import has, require
from twin.errors import InvalidInput, NotFound, Problem
from twin.fiber import (
    DOWNLOADS,
    PlanOptions,
    check_plan_id,
    existing_network_geojson,
    plan_file,
    read_summary,
    saved_plans,
)
from twin.locale_numbers import AmbiguousNumber
from twin.validation import coerce_value

from ..auth.setup import current_principal
from ..db import get_session
from ..jobs import pool
from ..pages import app_service, json_object, page_blueprint, vendor_link
from ..rate_limits import charge
from .jobs import PlanJobs
from .words import bill_item, bill_unit, progress

__all__ = ["bp"]

bp = page_blueprint("fiber", __name__, permission="read", what="viewing fibre plans")


def _home():
    return current_app.config["TWIN_SETTINGS"].home


def _jobs() -> PlanJobs:
    return app_service("twin_fiber_jobs", lambda: PlanJobs(pool.runner()))


@bp.get("/")
def page():
    who = current_principal()
    return render_template(
        "fiber/plan.html",
        vendor=vendor_link,
        user=who,
        can_run=has(who, "plan"),
        plans=saved_plans(_home()),
        downloads=list(DOWNLOADS),
        progress=progress(),
    )


@bp.get("/plans")
def plans():
    return jsonify({"plans": saved_plans(_home())})


@bp.get("/plans/<plan_id>")
def summary(plan_id: str):
    """The plan's summary, its bill's items and units also in the reader's language."""
    shown = read_summary(_home(), plan_id)
    for line in shown.get("bill", []):
        line["item_shown"], line["unit_shown"] = bill_item(line["item"]), bill_unit(line["unit"])
    return jsonify(shown)


@bp.get("/plans/<plan_id>/files/<name>")
def download(plan_id: str, name: str):
    path, mimetype = plan_file(_home(), plan_id, name)
    return send_file(
        path, mimetype=mimetype, as_attachment=name != "geojson", download_name=path.name
    )


@bp.get("/existing.geojson")
def existing():
    return jsonify(existing_network_geojson(get_session()))


def _number(body: dict, field: str, kind, *, minimum=0):
    value = body.get(field)
    if value in (None, ""):
        return None
    try:
        number = coerce_value("integer" if kind is int else "float", value)
    except AmbiguousNumber as exc:
        raise InvalidInput("fibre plan options", [Problem(field, "ambiguous_number", str(exc))]) from exc
    except (TypeError, ValueError):
        number = None
    if number is None or number < minimum:
        raise InvalidInput(
            "fibre plan options",
            [Problem(field, "number", f"{value!r}: a {kind.__name__} of at least {minimum}")],
        )
    return number


def _options(body: dict) -> PlanOptions:
    years = _number(body, "years", int, minimum=1) or 5
    if years > 50:
        raise InvalidInput("fibre plan options", [Problem("years", "maximum", "50 at most")])
    return PlanOptions(
        years=years,
        budget_per_year_vnd=_number(body, "budget_per_year_vnd", float),
        redundant_above=_number(body, "redundant_above", int, minimum=1),
        time_limit_s=_number(body, "time_limit_s", float) or 30.0,
    )


@bp.post("/runs")
def start_run():
    who = current_principal()
    require(who, "plan", "running a fibre plan")
    body = json_object()
    plan_id = check_plan_id(body.get("plan_id") or "fiber-plan")
    options = _options(body)
    charge("run")
    job = _jobs().start(options, plan_id=plan_id, user=who.name)
    return jsonify(job), 202


@bp.get("/runs/<int:job_id>")
def run_status(job_id: int):
    job = _jobs().get(job_id)
    if job is None:
        raise NotFound(f"fibre plan run {job_id} is unknown")
    return jsonify(job)
