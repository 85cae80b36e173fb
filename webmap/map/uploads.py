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
shown to the user, who then commits it.  Both runs are background jobs
(:mod:`twin.io.upload_jobs`, on the app's :class:`twin.jobs.Runner`), and
the page polls the upload's latest job for its progress.  A file with
problems is never written: the importer refuses it as a whole.  Folders left
behind (a check never committed) are swept after a day.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from layers import feature_type
from twin import jobs
from twin.auth import Principal, require_write
from twin.errors import InvalidInput, NotFound
from twin.plugins import load_optional

__all__ = ["ImportJob", "ImportJobs", "UPLOAD_SUFFIXES", "require_import"]

UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".csv")
#: Upload folders older than this (seconds) are removed.
KEEP_UPLOADS_S = 24 * 3600


@dataclasses.dataclass
class ImportJob:
    """One uploaded file on its way into a feature type: its latest job, as the page reads it."""

    job: dict

    @property
    def state(self) -> str:
        """checking, checked, committing, done or failed."""
        status, dry_run = self.job["status"], self.job["params"]["dry_run"]
        if status in ("queued", "running"):
            return "checking" if dry_run else "committing"
        if status == "done":
            return "checked" if dry_run else "done"
        return "failed"

    @property
    def report(self) -> dict:
        return (self.job["result"] or {}).get("report", {})

    def to_dict(self) -> dict:
        result, params = self.job["result"] or {}, self.job["params"]
        return {
            "id": params["upload"],
            "table": params["table"],
            "file": Path(params["file"]).name,
            "state": self.state,
            "done": result.get("done", self.job["done"]),
            "total": result.get("total"),
            "report": self.report,
            "error": self.job["error"],
        }


def require_import(principal: Principal, table: str) -> None:
    """Raise unless ``principal`` may write features into ``table`` (the API's rule)."""
    try:
        ft = feature_type(table)
    except KeyError:
        raise NotFound(f"no feature type {table!r} to import into") from None
    require_write(principal, ft, "create")


class ImportJobs:
    """The imports of one app, run as jobs of its runner; uploads kept under its home."""

    def __init__(self, runner: jobs.Runner, *, keep_s: float = KEEP_UPLOADS_S):
        self.runner = runner
        self.keep_s = keep_s

    @property
    def folder(self) -> Path:
        return self.importer().uploads_folder(self.runner.home)

    def _private_folder(self) -> None:
        """The uploads folder, readable by the twin's user only."""
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        if self.folder.stat().st_mode & 0o077:
            self.folder.chmod(0o700)  # left by an older version

    def sweep(self) -> None:
        """Remove upload folders older than :attr:`keep_s` that no unfinished job uses."""
        if not self.folder.is_dir():
            return
        kind = self.importer().KIND
        cutoff = time.time() - self.keep_s
        with Session(self.runner.engine) as session:
            waiting = jobs.recent(session, limit=10_000, statuses=jobs.ACTIVE)
        busy = {j["ref"] for j in waiting if j["kind"] == kind}
        for entry in self.folder.iterdir():
            if entry.name not in busy and entry.lstat().st_mtime < cutoff:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    @staticmethod
    def importer():
        module = load_optional("twin.io.upload_jobs")
        if module is None:
            raise NotFound("importing files is not part of this build")
        return module

    def start(self, upload, *, table: str, crs: str | None, principal: Principal) -> ImportJob:
        """Check ``upload`` (a werkzeug FileStorage), save it and queue its dry run."""
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
        upload_id = uuid.uuid4().hex
        folder = self.folder / upload_id
        folder.mkdir(mode=0o700)
        try:
            path = _saved(upload, folder / name)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        params = {
            "upload": upload_id,
            "file": str(path.relative_to(folder)),
            "table": table,
            "crs": crs or None,
            "dry_run": True,
        }
        return self._queue(params, principal.name)

    def get(self, upload_id: str, owner: str | None) -> ImportJob:
        with Session(self.runner.engine) as session:
            job = jobs.latest(session, self.importer().KIND, upload_id)
        if job is None or job["owner"] != owner:
            raise NotFound(f"no import job {upload_id}")
        return ImportJob(job)

    def commit(self, upload_id: str, principal: Principal) -> ImportJob:
        checked = self.get(upload_id, principal.name)
        require_import(principal, checked.job["params"]["table"])
        if checked.state != "checked" or not checked.report.get("ok"):
            raise InvalidInput(
                f"import {upload_id} is {checked.state}: check it without problems before importing"
            )
        return self._queue({**checked.job["params"], "dry_run": False}, principal.name)

    def _queue(self, params: dict, owner: str | None) -> ImportJob:
        with Session(self.runner.engine) as session:
            job_id = jobs.enqueue(
                session,
                self.importer().KIND,
                params,
                owner=owner,
                ref=params["upload"],
                queue=self.runner.queue,
            )
            session.commit()
        self.runner.wake()
        return ImportJob(self.runner.get(job_id))


def _saved(upload, path: Path) -> Path:
    """Write ``upload`` to ``path`` (mode 0600) and check it; the file to import."""
    from twin.io import gdal_path, unpack_shapefile  # twin.io is optional (ImportJobs.importer)

    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        upload.save(out)
    if path.suffix.lower() == ".zip":
        path = unpack_shapefile(path, path.parent)
    gdal_path(path)
    return path
