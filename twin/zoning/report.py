"""The report of one check run: conflict geometries, a table of findings, a summary.

``write_report`` writes to a folder (``report_zip`` gives the files as one
zip archive):

* ``conflicts.gpkg`` — layer ``conflicts``, one feature per finding, WGS 84;
* ``conflicts.csv`` — the same rows with the location as lon/lat of a point on
  the conflict;
* ``summary.csv`` and ``summary.html`` — findings per plan and kind, with
  how many are open, resolved and accepted and their total area and length.

Findings between assets alone (utility clearances) are summarised under
``(assets)``; a finding between two plans counts once for each.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
import numpy as np
import pyogrio.raw
import shapely
from sqlalchemy.orm import Session

from twin import people_csv
from twin.zoning import run_store, store, tables
from twin.zoning.model import FINDING_KINDS

__all__ = ["ASSETS_ONLY", "SummaryRow", "report_zip", "summary_rows", "write_report"]

ASSETS_ONLY = "(assets)"
_COLUMNS = (
    "id",
    "kind",
    "severity",
    "status",
    "plans",
    "involved",
    "area_m2",
    "length_m",
    "rule",
    "note",
    "decided_by",
    "fingerprint",
)
_KIND_ORDER = {kind: n for n, kind in enumerate(FINDING_KINDS)}


@dataclass
class SummaryRow:
    """Findings of one kind for one plan."""

    plan: str
    kind: str
    count: int = 0
    open: int = 0
    resolved: int = 0
    accepted: int = 0
    area_m2: float = 0.0
    length_m: float = 0.0

    def add(self, finding: tables.Finding) -> None:
        self.count += 1
        setattr(self, finding.status, getattr(self, finding.status) + 1)
        self.area_m2 += finding.area_m2 or 0.0
        self.length_m += finding.length_m or 0.0


def summary_rows(findings) -> list[SummaryRow]:
    """Findings per plan and kind, plans by name, kinds in the checks' order."""
    rows: dict[tuple[str, str], SummaryRow] = {}
    for finding in findings:
        for plan in finding.plans or [ASSETS_ONLY]:
            key = (plan, finding.kind)
            rows.setdefault(key, SummaryRow(plan, finding.kind)).add(finding)
    return sorted(rows.values(), key=lambda r: (r.plan, _KIND_ORDER.get(r.kind, 99)))


def _cell(finding: tables.Finding, column: str):
    value = getattr(finding, column)
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def _write_gpkg(path: Path, findings, geometries) -> None:
    fields = [column for column in _COLUMNS if column != "id"]
    data = []
    for column in fields:
        values = [_cell(f, column) for f in findings]
        if column in ("area_m2", "length_m"):
            data.append(np.array([np.nan if v is None else v for v in values], dtype=float))
        else:
            data.append(np.array(["" if v is None else str(v) for v in values], dtype=object))
    fields = ["finding_id", *fields]
    data.insert(0, np.array([f.id for f in findings], dtype=np.int64))
    pyogrio.raw.write(
        path,
        shapely.to_wkb(geometries),
        data,
        fields,
        layer="conflicts",
        driver="GPKG",
        geometry_type="Unknown",
        crs="EPSG:4326",
    )


def _write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = people_csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


_HTML = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Plan reconciliation, run {{ run.id }}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.3em .6em;text-align:right}td:first-child,td:nth-child(2),
th{text-align:left}</style></head><body>
<h1>Plan reconciliation — run {{ run.id }}</h1>
<p>Started {{ run.started_at.strftime('%Y-%m-%d %H:%M') }}{% if run.started_by %} by
{{ run.started_by }}{% endif %}; checked in {{ run.crs }};
{{ total }} findings{% if run.with_assets %}, {{ run.asset_count or 0 }} assets read{% endif %}.</p>
<h2>Plans</h2><table><tr><th>Plan</th><th>Version</th><th>Level</th><th>Status</th>
<th>Decision</th></tr>
{% for p in plans %}<tr><td>{{ p.name }}</td><td>{{ p.version }}</td><td>{{ p.level }}</td>
<td>{{ p.status }}</td><td>{{ p.decision_number or '' }}
{{ p.decision_date or '' }}</td></tr>{% endfor %}</table>
<h2>Findings per plan and kind</h2><table><tr><th>Plan</th><th>Kind</th><th>Count</th>
<th>Open</th><th>Resolved</th><th>Accepted</th><th>Area (m²)</th><th>Length (m)</th></tr>
{% for r in rows %}<tr><td>{{ r.plan }}</td><td>{{ r.kind }}</td><td>{{ r.count }}</td>
<td>{{ r.open }}</td><td>{{ r.resolved }}</td><td>{{ r.accepted }}</td>
<td>{{ '%.0f' % r.area_m2 }}</td><td>{{ '%.0f' % r.length_m }}</td></tr>{% endfor %}
</table></body></html>
"""
)


def write_report(session: Session, run_id: int, out: Path) -> dict[str, Path]:
    """Write the report of run ``run_id`` into folder ``out``; the files by role."""
    run = run_store.get_run(session, run_id)
    findings = run_store.run_findings(session, run_id)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "gpkg": out / "conflicts.gpkg",
        "csv": out / "conflicts.csv",
        "summary_csv": out / "summary.csv",
        "summary_html": out / "summary.html",
    }
    paths["gpkg"].unlink(missing_ok=True)
    geometries = np.array([run_store.geometry_of(f) for f in findings], dtype=object)
    _write_gpkg(paths["gpkg"], findings, geometries)
    where = shapely.point_on_surface(geometries)
    lonlat = [
        ("", "") if p is None or p.is_empty else (round(p.x, 7), round(p.y, 7)) for p in where
    ]
    _write_csv(
        paths["csv"],
        [*_COLUMNS, "lon", "lat"],
        ([*(_cell(f, c) for c in _COLUMNS), *xy] for f, xy in zip(findings, lonlat, strict=True)),
    )
    rows = summary_rows(findings)
    fields = ("plan", "kind", "count", "open", "resolved", "accepted", "area_m2", "length_m")
    _write_csv(
        paths["summary_csv"],
        fields,
        (
            [round(v, 2) if isinstance(v, float) else v for v in (getattr(r, f) for f in fields)]
            for r in rows
        ),
    )
    plan_rows = [
        store.plan_row(session, i) for i in dict.fromkeys([*run.plan_ids, *run.against_ids])
    ]
    html = _HTML.render(run=run, plans=plan_rows, rows=rows, total=len(findings))
    paths["summary_html"].write_text(html, encoding="utf-8")
    return paths


def report_zip(session: Session, run_id: int) -> bytes:
    """The report of run ``run_id`` as the bytes of one zip archive of its files."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="zoning-report-") as folder:
        paths = write_report(session, run_id, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths.values():
                archive.write(path, path.name)
    return buffer.getvalue()
