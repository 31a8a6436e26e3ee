"""Search benchmark: import throughput, then indexed search beside a plain LIKE scan, SQLite and PostgreSQL.

The corpus is bench_store's: the real archive replicated to ``--items`` items, saved issue by issue through
``Store.save_issue``. 200 mixed queries (two-character CJK, longer CJK, Latin, mixed CJK/Latin) run through
``jianbao.store.search.search`` and through a plain ``LIKE '%q%'`` scan of the same rows (ILIKE on PostgreSQL,
for the same case-insensitivity), 20 rows each. The scan that answers the same question ranks: title hits
first, then newest, so it reads every row as any unindexed search must; the speed-up is measured against it.
An unordered ``LIMIT 20`` scan, which stops at the first 20 hits of a frequent term, is shown beside it
for honesty but is not the same work. On PostgreSQL the scan's text expression is the one the trigram
index covers, so index scans are switched off for it (``SET LOCAL``): a plain scan. Reported: median and
p95 per backend and query class, and the speed-up over the ranked scan.

Usage: python bench/bench_search.py [--items 100000] [--pg-url postgresql+psycopg://…]
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "bench")]

from bench_store import QUERIES_2, QUERIES_CJK, QUERIES_LATIN, load_archive, replicate
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from _pg import PgCluster, pg_bin_dir
from jianbao.records import Issue
from jianbao.store import Store, open_store
from jianbao.store.search import search

QUERIES_MIXED = ["AI 简报", "GitHub 项目", "3D 人脸", "Python 库", "AI 芯片", "GPT-3 模型", "GAN 网络"]
_LIKE = {"sqlite": "LIKE", "postgresql": "ILIKE"}
_DOC = "(coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(source, ''))"


def scan_sql(dialect: str, *, ranked: bool) -> str:
    """The plain scan: ranked (title hits first, then newest: every row read) or the first 20 hits found."""
    like = _LIKE[dialect]
    order = f" ORDER BY (title {like} :p ESCAPE '\\') DESC, date DESC, id" if ranked else ""
    return f"SELECT id, title FROM search_docs WHERE {_DOC} {like} :p ESCAPE '\\'{order} LIMIT 20"


def queries(n: int = 200) -> list[tuple[str, str]]:
    """(kind, query) pairs: each kind in equal share, shuffled with a fixed seed."""
    kinds = {"cjk-2": QUERIES_2, "cjk-3+": QUERIES_CJK, "latin": QUERIES_LATIN, "mixed": QUERIES_MIXED}
    pool = [(kind, q) for kind, qs in kinds.items() for q in (qs * n)[: n // len(kinds)]]
    random.Random(2026).shuffle(pool)
    return pool[:n]


def _pattern(query: str) -> str:
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _timed(fn: object, qs: list[tuple[str, str]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for kind, q in qs:
        t0 = time.perf_counter()
        fn(q)  # type: ignore[operator]
        out.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def run(name: str, url: str, issues: list[Issue], qs: list[tuple[str, str]]) -> dict[str, object]:
    items = sum(len(i.items) for i in issues)
    with open_store(url) as store:
        started = time.perf_counter()
        for issue in issues:
            store.save_issue(issue)
        import_s = time.perf_counter() - started
        with store.begin() as conn:  # fresh statistics, as autovacuum would give a real server
            conn.execute(text("ANALYZE") if store.dialect == "postgresql" else text("PRAGMA optimize"))
        docs = store.counts()["search_docs"]

        def scanner(sql: str, s: Store = store) -> Callable[[str], None]:
            def scan(q: str) -> None:
                with s.engine.connect() as conn:
                    if s.dialect == "postgresql":  # the same expression as the trigram index: keep it a scan
                        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
                        conn.execute(text("SET LOCAL enable_indexscan = off"))
                    conn.execute(text(sql), {"p": _pattern(q)}).all()

            return scan

        ranked = scanner(scan_sql(store.dialect, ranked=True))
        unordered = scanner(scan_sql(store.dialect, ranked=False))
        for _, q in qs[:10]:  # warm caches
            search(store, q)
            ranked(q)
            unordered(q)
        indexed = _timed(lambda q: search(store, q), qs)
        scanned = _timed(ranked, qs)
        first20 = _timed(unordered, qs)
        hits = sum(len(search(store, q)) for _, q in qs)
    return {
        "backend": name,
        "items": items,
        "docs": docs,
        "import_s": import_s,
        "indexed": indexed,
        "scanned": scanned,
        "first20": first20,
        "hits": hits,
    }


def _row(result: dict[str, object], kind: str) -> list[str]:
    indexed, scanned, first20 = result["indexed"], result["scanned"], result["first20"]
    assert isinstance(indexed, dict) and isinstance(scanned, dict) and isinstance(first20, dict)
    pick = (lambda d: [v for vs in d.values() for v in vs]) if kind == "all" else (lambda d: d[kind])
    a, b, c = pick(indexed), pick(scanned), pick(first20)
    return [
        str(result["backend"]),
        kind,
        str(len(a)),
        f"{statistics.median(a):.1f}",
        f"{_p95(a):.1f}",
        f"{statistics.median(b):.1f}",
        f"{_p95(b):.1f}",
        f"{statistics.median(b) / statistics.median(a):.0f}×",
        f"{_p95(b) / _p95(a):.0f}×",
        f"{statistics.median(c):.1f}",
        f"{_p95(c):.1f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pg-url", default=os.environ.get("JIANBAO_TEST_PG_URL"))
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    console = Console(width=140)
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    base = load_archive(shared)
    if not base:
        sys.exit(f"no archive issues found under {shared}/archive (set JIANBAO_SHARED)")
    issues = replicate(base, args.items)
    qs = queries()
    console.print(
        f"corpus: {len(base)} archive issues replicated to {len(issues)} issues / "
        f"{sum(len(i.items) for i in issues)} items; {len(qs)} queries"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("sqlite", f"sqlite:///{tmp}/bench.db", issues, qs))
        console.print(f"sqlite done: import {results[-1]['import_s']:.0f}s")
    cluster = None
    if not args.no_pg:
        cluster = PgCluster.external(args.pg_url) if args.pg_url else None
        if cluster is None and (bin_dir := pg_bin_dir()) is not None:
            cluster = PgCluster.start(bin_dir)
        if cluster is None:
            console.print("no PostgreSQL binaries: PostgreSQL row skipped")
    if cluster is not None:
        try:
            name = cluster.create_database(template=None)
            try:
                results.append(run("postgresql", cluster.url_for(name), issues, qs))
            finally:
                cluster.drop_database(name)
        finally:
            cluster.stop()
    imports = Table("backend", "items", "search docs", "import s", "items/s", "hits (200 queries)")
    for r in results:
        rate = int(r["items"]) / float(r["import_s"])  # type: ignore[arg-type]
        imports.add_row(
            str(r["backend"]),
            str(r["items"]),
            str(r["docs"]),
            f"{r['import_s']:.1f}",
            f"{rate:.0f}",
            str(r["hits"]),
        )
    console.print(imports)
    latency = Table(
        "backend",
        "queries",
        "n",
        "search median ms",
        "p95 ms",
        "ranked scan median ms",
        "p95 ms",
        "speed-up median",
        "speed-up p95",
        "unordered LIMIT-20 scan median ms",
        "p95 ms",
    )
    for r in results:
        for kind in ("all", "cjk-2", "cjk-3+", "latin", "mixed"):
            latency.add_row(*_row(r, kind))
    console.print(latency)


if __name__ == "__main__":
    main()
