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

``--baseline REF`` times the search module as it was at git ``REF`` beside the current one, in the same run
over the same store, and counts the queries whose ranked id lists differ (there should be none).
``--baseline-pragma mmap_size=0`` sets the baseline's SQLite connections as REF's store did.
``--save FILE`` writes each backend's ranked results; ``--compare FILE`` counts the queries whose results
differ from a saved run (a run of an older checkout, whose store schema ``--baseline`` cannot read).
``--classes`` keeps some query classes; ``--db PATH`` keeps the SQLite store in a file and reuses it.

Usage: python bench/bench_search.py [--items 100000] [--pg-url postgresql+psycopg://…] [--no-pg | --no-sqlite]
       [--classes cjk-2,mixed] [--baseline HEAD] [--db /tmp/bench100k.db]
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "bench")]

from bench_store import QUERIES_2, QUERIES_CJK, QUERIES_LATIN, load_archive, replicate
from rich.console import Console
from rich.table import Table
from sqlalchemy import event, text

from _pg import PgCluster, pg_bin_dir
from jianbao.records import Issue
from jianbao.store import Store, open_store
from jianbao.store.search import search

SPEEDUP_GOAL = 50.0  # issue #21: indexed search ≥ 50× faster than the ranked LIKE scan at p95, both backends
PG_P95_GOAL_MS = 20.0  # and PostgreSQL's p95 ≤ 20 ms (at 100k items)
QUERIES_MIXED = ["AI 简报", "GitHub 项目", "3D 人脸", "Python 库", "AI 芯片", "GPT-3 模型", "GAN 网络"]
_LIKE = {"sqlite": "LIKE", "postgresql": "ILIKE"}
_DOC = "(coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(source, ''))"


def scan_sql(dialect: str, *, ranked: bool) -> str:
    """The plain scan: ranked (title hits first, then newest: every row read) or the first 20 hits found."""
    like = _LIKE[dialect]
    order = f" ORDER BY (title {like} :p ESCAPE '\\') DESC, date DESC, id" if ranked else ""
    return f"SELECT id, title FROM search_docs WHERE {_DOC} {like} :p ESCAPE '\\'{order} LIMIT 20"


KINDS = {"cjk-2": QUERIES_2, "cjk-3+": QUERIES_CJK, "latin": QUERIES_LATIN, "mixed": QUERIES_MIXED}


def queries(n: int = 200, *, classes: list[str] | None = None) -> list[tuple[str, str]]:
    """(kind, query) pairs: each kind in equal share, shuffled with a fixed seed; ``classes`` keeps some."""
    pool = [(kind, q) for kind, qs in KINDS.items() for q in (qs * n)[: n // len(KINDS)]]
    random.Random(2026).shuffle(pool)
    return [(kind, q) for kind, q in pool[:n] if classes is None or kind in classes]


def baseline_module(ref: str) -> ModuleType:
    """``jianbao.store.search`` as it was at git ``ref``, loaded beside the current one."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:src/jianbao/store/search.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader(f"_baseline_search_{ref}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    exec(compile(source, f"{ref}:search.py", "exec"), module.__dict__)
    return module


def _pattern(query: str) -> str:
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _timed(
    fns: dict[str, Callable[[str], object]], qs: list[tuple[str, str]]
) -> dict[str, dict[str, list[float]]]:
    """ms per query class for each function, the functions taking turns on each query (a loaded machine
    then slows them alike), in a rotating order."""
    out: dict[str, dict[str, list[float]]] = {name: {} for name in fns}
    names = list(fns)
    for n, (kind, q) in enumerate(qs):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            t0 = time.perf_counter()
            fns[name](q)
            out[name].setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    return out


def _in_order(by_kind: dict[str, list[float]], qs: list[tuple[str, str]]) -> list[float]:
    # The timings of each query again in query order (they are kept per class, in order).
    at = dict.fromkeys(by_kind, 0)
    out = []
    for kind, _ in qs:
        out.append(by_kind[kind][at[kind]])
        at[kind] += 1
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def run(
    name: str,
    url: str,
    issues: list[Issue],
    qs: list[tuple[str, str]],
    *,
    baseline: ModuleType | None = None,
    baseline_pragmas: list[str] = (),  # type: ignore[assignment]
    fresh: bool = False,
) -> dict[str, object]:
    items = sum(len(i.items) for i in issues)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(open_store(url))
        started = time.perf_counter()
        if not store.counts()["search_docs"]:  # a reused --db file is imported once
            for issue in issues:
                store.save_issue(issue)
        import_s = time.perf_counter() - started
        unanalyzed: dict[str, list[float]] = {}
        fresh_ranked: dict[str, list[tuple[object, ...]]] = {}
        if fresh:  # as a bulk import left it before Store.analyze (or autovacuum): no planner statistics
            for _, q in qs[:10]:
                search(store, q)
            unanalyzed = _timed({"fresh": lambda q: search(store, q)}, qs)["fresh"]
            fresh_ranked = {q: _ranked(search(store, q)) for _, q in qs}
        store.analyze()  # what jianbao import and db copy do at the end
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
        fns: dict[str, Callable[[str], object]] = {
            "indexed": lambda q: search(store, q),
            "scanned": ranked,
            "first20": unordered,
        }
        differ: list[str] = []
        if baseline is not None:
            # A store of its own, so the baseline's connections may be set as REF's store set them.
            old = stack.enter_context(open_store(url))
            if baseline_pragmas and old.dialect == "sqlite":
                event.listen(old.engine, "connect", lambda dbapi, _: _pragmas(dbapi, baseline_pragmas))
                old.engine.dispose()  # connections from now on are set so
            fns["before"] = lambda q: baseline.search(old, q)
            for _, q in qs[:10]:
                baseline.search(old, q)
            differ = sorted(
                {q for _, q in qs if _ranked(search(store, q)) != _ranked(baseline.search(old, q))}
            )
        if fresh:
            differ = sorted({q for _, q in qs if _ranked(search(store, q)) != fresh_ranked[q]})
        timed = _timed(fns, qs)
        indexed, scanned, first20 = timed["indexed"], timed["scanned"], timed["first20"]
        before = timed.get("before", unanalyzed)
        per_query = [(kind, q, ms) for (kind, q), ms in zip(qs, _in_order(indexed, qs), strict=True)]
        ranked_results = {q: [list(map(str, hit)) for hit in _ranked(search(store, q))] for _, q in qs}
        hits = sum(len(ranked_results[q]) for _, q in qs)  # per query asked, repeats included
    return {
        "backend": name,
        "before": before,
        "differ": differ,
        "per_query": per_query,
        "items": items,
        "docs": docs,
        "import_s": import_s,
        "indexed": indexed,
        "scanned": scanned,
        "first20": first20,
        "hits": hits,
        "ranked": ranked_results,
    }


def _pragmas(dbapi: Any, pragmas: list[str]) -> None:
    cur = dbapi.cursor()
    for pragma in pragmas:
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _ranked(hits: list[object]) -> list[tuple[object, ...]]:
    # SearchHit has no id: the fields that tell documents apart, in rank order, with the score.
    return [(h.kind, h.issue_id, h.date, h.title, h.url, h.score, h.snippet) for h in hits]  # type: ignore[attr-defined]


def _row(result: dict[str, object], kind: str) -> list[str] | None:
    indexed, scanned, first20 = result["indexed"], result["scanned"], result["first20"]
    before = result["before"]
    assert isinstance(indexed, dict) and isinstance(scanned, dict) and isinstance(first20, dict)
    assert isinstance(before, dict)
    if kind != "all" and kind not in indexed:
        return None
    pick = (lambda d: [v for vs in d.values() for v in vs]) if kind == "all" else (lambda d: d[kind])
    a, b, c = pick(indexed), pick(scanned), pick(first20)
    was = [f"{statistics.median(pick(before)):.1f}", f"{_p95(pick(before)):.1f}"] if before else []
    return [
        str(result["backend"]),
        kind,
        str(len(a)),
        *was,
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
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--classes", help=f"comma-separated query classes to run, of {', '.join(KINDS)}")
    parser.add_argument("--baseline", metavar="REF", help="also time (and compare) search.py at git REF")
    parser.add_argument(
        "--baseline-pragma",
        action="append",
        default=[],
        metavar="PRAGMA",
        help="set on the baseline's SQLite connections, as REF's store did (e.g. mmap_size=0)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="first time search on the fresh import, before Store.analyze (shown as the before columns)",
    )
    parser.add_argument("--db", type=Path, help="SQLite store file, imported once and reused")
    parser.add_argument("--save", type=Path, help="write each backend's ranked results to this JSON file")
    parser.add_argument(
        "--compare", type=Path, help="count the queries whose results differ from a --save file"
    )
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest queries per backend")
    args = parser.parse_args()
    console = Console(width=160)
    shared = Path(os.environ.get("JIANBAO_SHARED", "/work/shared"))
    base = load_archive(shared)
    if not base:
        sys.exit(f"no archive issues found under {shared}/archive (set JIANBAO_SHARED)")
    issues = replicate(base, args.items)
    classes = args.classes.split(",") if args.classes else None
    if classes and (unknown := set(classes) - set(KINDS)):
        sys.exit(f"unknown query classes: {', '.join(sorted(unknown))}")
    qs = queries(classes=classes)
    if args.fresh and args.baseline:
        sys.exit("--fresh and --baseline both fill the before columns: choose one")
    baseline = baseline_module(args.baseline) if args.baseline else None
    console.print(
        f"corpus: {len(base)} archive issues replicated to {len(issues)} issues / "
        f"{sum(len(i.items) for i in issues)} items; {len(qs)} queries"
    )
    results = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or Path(tmp) / "bench.db"
            results.append(
                run(
                    "sqlite",
                    f"sqlite:///{db}",
                    issues,
                    qs,
                    baseline=baseline,
                    baseline_pragmas=args.baseline_pragma,
                    fresh=args.fresh,
                )
            )
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
                results.append(
                    run(
                        "postgresql",
                        cluster.url_for(name),
                        issues,
                        qs,
                        baseline=baseline,
                        baseline_pragmas=args.baseline_pragma,
                        fresh=args.fresh,
                    )
                )
            finally:
                cluster.drop_database(name)
        finally:
            cluster.stop()
    imports = Table("backend", "items", "search docs", "import s", "items/s", f"hits ({len(qs)} queries)")
    for r in results:
        rate = int(r["items"]) / max(float(r["import_s"]), 1e-9)  # type: ignore[arg-type]
        imports.add_row(
            str(r["backend"]),
            str(r["items"]),
            str(r["docs"]),
            f"{r['import_s']:.1f}",
            f"{rate:.0f}",
            str(r["hits"]),
        )
    console.print(imports)
    ref = args.baseline or ("no statistics" if args.fresh else None)
    was = [f"{ref} median ms", f"{ref} p95 ms"] if ref else []
    latency = Table(
        "backend",
        "queries",
        "n",
        *was,
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
        for kind in ("all", *KINDS):
            if (row := _row(r, kind)) is not None:
                latency.add_row(*row)
    console.print(latency)
    for r in results:
        everything = [v for vs in r["indexed"].values() for v in vs]  # type: ignore[attr-defined]
        scans = [v for vs in r["scanned"].values() for v in vs]  # type: ignore[attr-defined]
        p95, speedup = _p95(everything), _p95(scans) / _p95(everything)
        verdict = "PASS" if speedup >= SPEEDUP_GOAL else "FAIL"
        console.print(
            f"{r['backend']}: p95 {p95:.1f} ms against the ranked scan's {_p95(scans):.1f} ms = {speedup:.0f}× "
            f"(goal ≥ {SPEEDUP_GOAL:.0f}× at {r['items']:,} items): {verdict}"
        )
        if r["backend"] == "postgresql":
            console.print(
                f"postgresql: p95 {p95:.1f} ms (goal ≤ {PG_P95_GOAL_MS:.0f} ms): "
                f"{'PASS' if p95 <= PG_P95_GOAL_MS else 'FAIL'}"
            )
    if args.save:
        args.save.write_text(
            json.dumps({str(r["backend"]): r["ranked"] for r in results}, ensure_ascii=False)
        )
    saved = json.loads(args.compare.read_text()) if args.compare else {}
    for r in results:
        if str(r["backend"]) in saved:
            was = saved[str(r["backend"])]
            differ = sorted(q for q, found in r["ranked"].items() if was.get(q) != found)  # type: ignore[attr-defined]
            console.print(
                f"{r['backend']}: {len(differ)} queries whose results differ from {args.compare}: {differ}"
            )
        if ref is not None:
            differ = r["differ"]
            console.print(f"{r['backend']}: {len(differ)} queries whose results differ from {ref}: {differ}")
        if args.slowest:
            timed = [(ms, kind, q) for kind, q, ms in r["per_query"]]  # type: ignore[attr-defined]
            for ms, kind, q in sorted(timed, reverse=True)[: args.slowest]:
                console.print(f"  {r['backend']} {kind:7} {q:20} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
