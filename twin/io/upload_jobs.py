"""Files uploaded from the browser, checked then imported as background jobs.

Kind ``file_import`` (see :mod:`twin.jobs`): the parameters name the upload
(a folder under ``home/uploads``), the file in it, the feature type, the CRS
and whether this is the dry run; the result is the importer's report and the
features counted.  The upload is the job's ``ref``, so one upload has one
check or one import under way at a time.  A file with problems is never
written: the importer refuses it as a whole, and the job's result still
carries the report that names every problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from twin.errors import TwinError
from twin.jobs import JobFailed, Kind

from .importer import import_features

__all__ = ["IMPORT", "KIND", "upload_folder", "uploads_folder"]

KIND = "file_import"


def uploads_folder(home) -> Path:
    """Where uploads wait for their check and import (mode 0700)."""
    return Path(home) / "uploads"


def upload_folder(home, upload: str) -> Path:
    """The folder of one upload (its id is a hex name made by the web app)."""
    if not upload.isalnum():
        raise ValueError(f"not an upload id: {upload!r}")
    return uploads_folder(home) / upload


def _run(ctx) -> dict:
    params, dry_run = ctx.params, ctx.params["dry_run"]
    folder = upload_folder(ctx.home, params["upload"])
    path = folder / params["file"]
    counted = {"done": 0}

    def written(count: int) -> None:
        counted["done"] += int(count)
        ctx.progress("importing" if not dry_run else "checking", counted["done"])

    try:
        with Session(ctx.engine) as session:
            report = import_features(
                session,
                params["table"],
                path,
                crs=params.get("crs"),
                user=ctx.owner,
                dry_run=dry_run,
                reason=f"upload of {path.name}",
                progress=written,
            )
            if not dry_run:
                session.commit()
    except TwinError as exc:
        rejected = getattr(exc, "report", None)
        report = rejected.to_dict() if rejected is not None else exc.to_problem()
        raise JobFailed(exc.message, {"report": report}) from exc
    if not dry_run or not report.ok:
        shutil.rmtree(folder, ignore_errors=True)  # imported, or it cannot be
    return {
        "report": report.to_dict(),
        "total": sum(report.counts.values()),
        "done": counted["done"],
    }


def _ended(ctx, error: str) -> None:
    shutil.rmtree(upload_folder(ctx.home, ctx.params["upload"]), ignore_errors=True)


IMPORT = Kind(KIND, _run, _ended)
