"""Importing a file from the browser: check first, then commit, with progress.

An upload is saved to a private temporary folder and checked by the twin's
importer in a dry run; the report (counts, problems with feature, field and
rule) is shown to the user, who then commits it.  Both runs happen in a
background thread so the page can poll the job for progress.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from layers import feature_type
from twin.errors import InvalidInput, NotFound, TwinError
from twin.plugins import load_optional

__all__ = ["ImportJobs", "UPLOAD_SUFFIXES"]

UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".csv")


def _plain(report) -> dict:
    """The importer's report as JSON-ready data, whatever its class."""
    if report is None:
        return {}
    if hasattr(report, "to_dict"):
        return report.to_dict()
    if dataclasses.is_dataclass(report):
        return dataclasses.asdict(report)
    return dict(report)


@dataclasses.dataclass
class ImportJob:
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

    def progress(self, done, total=None, *args, **kwargs) -> None:
        self.done = int(done)
        if total is not None:
            self.total = int(total)


class ImportJobs:
    """The import jobs of one app, run in threads against its engine."""

    def __init__(self, engine, folder: Path | None = None):
        self.engine = engine
        self.folder = Path(folder or tempfile.mkdtemp(prefix="twin-uploads-"))
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
        feature_type(table)  # unknown tables fail before anything is saved
        self.importer()
        name = secure_filename(upload.filename or "")
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise InvalidInput(f"{name or 'upload'}: not an importable file", [])
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
        if job.state != "checked":
            raise InvalidInput(f"import {job_id} is {job.state}, not checked", [])
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
                    mapping=None,
                    user=job.owner,
                    dry_run=dry_run,
                    progress=job.progress,
                )
                if not dry_run:
                    session.commit()
            job.report = _plain(report)
            job.state = "checked" if dry_run else "done"
        except TwinError as exc:
            job.state, job.error = "failed", exc.message
            job.report = exc.to_problem()
        except Exception as exc:  # the job reports any failure instead of dying silently
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        if job.state in ("done", "failed"):
            shutil.rmtree(job.path.parent, ignore_errors=True)
