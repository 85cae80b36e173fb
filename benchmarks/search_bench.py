"""Benchmark of map search and of deep feature pages on the province demo.

(a) Search (``/map/search?q=...``, :func:`twin.search.search`): milliseconds
    per query for the same queries, three ways in the same run: the search
    the twin had before (``translate(lower(x)) LIKE '%q%'`` on every table),
    the new search with its trigram indexes dropped (inside a transaction
    that is rolled back), and the new search with them.  Queries are names,
    addresses and codes drawn from the data with a fixed seed, written
    without accents as people type them, plus a few that find nothing.
(b) Pages of ``/items`` (:func:`twin.api.query.items_page`, the statement
    the API runs): page 1, pages 2 and 500 reached by following ``next``
    links (keyset cursors), against page 500 asked with ``offset``; by id
    and with ``sortby`` (the water pipes).

Data: the province demo in its own home (``var/bench-province``, ``--home``),
loaded on first run.  Run from the repository root::

    .venv/bin/python -m benchmarks.search_bench [--home var/bench-province] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import create_engine, pool, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers import feature_type, feature_types  # noqa: E402
from twin.api.query import items_page, parse_items_query  # noqa: E402
from twin.api.reads import read_engine  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db import migrate  # noqa: E402
from twin.db.engine import database_url  # noqa: E402
from twin.plugins import load_optional  # noqa: E402
from twin.search import fold, indexes_sql, search  # noqa: E402
from twin.search.indexes import ADDRESS_TABLES, searched  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ALL_TABLES = [ft.table for ft in feature_types()]
MISSES = ("khong co dau", "zzz qqq", "WTR-XYZ-9")


def prepare(home: Path) -> str:
    url = database_url(Settings(home=home.resolve()))
    migrate.upgrade(url)
    demo = load_optional("twin.demo.load")
    if demo is None:
        raise SystemExit("the demo generator (twin.demo) is not part of this build")
    demo.load_if_empty(url, scale="province", seed=1, echo=print)
    with create_engine(url, poolclass=pool.NullPool).begin() as conn:
        conn.execute(text("ANALYZE"))
    return url


def queries(session, n: int = 8) -> list[str]:
    """Names, addresses and codes of the data, without accents; then misses."""
    session.execute(text("SELECT setseed(0.42)"))
    picked = []
    for sql in (
        "SELECT name FROM base.base_road WHERE name IS NOT NULL ORDER BY random() LIMIT :n",
        "SELECT name FROM base.base_village ORDER BY random() LIMIT :n",
        f"SELECT address FROM assets.{ADDRESS_TABLES[0]} WHERE address IS NOT NULL "
        "ORDER BY random() LIMIT :n",
        "SELECT code FROM assets.water_pipe ORDER BY random() LIMIT :n",
    ):
        rows = session.execute(text(sql), {"n": n // 2}).scalars().all()
        # the last two words without accents: how a name is typed in a hurry
        picked += [" ".join(fold(r).split()[-2:]) if " " in r else r[:-1] for r in rows]
    return picked + list(MISSES)


def before_search(session, query: str, limit: int = 10) -> int:
    """The search the twin had before: every row folded by translate(), LIKE '%q%'."""
    letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    params = {"q": f"%{fold(query)}%", "f": letters, "t": fold(letters), "limit": limit}
    found = 0
    for schema, table, column in searched():
        if column == "code":
            continue  # codes were found by prefix, as they still are
        sql = (
            f'SELECT 1 FROM {schema}."{table}" '
            f"WHERE translate(lower({column}), :f, :t) LIKE :q LIMIT :limit"
        )
        found += len(session.execute(text(sql), params).all())
    return found


def _ms(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_search(url: str, repeats: int) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with Session(engine) as session:
        qs = queries(session)
        print(
            f"\n(a) search: {len(qs)} queries, ms per query (indexed: median of {repeats} runs; "
            "the others take seconds: one run)"
        )
        rows = []
        for q in qs:
            old = _ms(lambda q=q: before_search(session, q), 1)
            new = _ms(lambda q=q: search(session, q, readable_tables=ALL_TABLES), repeats)
            hits = len(search(session, q, readable_tables=ALL_TABLES))
            rows.append([q, old, None, new, hits])
        session.execute(text(indexes_sql(drop=True)))  # rolled back below
        for row in rows:
            row[2] = _ms(lambda q=row[0]: search(session, q, readable_tables=ALL_TABLES), 1)
        session.rollback()
    engine.dispose()
    print(f"{'query':<28} {'before':>9} {'no index':>9} {'indexed':>9} {'hits':>5}")
    for q, old, bare, new, hits in rows:
        print(f"{q[:28]:<28} {old:>9.1f} {bare:>9.1f} {new:>9.1f} {hits:>5}")
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(
        f"{'total':<28} {totals[0]:>9.1f} {totals[1]:>9.1f} {totals[2]:>9.1f}   "
        f"indexed is {totals[0] / totals[2]:.1f}x faster than before, "
        f"{totals[1] / totals[2]:.1f}x than without the indexes"
    )


def _page_ms(conn, ft, params: dict, repeats: int) -> tuple[float, object]:
    q = parse_items_query(ft, params, personal=True)

    def run():
        return items_page(conn, ft, q, url="http://bench/items", params=params, hide_personal=False)

    page = run()
    return _ms(run, repeats), page


def bench_pages(url: str, repeats: int, *, table: str, limit: int, deep: int) -> None:
    ft = feature_type(table)
    engine = read_engine(url)
    print(f"\n(b) {table}: pages of {limit}, median of {repeats} runs, ms per page")
    with engine.connect() as conn:
        total = conn.execute(text(f"SELECT count(*) FROM assets.{table}")).scalar_one()
        print(f"{total:,} features")
        for sortby in (None, "-diameter_mm"):
            base = {"limit": str(limit), **({"sortby": sortby} if sortby else {})}
            first, page = _page_ms(conn, ft, base, repeats)
            params, second = base, None
            for i in range(deep - 1):  # follow next links to page `deep`
                href = next(lk["href"] for lk in page.links if lk["rel"] == "next")
                params = dict(parse_qsl(urlsplit(href).query))
                page = items_page(
                    conn,
                    ft,
                    parse_items_query(ft, params, personal=True),
                    url="http://bench/items",
                    params=params,
                    hide_personal=False,
                )
                if i == 0:
                    second, _ = _page_ms(conn, ft, params, repeats)
            keyset, _ = _page_ms(conn, ft, params, repeats)
            offset, _ = _page_ms(conn, ft, {**base, "offset": str((deep - 1) * limit)}, repeats)
            print(
                f"sortby={sortby or '(id)':<10} page 1 {first:7.1f}   page 2 by cursor "
                f"{second:7.1f}   page {deep} by cursor "
                f"{keyset:7.1f}   page {deep} by offset {offset:7.1f}"
            )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench-province")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--deep", type=int, default=500)
    args = parser.parse_args(argv)
    url = prepare(args.home)
    bench_search(url, args.repeats)
    bench_pages(url, args.repeats, table="water_pipe", limit=args.limit, deep=args.deep)


if __name__ == "__main__":
    main()
