"""Importing a file: preflight, then every feature written in one transaction.

:func:`import_features` is what ``twin asset import`` and the web upload call.  It
runs the preflight (:mod:`twin.io.preflight`); with problems nothing is
written and :class:`ImportRejected` carries the report naming each one.
Otherwise nodes are copied first, network lines after them with their ends
known (from the model) or snapped in SQL (:mod:`twin.io.snapping`), each
feature with its commune and the load recorded once, all through
:func:`twin.bulk.copy_columns` in the caller's transaction: the caller
commits, or rolls back and nothing happened.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

import numpy as np
import psycopg
from sqlalchemy.orm import Session

from twin.bulk import CHUNK_ROWS, Loader, allocate_ids, code_of, copy_columns
from twin.bulk.pipeline import ahead
from twin.bulk.rows import chunks
from twin.config import SNAP_TOLERANCE_M
from twin.db.errors import refused
from twin.declare import normal_code
from twin.errors import InvalidInput

from .columnar import import_columnar
from .mapping import Mapping
from .preflight import Batch, Checks, Plan
from .readers import read_source
from .report import ImportReport
from .snapping import snap_ends
from .source import Source

__all__ = ["ImportRejected", "import_features"]

_ORDER = {"node": 0, None: 1, "edge": 2}
#: Features per part when a big layer is checked and written part by part.
PART_ROWS = 100_000


class ImportRejected(InvalidInput):
    """The preflight found problems: nothing was written; ``report`` lists them."""

    def __init__(self, report: ImportReport):
        n = report.problem_total
        super().__init__(
            f"{report.source}: nothing was imported, {n:,} problem(s) found",
            [p for _, p in report.problems],
        )
        self.report = report


def _report(plan: Plan, dry_run: bool) -> ImportReport:
    counts: dict[str, int] = {}
    for b in plan.batches:
        counts[b.table] = counts.get(b.table, 0) + len(b)
    return ImportReport(
        plan.source.path,
        plan.source.format,
        plan.crs,
        dry_run,
        counts,
        list(plan.log.examples),
        dict(plan.log.counts),
        list(plan.notes),
    )


def import_features(session: Session, table: str, source, *, crs=None,
                    mapping: Mapping | None = None, user: str | None = None,
                    dry_run: bool = False, source_layer: str | None = None,
                    check_bounds: bool = True, snap_tolerance_m: float = SNAP_TOLERANCE_M,
                    reason: str | None = None, max_per_rule: int = 100,
                    progress: Callable[[int], object] | None = None) -> ImportReport:
    """Import the features of ``source`` into the layer or feature type ``table``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Everything happens in its transaction; the caller commits.
    table : str
        ``LAYER`` (network models), ``LAYER:TYPE`` or a table name.
    source : str, pathlib.Path or Source
        A file (read with :func:`twin.io.readers.read_source`) or a read source.
    crs, mapping, check_bounds, max_per_rule
        As for :class:`twin.io.preflight.Checks`.
    user, reason
        Recorded on the features and in their history.
    dry_run : bool
        Check only (the preflight); nothing is written.
    snap_tolerance_m : float
        Distance (metres) within which line ends join a node of the layer.
    progress : callable, optional
        Called with the number of features written since the last call.

    Raises
    ------
    ImportRejected
        The preflight found problems (not raised for ``dry_run``).
    twin.errors.InvalidInput
        The file cannot be read, or the database refused a feature.
    """
    started = time.perf_counter()
    if not dry_run and not isinstance(source, Source):
        report = import_columnar(session, table, source, crs=crs, mapping=mapping, user=user,
                                 reason=reason, check_bounds=check_bounds,
                                 source_layer=source_layer, progress=progress)
        if report is not None:
            return report
    if not isinstance(source, Source):
        source = read_source(source, source_layer=source_layer)
    read = time.perf_counter()
    checks = Checks(session, table, source, crs=crs, mapping=mapping,
                    check_bounds=check_bounds, max_per_rule=max_per_rule)
    if not dry_run and _in_parts(checks):
        report = _import_in_parts(session, checks, user=user, reason=reason, progress=progress)
        report.timings["read"] = read - started
    else:
        report = _import_whole(session, checks, dry_run=dry_run, user=user, reason=reason,
                               tolerance_m=snap_tolerance_m, progress=progress,
                               started=started, read=read)
    report.seconds = time.perf_counter() - started
    return report


def _import_whole(session, checks: Checks, *, dry_run: bool, user, reason, tolerance_m,
                  progress, started: float, read: float) -> ImportReport:
    """Check every feature, then write them all (unless ``dry_run``); ``started`` and
    ``read``: when the import began and the file was read (``time.perf_counter()``)."""
    plan = checks.plan([checks.table(st, ft) for st, ft in checks.pairs])
    report = _report(plan, dry_run)
    checked = time.perf_counter()
    report.timings = {"read": read - started, "preflight": checked - read}
    if plan.log and not dry_run:
        report.seconds = checked - started
        raise ImportRejected(report)
    if not dry_run:
        _write(session, plan, report, user=user, reason=reason, tolerance_m=tolerance_m,
               progress=progress)
        report.written = True
        report.timings["write"] = time.perf_counter() - checked
    return report


def _codes(batch: Batch, ids: np.ndarray) -> list[str]:
    """The source's codes, and the twin's (:func:`twin.bulk.code_of`) where it has none."""
    prefix = code_of(batch.table, 0)[:-6]
    if batch.codes is None:
        return list(map(f"{prefix}%06d".__mod__, ids.tolist()))
    return [
        c if c is not None else f"{prefix}{i:06d}"
        for c, i in zip(batch.codes, ids.tolist(), strict=True)
    ]


def _ends(batch: Batch, nodes: dict, prefix: str) -> tuple[list, list]:
    return tuple(
        [nodes[(t, normal_code(prefix + c))] for t, c in side] for side in batch.source.ends
    )


def _columns(batch: Batch, ids, codes, geometry, ends) -> dict[str, list]:
    """The batch as the columns :func:`twin.bulk.copy_columns` writes."""
    columns = {
        "id": ids.tolist(),
        "code": codes,
        "geom": list(geometry),
        **{name: values.tolist() for name, values in batch.values.items()},
    }
    if ends is not None:
        columns["start_node"], columns["end_node"] = list(ends[0]), list(ends[1])
    return columns


def _write(
    session, plan: Plan, report: ImportReport, *, user, reason, tolerance_m, progress
) -> None:
    nodes = dict(plan.known_nodes)
    prefix = plan.code_prefix
    batches = sorted(plan.batches, key=lambda b: _ORDER[b.ft.network])
    for batch in batches:
        ids = allocate_ids(session, len(batch))
        codes = _codes(batch, ids)
        if batch.ft.network == "node":
            nodes.update({(batch.table, c): i for c, i in zip(codes, ids.tolist(), strict=True)})
        geometry, ends = batch.geometry, None
        if batch.source.ends:
            ends = _ends(batch, nodes, prefix)
        elif batch.ft.network == "edge":
            snapped = snap_ends(session, batch.ft, geometry, tolerance_m)
            geometry, ends = snapped.geometry, (snapped.start_node, snapped.end_node)
            report.unconnected += [
                (batch.table, codes[i], side) for i, side in snapped.unconnected()
            ]
        try:
            copy_columns(
                session,
                batch.table,
                _columns(batch, ids, codes, geometry, ends),
                user=user,
                reason=reason,
                history=True,
                communes=True,
                progress=progress,
            )
        except psycopg.Error as exc:
            raise _refused(batch, exc) from exc


def _refused(batch: Batch, exc: psycopg.Error) -> InvalidInput:
    return InvalidInput(
        f"{batch.table}: the database refused the import, nothing was written",
        [refused(exc, batch.table, where=batch.source.name, detail=True)],
    )


def _in_parts(checks: Checks) -> bool:
    """Whether to check and write part by part: one big layer of a type whose
    features need no other features written first (network lines do)."""
    if len(checks.pairs) != 1 or checks.log:
        return False
    st, ft = checks.pairs[0]
    return (
        ft.network != "edge"
        and len(st) > PART_ROWS
        # Codes of the source are checked against each other and the twin's
        # before anything is written; the twin's own codes need no check.
        and "code" not in checks.targets(st, ft)
    )


def _ready_chunks(checks: Checks, loader: Loader, drawn: queue.Queue, batches: list[Batch],
                  spent: list[float]):
    """Each part of the one layer checked (into ``batches``, the seconds added to
    ``spent[0]``) and, while no problem is found, made ready to copy: ``(batch,
    rows, count, COPY text)`` chunk by chunk.  ``drawn`` hands over the layer's ids."""
    st, ft = checks.pairs[0]
    count = len(st)
    ids = None
    for start in range(0, count, PART_ROWS):
        began = time.perf_counter()
        batch = checks.table(st.part(start, min(count, start + PART_ROWS)), ft, layer_size=count)
        spent[0] += time.perf_counter() - began
        batches.append(batch)
        if checks.log:
            continue
        if ids is None and (ids := drawn.get()) is None:
            return  # drawing them failed: the error is raised where they were drawn
        part = ids[start : start + len(batch)]
        rows = loader.rows(_columns(batch, part, _codes(batch, part), batch.geometry, None))
        for done, text in chunks(rows, CHUNK_ROWS):
            yield batch, rows, done, text


def _import_in_parts(session, checks: Checks, *, user, reason, progress) -> ImportReport:
    """Check and prepare the layer part by part in a thread while the
    database stores the rows already made ready.

    The same import as checking everything first, in less time: the client's
    work runs alongside the database's, and the connection only sends.  Once
    a problem is found no more parts are written, the rest are still checked
    for the report, and the savepoint taken first is rolled back: nothing is
    written.
    """
    st, ft = checks.pairs[0]
    count = len(st)
    spent = [0.0]
    batches: list[Batch] = []
    drawn: queue.Queue = queue.Queue(maxsize=1)  # the ids, drawn while the first part is checked
    began = time.perf_counter()
    savepoint = session.begin_nested()
    try:
        with Loader(
            session, ft.table, count, user=user, reason=reason, communes=True, progress=progress
        ) as loader:
            with ahead(_ready_chunks(checks, loader, drawn, batches, spent)) as ready:
                ids = None
                try:
                    ids = allocate_ids(session, count)
                finally:
                    drawn.put(ids)
                for batch, rows, done, text in ready:
                    try:
                        loader.send(rows.names, text, done)
                    except psycopg.Error as exc:
                        raise _refused(batch, exc) from exc
            plan = checks.plan(batches)
            report = _report(plan, False)
            if plan.log:
                raise ImportRejected(report)
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    report.written = True
    report.timings = {"preflight": spent[0], "write": time.perf_counter() - began}
    return report
