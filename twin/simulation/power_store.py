"""The database side of power load flows: the power layer read as plain rows, runs written.

Rows are those of :func:`twin.simulation.store.layer_rows` with ``xy``
(lon/lat) in place of ``lon`` and ``lat``.  Results are written with COPY,
one row per bus, line and transformer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .store import _cursor, _dict_rows, layer_rows

__all__ = ["power_features", "power_results", "power_run_row", "power_runs", "save_power_run"]

_RUN_COLUMNS = "id, feeder, data_version, inputs, summary, created_by, created_at"


def power_features(conn) -> dict[str, list[dict]]:
    """Rows of every power table in the network (see the module docstring)."""
    out = layer_rows(conn, "power")
    for rows in out.values():
        for r in rows:
            r["xy"] = (r.pop("lon"), r.pop("lat"))
    return out


def save_power_run(conn, run: Mapping, rows: Iterable[tuple]) -> int:
    """Insert the run (``feeder``, ``data_version``, ``inputs``, ``summary``,
    ``created_by``) and its result ``rows`` (kind, code, feeder, vm_pu,
    loading_percent, p_kw, losses_kw); the run id."""
    from psycopg.types.json import Jsonb

    keys = ("feeder", "data_version", "inputs", "summary", "created_by")
    values = [Jsonb(run[k]) if k in ("inputs", "summary") else run[k] for k in keys]
    with _cursor(conn) as cur:
        cur.execute(
            f"INSERT INTO simulation.power_run ({', '.join(keys)}) "
            f"VALUES ({', '.join(['%s'] * len(keys))}) RETURNING id",
            values,
        )
        run_id = cur.fetchone()[0]
        with cur.copy(
            "COPY simulation.power_result (run_id, kind, code, feeder, vm_pu, loading_percent, "
            "p_kw, losses_kw) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row((run_id, *row))
    return run_id


def power_run_row(conn, run_id: int) -> dict | None:
    """The power run ``run_id`` as a dict, or None."""
    found = _dict_rows(
        conn, f"SELECT {_RUN_COLUMNS} FROM simulation.power_run WHERE id = %s", (run_id,)
    )
    return found[0] if found else None


def power_runs(conn, limit: int = 20) -> list[dict]:
    """The latest power runs, newest first."""
    return _dict_rows(
        conn, f"SELECT {_RUN_COLUMNS} FROM simulation.power_run ORDER BY id DESC LIMIT %s",
        (limit,),
    )


def power_results(conn, run_id: int) -> dict[str, dict[str, dict]]:
    """``{"buses": {code: {...}}, "lines": {...}, "transformers": {...}}`` of a run."""
    with _cursor(conn) as cur:
        cur.execute(
            "SELECT kind, code, feeder, vm_pu, loading_percent, p_kw, losses_kw "
            "FROM simulation.power_result WHERE run_id = %s ORDER BY kind, code",
            (run_id,),
        )
        found = cur.fetchall()
    out: dict[str, dict[str, dict]] = {"buses": {}, "lines": {}, "transformers": {}}
    for kind, code, feeder, vm, loading, p, losses in found:
        if kind == "bus":
            out["buses"][code] = {"feeder": feeder, "vm_pu": vm}
        else:
            out[kind + "s"][code] = {"feeder": feeder, "loading_percent": loading,
                                     "p_kw": p, "losses_kw": losses}
    return out
