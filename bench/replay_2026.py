"""Replay of the 2026 daily archive: each issue is checked against the ones imported before it, then imported.

For every daily file in date order this runs ``jianbao check FILE --window 3 --json`` on a temporary store
holding only the earlier issues, then ``jianbao import FILE``; it prints the flagged items per month and
June's precision and recall against the hand labels.

Run: ``python bench/replay_2026.py [--window 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from typer.testing import CliRunner

from jianbao.archive import read_issue_file
from jianbao.cli import app

LABELS = Path(__file__).resolve().parents[1] / "tests" / "resources" / "cluster" / "june2026_repeats.json"


def replay(archive: Path, *, window: int = 3) -> dict:
    runner = CliRunner()
    files = []
    for path in sorted(archive.glob("AI简报*.md")):
        result = read_issue_file(path)
        if result.issue is not None and result.format == "daily":
            files.append((result.issue.date, path, len(result.issue.items)))
    files.sort()
    flagged: dict[str, int] = defaultdict(int)
    items: dict[str, int] = defaultdict(int)
    predicted: set[tuple[str, int, str, int]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'replay.db'}"
        for day, path, count in files:
            checked = runner.invoke(
                app, ["check", str(path), "--window", str(window), "--json", "--store", url]
            )
            if checked.exit_code != 0:
                raise SystemExit(f"check failed on {path}: {checked.output}")
            hits = json.loads(checked.stdout)
            month = day.isoformat()[:7]
            flagged[month] += len(hits)
            items[month] += count
            for hit in hits:
                for e in hit["earlier"]:
                    predicted.add((day.isoformat(), hit["item_index"], e["date"], e["item_index"]))
            imported = runner.invoke(app, ["import", str(path), "--store", url])
            if imported.exit_code != 0:
                raise SystemExit(f"import failed on {path}: {imported.output}")
    gold = {
        (r["date"], r["item_index"], e["date"], e["item_index"])
        for r in json.loads(LABELS.read_text(encoding="utf-8"))
        for e in r["earlier"]
    }
    june = {(a, i) for a, i, _, _ in predicted if a.startswith("2026-06")}
    gold_items = {(a, i) for a, i, _, _ in gold}
    tp = len(june & gold_items)
    return {
        "flagged": dict(flagged),
        "items": dict(items),
        "precision": tp / len(june) if june else 1.0,
        "recall": tp / len(gold_items) if gold_items else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--window", type=int, default=3)
    args = parser.parse_args()
    archive = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive" / "2026"
    r = replay(archive, window=args.window)
    print(f"{'month':<9}{'items':>7}{'flagged':>9}{'1 in':>7}")
    for month in sorted(r["items"]):
        n, f = r["items"][month], r["flagged"][month]
        print(f"{month:<9}{n:>7}{f:>9}{(n / f if f else float('inf')):>7.1f}")
    total, flagged = sum(r["items"].values()), sum(r["flagged"].values())
    print(f"{'2026':<9}{total:>7}{flagged:>9}{total / max(1, flagged):>7.1f}")
    print(
        f"June 2026 vs hand labels (window {args.window}): precision {r['precision']:.3f}  recall {r['recall']:.3f}"
    )


if __name__ == "__main__":
    main()
