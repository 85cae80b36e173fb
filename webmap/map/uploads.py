"""Importing a file from the browser: check first, then commit, with progress.

An upload is saved to a private folder under the twin's home and checked by
the twin's importer (:func:`twin.io.importer.import_features`) in a dry run;
its report (features per type, problems with feature, field and rule) is
shown to the user, who then commits it.  Both runs happen in a background
thread, and the page polls the job for its progress.  A file with problems
is never written: the importer refuses it as a whole.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
import uuid
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from layers import feature_type
from twin.errors import InvalidInput, NotFound, TwinError
from twin.plugins import load_optional

__all__ = ["ImportJob", "ImportJobs", "UPLOAD_SUFFIXES"]

UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".csv")


@dataclasses.dataclass
class ImportJob:
    """One uploaded file on its way into a feature type."""

    id: str
    owner: str | None
    table: str
    path: Path
    crs: str | None
    state: str = "checking"  # checking, checked, committing, done, failed
    done: int = 0
    total: int | None = None
    report: dict = dataclasses.field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "table": self.table,
            "file": self.path.name,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "report": self.report,
            "error": self.error,
        }

    def progress(self, written: int) -> None:
        """Called by the importer with the features written since its last call."""
        self.done += int(written)


class ImportJobs:
    """The import jobs of one app, run in threads against its engine."""

    def __init__(self, engine, folder: Path):
        self.engine = engine
        self.folder = Path(folder)
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    @staticmethod
    def importer():
        module = load_optional("twin.io.importer")
        if module is None:
            raise NotFound("importing files is not part of this build")
        return module

    def start(self, upload, *, table: str, crs: str | None, owner: str | None) -> ImportJob:
        """Save ``upload`` (a werkzeug FileStorage) and start its dry run."""
        try:
            feature_type(table)
        except KeyError:
            raise NotFound(f"no feature type {table!r} to import into") from None
        self.importer()
        name = secure_filename(upload.filename or "")
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise InvalidInput(
                f"{name or 'the upload'}: not an importable file "
                f"(expected {', '.join(UPLOAD_SUFFIXES)})"
            )
        job_id = uuid.uuid4().hex
        folder = self.folder / job_id
        folder.mkdir(parents=True)
        upload.save(folder / name)
        job = ImportJob(job_id, owner, table, folder / name, crs or None)
        with self._lock:
            self._jobs[job_id] = job
        self._run(job, dry_run=True)
        return job

    def get(self, job_id: str, owner: str | None) -> ImportJob:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"no import job {job_id}")
        return job

    def commit(self, job_id: str, owner: str | None) -> ImportJob:
        job = self.get(job_id, owner)
        with self._lock:
            if job.state != "checked" or not job.report.get("ok"):
                raise InvalidInput(
                    f"import {job_id} is {job.state}: check it without problems before importing"
                )
            job.state, job.done = "committing", 0
        self._run(job, dry_run=False)
        return job

    def _run(self, job: ImportJob, *, dry_run: bool) -> None:
        thread = threading.Thread(
            target=self._work, args=(job, dry_run), daemon=True, name=f"import-{job.id[:8]}"
        )
        thread.start()

    def _work(self, job: ImportJob, dry_run: bool) -> None:
        importer = self.importer()
        try:
            with Session(self.engine) as session:
                report = importer.import_features(
                    session,
                    job.table,
                    job.path,
                    crs=job.crs,
                    user=job.owner,
                    dry_run=dry_run,
                    reason=f"upload of {job.path.name}",
                    progress=job.progress,
                )
                if not dry_run:
                    session.commit()
            job.report = report.to_dict()
            job.total = sum(report.counts.values())
            job.state = "checked" if dry_run else "done"
            if dry_run and not report.ok:
                shutil.rmtree(job.path.parent, ignore_errors=True)  # it cannot be committed
        except TwinError as exc:
            rejected = getattr(exc, "report", None)
            job.report = rejected.to_dict() if rejected is not None else exc.to_problem()
            job.state, job.error = "failed", exc.message
        except Exception as exc:  # the page must hear of any failure, not wait forever
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        if job.state in ("done", "failed"):
            shutil.rmtree(job.path.parent, ignore_errors=True)
