"""Benchmark ``build_site`` over the whole imported archive against rendering the issues' Markdown alone.

Run: PYTHONPATH=src python bench/bench_site.py [--rounds 3]
Reads the real archive from $JIANBAO_SHARED (default: the folder shared/ beside the checkout). Goal (issue #21:
what readers see is built in ≤ 1 s): the full site in ≤ 1 s, printed beside rendering the Markdown alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jinja2

from jianbao.archive import read_issue_file
from jianbao.archive.files import find_issue_files
from jianbao.archive.site import build_site
from jianbao.config import Config
from jianbao.render import get_renderer
from jianbao.store import open_store

TARGET_S = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs of each measurement")
    args = parser.parse_args()
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive"
    if not shared.is_dir():
        print(f"shared archive not found at {shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'archive.db'}")
        for path in find_issue_files([shared]):
            result = read_issue_file(path)
            if result.issue is not None:
                result.issue.state = "published"
                store.save_issue(result.issue, markdown=path.read_bytes().decode("utf-8", errors="replace"))
        issues = [store.get_issue(row["id"])[0] for row in store.list_issues()]
        render = get_renderer("markdown").render
        config = Config()

        markdown_times, failed = [], 0
        for _ in range(args.rounds):
            started = time.perf_counter()
            failed = 0
            for issue in issues:
                try:
                    render(issue)
                except (ValueError, jinja2.UndefinedError):  # an imported weekly without a full 导读
                    failed += 1
            markdown_times.append(time.perf_counter() - started)

        cold_times, warm_times = [], []
        report = None
        for round_ in range(args.rounds):
            out = Path(tmp) / f"site{round_}"
            started = time.perf_counter()
            report = build_site(store, out, config=config)
            cold_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            build_site(store, out, config=config)  # unchanged files are compared, not rewritten
            warm_times.append(time.perf_counter() - started)
            shutil.rmtree(out)
        store.close()

    assert report is not None
    markdown_s, cold_s, warm_s = min(markdown_times), min(cold_times), min(warm_times)
    print(
        f"archive: {len(issues)} issues, {report.items} items; site: {report.pages} pages, {len(report.files)} files"
    )
    print(
        f"{'render Markdown of every issue':<36} {markdown_s * 1000:8.0f} ms"
        + (f"  ({failed} not renderable)" if failed else "")
    )
    print(f"{'build_site, empty folder':<36} {cold_s * 1000:8.0f} ms  ratio {cold_s / markdown_s:5.1f}x")
    print(f"{'build_site, rebuild unchanged':<36} {warm_s * 1000:8.0f} ms  ratio {warm_s / markdown_s:5.1f}x")
    ok = cold_s <= TARGET_S
    print(f"goal: full site in ≤ {TARGET_S:.0f} s -> {'PASS' if ok else 'FAIL'} (best of {args.rounds})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
