"""Importing a file from the browser: check first, then commit, with progress.

An upload is saved to a private folder (mode 0700) under the twin's home;
before anything else its role is checked against the feature type
(:func:`twin.auth.roles.require_write`, as for every write), a zipped
shapefile is unpacked with its members checked (:mod:`twin.io.archives`) and
the file must open with the one GDAL driver its suffix names
(:mod:`twin.io.safe_open`) — a refusal is a 4xx naming the file and the rule,
and the folder is removed.  It is then checked by
the twin's importer (:func:`twin.io.importer.import_features`) in a dry run;
its report (features per type, problems with feature, field and rule) is
shown to the user, who then commits it.  Both runs happen in a background
thread, and the page polls the job for its progress.  A file with problems
is never written: the importer refuses it as a whole.  Folders left behind
(a check never committed) are swept after a day.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from layers import feature_type
from twin.auth.roles import Principal, require_write
from twin.errors import InvalidInput, NotFound, TwinError
from twin.plugins import load_optional

__all__ = ["ImportJob", "ImportJobs", "UPLOAD_SUFFIXES", "require_import"]

UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".csv")
#: Upload folders older than this (seconds) are removed.
KEEP_UPLOADS_S = 24 * 3600


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


def require_import(principal: Principal, table: str) -> None:
    """Raise unless ``principal`` may write features into ``table`` (the API's rule)."""
    try:
        ft = feature_type(table)
    except KeyError:
        raise NotFound(f"no feature type {table!r} to import into") from None
    require_write(principal, ft, "create")


class ImportJobs:
    """The import jobs of one app, run in threads against its engine."""

    def __init__(self, engine, folder: Path, *, keep_s: float = KEEP_UPLOADS_S):
        self.engine = engine
        self.folder = Path(folder)
        self.keep_s = keep_s
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()
        self.sweep()

    def _private_folder(self) -> None:
        """The uploads folder, readable by the twin's user only."""
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        if self.folder.stat().st_mode & 0o077:
            self.folder.chmod(0o700)  # left by an older version

    def sweep(self) -> None:
        """Remove upload folders older than :attr:`keep_s` that no running job uses."""
        if not self.folder.is_dir():
            return
        cutoff = time.time() - self.keep_s
        with self._lock:
            busy = {j.id for j in self._jobs.values() if j.state in ("checking", "committing")}
        for entry in self.folder.iterdir():
            if entry.name not in busy and entry.lstat().st_mtime < cutoff:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    @staticmethod
    def importer():
        module = load_optional("twin.io.importer")
        if module is None:
            raise NotFound("importing files is not part of this build")
        return module

    def start(self, upload, *, table: str, crs: str | None, principal: Principal) -> ImportJob:
        """Check ``upload`` (a werkzeug FileStorage), save it and start its dry run."""
        require_import(principal, table)
        self.importer()
        name = secure_filename(upload.filename or "")
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise InvalidInput(
                f"{name or 'the upload'}: not an importable file "
                f"(expected {', '.join(UPLOAD_SUFFIXES)})"
            )
        self.sweep()
        self._private_folder()
        job_id = uuid.uuid4().hex
        folder = self.folder / job_id
        folder.mkdir(mode=0o700)
        try:
            path = _saved(upload, folder / name)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = ImportJob(job_id, principal.name, table, path, crs or None)
        with self._lock:
            self._jobs[job_id] = job
        self._run(job, dry_run=True)
        return job

    def get(self, job_id: str, owner: str | None) -> ImportJob:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"no import job {job_id}")
        return job

    def commit(self, job_id: str, principal: Principal) -> ImportJob:
        job = self.get(job_id, principal.name)
        require_import(principal, job.table)
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


def _saved(upload, path: Path) -> Path:
    """Write ``upload`` to ``path`` (mode 0600) and check it; the file to import."""
    from twin.io.archives import unpack_shapefile  # twin.io is optional (ImportJobs.importer)
    from twin.io.safe_open import gdal_path

    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        upload.save(out)
    if path.suffix.lower() == ".zip":
        path = unpack_shapefile(path, path.parent)
    gdal_path(path)
    return path
