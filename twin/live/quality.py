"""Data completeness of each layer and trends from the time-series tables."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import LAYERS
from twin.i18n import N_

from .patterns import LOCAL

__all__ = ["INSPECTION_YEARS", "completeness", "trend"]

#: An inspection is recent when it is younger than this.
INSPECTION_YEARS = 2


def _inspected(ft) -> str:
    names = {a.name for a in ft.attributes}
    recent = f"now() - interval '{INSPECTION_YEARS} years'"
    extra = f"(extra ->> 'last_inspected') ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}' AND (extra ->> 'last_inspected')::date >= {recent}"
    if "last_inspected" in names:
        return f"(last_inspected >= {recent} OR ({extra}))"
    return f"({extra})"


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1)


def completeness(session: Session) -> list[dict]:
    """Per feature type: share with all required attributes, with a recent inspection, both.

    The inspection date is the ``last_inspected`` attribute where the layer
    declares one, otherwise ``extra.last_inspected`` (ISO date).
    """
    out = []
    for lyr in LAYERS:
        if not lyr.asset:
            continue
        for ft in lyr.feature_types:
            required = [a.name for a in ft.attributes if a.required]
            filled = " AND ".join(f"{n} IS NOT NULL" for n in required) or "TRUE"
            row = session.execute(
                text(
                    f"SELECT count(*) AS n, count(*) FILTER (WHERE {filled}) AS filled, "
                    f"count(*) FILTER (WHERE {_inspected(ft)}) AS inspected, "
                    f"count(*) FILTER (WHERE {filled} AND {_inspected(ft)}) AS both_ "
                    f"FROM {lyr.schema}.{ft.table} WHERE status <> 'abandoned'"
                )
            ).one()
            if not row.n:
                continue
            out.append(
                {
                    "layer": lyr.name,
                    "feature_type": ft.table,
                    "assets": row.n,
                    "required_attributes": ", ".join(required) or "-",
                    "attributes_complete_pct": _pct(row.filled, row.n),
                    "recently_inspected_pct": _pct(row.inspected, row.n),
                    "complete_and_inspected_pct": _pct(row.both_, row.n),
                }
            )
    return out


TRENDS = {
    "messages": (N_("Messages per hour by device kind"), "count(*)", None),
    "pressure": (
        N_("Mean network pressure (bar)"),
        "avg((readings ->> 'pressure_bar')::float)",
        "pressure_sensor",
    ),
    "lighting_power": (
        N_("Mean cabinet power (kW)"),
        "avg((readings ->> 'power_w')::float) / 1000",
        "lighting_cabinet",
    ),
    "feeder_current": (
        N_("Mean feeder current (A)"),
        "avg((readings ->> 'current_a')::float)",
        "breaker",
    ),
}


def trend(session: Session, name: str, *, hours: int = 48) -> dict:
    """Hourly series of one trend: ``{"title", "labels", "series": {kind: values}}``.

    Labels are the hours in Vietnam time (UTC+7), as the operators read them.
    """
    title, expr, kind = TRENDS[name]
    where = "ts >= now() - make_interval(hours => :h)" + (" AND kind = :k" if kind else "")
    rows = session.execute(
        text(
            f"SELECT date_trunc('hour', ts) AS hour, kind, {expr} AS v FROM live.reading "
            f"WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        {"h": hours, "k": kind},
    ).all()
    labels = sorted({r.hour for r in rows})
    index = {t: i for i, t in enumerate(labels)}
    series: dict[str, list] = {}
    for r in rows:
        values = series.setdefault(r.kind, [None] * len(labels))
        values[index[r.hour]] = None if r.v is None else round(float(r.v), 3)
    return {
        "title": title,
        "labels": [t.astimezone(LOCAL).isoformat() for t in labels],
        "series": series,
    }
