"""Store benchmark: import throughput and search latency on SQLite and PostgreSQL over the same corpus.

The corpus is the real published archive (parsed with ``jianbao.archive`` from ``$JIANBAO_SHARED`` or
the shared/ folder beside the checkout), replicated with shifted dates and varied titles until it holds ``--items`` items, saved one
issue at a time through ``Store.save_issue`` (the import path). Then 200 mixed CJK/Latin queries run
through ``jianbao.store.search.search``.

Usage: python bench/bench_store.py [--items 100000] [--pg-url postgresql+psycopg://…]
Without --pg-url a throwaway PostgreSQL cluster is started on loopback (tests/_pg.py) and removed after.
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]  # this checkout's jianbao, and the PG test helpers

from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from _pg import PgCluster, pg_bin_dir
from jianbao.archive import read_issue_file
from jianbao.archive.files import find_issue_files
from jianbao.records import Issue
from jianbao.store import open_store
from jianbao.store.search import search

QUERIES_2 = ["开源", "模型", "人脸", "论文", "视频", "语音", "图像", "数据", "芯片", "机器", "谷歌", "微软"]
QUERIES_CJK = [
    "轻量化",
    "自动驾驶",
    "机器学习",
    "强化学习",
    "目标检测",
    "知识图谱",
    "大模型",
    "深度学习",
    "语音识别",
    "超分辨率",
    "生成对抗网络",
    "人工智能",
    "自然语言处理",
    "无人机",
    "换脸",
]
QUERIES_LATIN = [
    "StyleCLIP",
    "DeepFaceLab",
    "Kimi K3",
    "GAN",
    "Transformer",
    "PyTorch",
    "GitHub",
    "OpenAI",
    "BERT",
    "NeRF",
    "diffusion",
    "TensorFlow",
    "GPT-3",
    "arXiv",
    "CVPR",
    "Stable Diffusion",
]


def load_archive(root: Path) -> list[Issue]:
    issues = []
    for path in find_issue_files([root / "archive"]):
        result = read_issue_file(path)
        if result.issue is not None:
            issues.append(result.issue)
    return issues


def replicate(base: list[Issue], items: int) -> list[Issue]:
    """Copies of the archive, each shifted by whole years with a replica tag in every title, up to ``items``."""
    out: list[Issue] = []
    total = 0
    replica = 0
    span = max(i.date for i in base) - min(i.date for i in base) + dt.timedelta(days=1)
    while total < items:
        for issue in base:
            clone = copy.deepcopy(issue)
            clone.date = issue.date + dt.timedelta(days=span.days * replica)
            clone.state = "published"
            for section in clone.sections:
                keep = section.items[: items - total]
                section.items = [
                    dataclasses.replace(it, title=f"{it.title}（{replica}）" if replica else it.title)
                    for it in keep
                ]
                total += len(keep)
            if any(s.items for s in clone.sections):
                out.append(clone)
            if total >= items:
                break
        replica += 1
    return out


def queries(n: int = 200) -> list[str]:
    rng = random.Random(2026)
    pool = QUERIES_2 * 4 + QUERIES_CJK * 4 + QUERIES_LATIN * 4
    rng.shuffle(pool)
    return (pool * (n // len(pool) + 1))[:n]


def run(name: str, url: str, issues: list[Issue], qs: list[str]) -> dict[str, float | int | str]:
    items = sum(len(i.items) for i in issues)
    with open_store(url) as store:
        started = time.perf_counter()
        for issue in issues:
            store.save_issue(issue)
        import_s = time.perf_counter() - started
        with store.begin() as conn:  # fresh statistics, as autovacuum would give a real server
            conn.execute(text("ANALYZE") if store.dialect == "postgresql" else text("PRAGMA optimize"))
        for q in qs[:10]:  # warm caches
            search(store, q)
        latencies = []
        hits = 0
        for q in qs:
            t0 = time.perf_counter()
            hits += len(search(store, q))
            latencies.append((time.perf_counter() - t0) * 1000)
        counts = store.counts()
    latencies.sort()
    return {
        "backend": name,
        "items": items,
        "docs": counts["search_docs"],
        "import_s": import_s,
        "rate": items / import_s,
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "hits": hits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pg-url", default=os.environ.get("JIANBAO_TEST_PG_URL"))
    args = parser.parse_args()
    console = Console(width=120)
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    base = load_archive(shared)
    if not base:
        sys.exit(f"no archive issues found under {shared}/archive (set JIANBAO_SHARED)")
    issues = replicate(base, args.items)
    qs = queries()
    console.print(
        f"corpus: {len(base)} archive issues ({sum(len(i.items) for i in base)} items) replicated to "
        f"{len(issues)} issues / {sum(len(i.items) for i in issues)} items; {len(qs)} queries"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("sqlite", f"sqlite:///{tmp}/bench.db", issues, qs))
        console.print(f"sqlite done in {results[-1]['import_s']:.0f}s")
    cluster = PgCluster.external(args.pg_url) if args.pg_url else None
    if cluster is None:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            console.print("no PostgreSQL binaries: PostgreSQL row skipped")
        else:
            cluster = PgCluster.start(bin_dir)
    if cluster is not None:
        try:
            name = cluster.create_database(template=None)
            try:
                results.append(run("postgresql", cluster.url_for(name), issues, qs))
            finally:
                cluster.drop_database(name)
        finally:
            cluster.stop()
    table = Table(
        "backend", "items", "search docs", "import s", "items/s", "search median ms", "p95 ms", "hits"
    )
    for r in results:
        table.add_row(
            str(r["backend"]),
            str(r["items"]),
            str(r["docs"]),
            f"{r['import_s']:.1f}",
            f"{r['rate']:.0f}",
            f"{r['median']:.1f}",
            f"{r['p95']:.1f}",
            str(r["hits"]),
        )
    console.print(table)


if __name__ == "__main__":
    main()
