"""``/jobs/``: the background job queue for admins, as a page and as ``/jobs.json``.

Each job shows its kind, owner, status, progress (the step in the reader's
language), times and error; an unfinished one has a cancel button (a POST
form with the CSRF token).  The work is in :mod:`twin.jobs`.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, pgettext

from twin import jobs
from twin.auth import require

from ..auth.setup import current_principal
from ..db import get_session
from ..i18n import shown
from . import pool

__all__ = ["bp"]

bp = Blueprint("jobs", __name__, template_folder="templates")


@bp.before_request
def _admins_only():
    who = current_principal()
    if who.anonymous and request.method == "GET" and request.endpoint == "jobs.page":
        return redirect(url_for("auth.login", next=request.full_path))
    require(who, "jobs", "the job queue")
    return None


def _kind_name(kind: str) -> str:
    names = {
        "fiber_plan": gettext("fibre plan"),
        "zoning_check": gettext("zoning check"),
        "file_import": gettext("file import"),
        "water_run": gettext("water network simulation"),
        "drainage_run": gettext("drainage network simulation"),
        "power_run": gettext("power network load flow"),
    }
    return names.get(kind, kind)


def _status_name(status: str) -> str:
    names = {
        "queued": pgettext("job", "queued"),
        "running": pgettext("job", "running"),
        "done": pgettext("job", "done"),
        "failed": pgettext("job", "failed"),
        "cancelled": pgettext("job", "cancelled"),
    }
    return names.get(status, status)


def _when(value) -> str | None:
    return None if value is None else value.isoformat()


def _job_json(job: dict) -> dict:
    """A job as the page and ``/jobs.json`` show it: keys stay keys, words in the reader's language."""
    return {
        "id": job["id"],
        "kind": job["kind"],
        "kind_name": _kind_name(job["kind"]),
        "owner": job["owner"],
        "status": job["status"],
        "status_name": _status_name(job["status"]),
        "progress": jobs.progress_of(job),
        "done": job["done"],
        "total": job["total"],
        "step": None if job["step"] is None else shown(job["step"]),
        "ref": job["ref"],
        "error": job["error"],
        "cancel_requested": job["cancel_requested"],
        "worker": job["worker"],
        "created_at": _when(job["created_at"]),
        "started_at": _when(job["started_at"]),
        "heartbeat_at": _when(job["heartbeat_at"]),
        "finished_at": _when(job["finished_at"]),
    }


def _listed() -> list[dict]:
    status = request.args.get("status")
    return jobs.recent(get_session(), statuses=[status] if status else None)


@bp.get("/jobs/")
def page():
    listed = _listed()
    return render_template(
        "jobs/index.html",
        jobs=[(job, _job_json(job)) for job in listed],
        active=jobs.ACTIVE,
        me=current_principal().name,
        can_see_jobs=True,
    )


@bp.get("/jobs.json")
def listing():
    return jsonify({"jobs": [_job_json(job) for job in _listed()]})


@bp.post("/jobs/<int:job_id>/cancel")
def cancel(job_id: int):
    session = get_session()
    runner = pool.runner()
    job = jobs.cancel(
        session, job_id, user=current_principal().name, engine=runner.engine, home=runner.home
    )
    session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(_job_json(job))
    return redirect(url_for("jobs.page"))
