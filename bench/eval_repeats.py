"""Precision and recall of ``find_repeats`` on the hand-labelled June 2026 daily issues.

Run: ``python bench/eval_repeats.py [--window 3] [--verbose]``. Issues are read with the
archive importer (``jianbao.archive.read_issue_file``); item indexes are positions in its ``items``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jianbao.archive import read_issue_file
from jianbao.stories.history import RepeatCandidate, find_repeats

LABELS = Path(__file__).resolve().parents[1] / "tests" / "resources" / "cluster" / "june2026_repeats.json"


def candidate(item: dict) -> RepeatCandidate:
    """A daily item of the importer's ``data["items"]`` as ``find_repeats`` compares it."""
    return RepeatCandidate(
        title=item.get("title") or "",
        text=item.get("text") or "",
        urls=list(item.get("urls") or []),
        entity=item.get("entity") or "",
    )


def read_archive(folder: Path) -> list[tuple[dt.date, list[dict]]]:
    """Every daily issue of a folder as (date, importer items), in date order."""
    issues = []
    for path in sorted(folder.glob("AI简报*.md")):
        result = read_issue_file(path)
        if result.skipped or result.format != "daily" or not result.data.get("items"):
            continue
        issues.append((dt.date.fromisoformat(result.data["date"]), result.data["items"]))
    return sorted(issues, key=lambda x: x[0])


def load_labels(path: Path = LABELS) -> set[tuple[str, int, str, int]]:
    return {
        (row["date"], row["item_index"], e["date"], e["item_index"])
        for row in json.loads(path.read_text(encoding="utf-8"))
        for e in row["earlier"]
    }


def evaluate(archive: Path, *, window: int = 3, month: str = "2026-06") -> dict:
    """Predicted vs labelled (item → earlier item) pairs for one month, plus the flag count over the year."""
    issues = read_archive(archive)
    predicted: set[tuple[str, int, str, int]] = set()
    flagged: dict[str, int] = {}
    total_items = 0
    for k, (day, items) in enumerate(issues):
        earlier = [(d, [candidate(x) for x in its]) for d, its in issues[max(0, k - window) : k]]
        hits = find_repeats([candidate(x) for x in items], earlier)
        total_items += len(items)
        flagged[day.isoformat()] = len(hits)
        if day.isoformat().startswith(month):
            for i, refs in hits:
                for d, j in refs:
                    predicted.add((day.isoformat(), i, d.isoformat(), j))
    gold = load_labels()
    pred_items = {(a, b) for a, b, _, _ in predicted}
    gold_items = {(a, b) for a, b, _, _ in gold}
    tp = len(pred_items & gold_items)
    return {
        "precision": tp / len(pred_items) if pred_items else 1.0,
        "recall": tp / len(gold_items) if gold_items else 1.0,
        "pair_precision": len(predicted & gold) / len(predicted) if predicted else 1.0,
        "pair_recall": len(predicted & gold) / len(gold) if gold else 1.0,
        "flagged": sum(flagged.values()),
        "flagged_by_day": flagged,
        "items": total_items,
        "false_positives": sorted(predicted - gold),
        "false_negatives": sorted(gold - predicted),
        "issues": issues,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    archive = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive" / "2026"
    r = evaluate(archive, window=args.window)
    print(f"June 2026, window {args.window}: item precision {r['precision']:.3f}  recall {r['recall']:.3f}")
    print(f"  (pair precision {r['pair_precision']:.3f}  pair recall {r['pair_recall']:.3f})")
    print(
        f"2026: {r['flagged']} of {r['items']} items flagged as repeats (1 in {r['items'] / max(1, r['flagged']):.1f})"
    )
    if args.verbose:
        by_day = {d.isoformat(): its for d, its in r["issues"]}
        for label, rows in (("FP", r["false_positives"]), ("FN", r["false_negatives"])):
            for a, i, b, j in rows:
                print(
                    f"{label} {a}#{i} {by_day[a][i]['title'][:60]!r} <- {b}#{j} {by_day[b][j]['title'][:60]!r}"
                )


if __name__ == "__main__":
    main()
