"""Replay of the 2026 daily archive, two ways.

``python bench/replay_2026.py check [--window 3]``: each daily file is checked (``jianbao check FILE --json``)
against the ones imported before it, then imported; prints the flagged items per month and the June
precision and recall against the hand labels.

``python bench/replay_2026.py build [--from 2026-07-22] [--to 2026-08-22] [--embed local|none]``: a month
of dailies **built by jianbao** from the archive's own items. For each archive day in order, that day's
items become entries (headline, text, the item's links; one entry per item, published that morning), the
daily is built (``issue.build``: clustering, history, selection, composition) and published, and the
next day is built against what jianbao itself published. Then, for every labelled repeat
(``all2026_repeats.json``) whose earlier item jianbao had published, the later item must be left out or
printed as 「更新」 naming an earlier issue it ran in (``（已在 8/20 早报报道）``); every 「更新」 line of
the built Markdown must carry that pointer. It prints the month's figures and every violation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from typer.testing import CliRunner

from jianbao.archive import read_issue_file
from jianbao.cli import app

RESOURCES = Path(__file__).resolve().parents[1] / "tests" / "resources" / "cluster"
LABELS = RESOURCES / "june2026_repeats.json"
ALL_LABELS = RESOURCES / "all2026_repeats.json"
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
REPLAY_URL = "https://replay.example/{day}/{index}"


def replay(archive: Path, *, window: int = 3) -> dict:
    """The ``check`` replay: flagged items per month and June precision/recall."""
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
            hits = [h for h in json.loads(checked.stdout) if h.get("kind", "item") == "item"]
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


# ------------------------------------------------------------------------------------------------ build


def _entries(day: dt.date, items: list[dict]) -> list:
    """The archive items of one day as entries: one each, its own URL, the item's links as links."""
    from jianbao.records import Entry, Link
    from jianbao.stories.embed import split_report
    from jianbao.stories.text import is_zh
    from jianbao.urls import link_key, link_kind

    out = []
    for i, item in enumerate(items):
        headline, body = split_report(item.get("title") or "", item.get("text") or "")
        url = REPLAY_URL.format(day=day.isoformat(), index=i)
        links = [Link(url=u, kind=link_kind(u), key=link_key(u)) for u in item.get("urls") or []]
        region = "china" if item.get("section") == "中文圈" else "world"
        out.append(
            Entry(
                source=f"replay-{region}",
                url=url,
                canonical_url=url,
                title=headline,
                summary=body,
                published=dt.datetime.combine(day, dt.time(9, i % 60), tzinfo=CHINA),
                language="zh" if is_zh(f"{headline} {body}") else "en",
                links=links,
            )
        )
    return out


def build_month(archive: Path, start: dt.date, end: dt.date, *, embed: str) -> dict:
    """Build and publish the dailies of [start, end] from the archive's items; check them against the labels."""
    from eval_repeats import read_dailies

    from jianbao.config import Config
    from jianbao.issue.build import build
    from jianbao.records import Source
    from jianbao.store import open_store

    os.environ["JIANBAO_EMBED"] = embed
    dailies = [(d, items) for d, items, _ in read_dailies(archive) if start <= d <= end]
    config = Config()
    built: dict[str, dict[tuple[str, int], dict]] = {}  # day → archive item → how jianbao printed it
    markdown: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{Path(tmp) / 'replay.db'}") as store:
        store.sync_sources(
            [
                Source(name="replay-world", url="replay:world", title="Archive", region="国际"),
                Source(name="replay-china", url="replay:china", title="存档", region="中文圈"),
            ]
        )
        for day, items in dailies:
            store.upsert_entries(_entries(day, items))
            result = build(store, config, day, "daily")
            issue = result.issue
            issue.state = "published"
            text = store.get_markdown(issue.id) or ""
            store.save_issue(issue, markdown=text)
            markdown[day.isoformat()] = text
            shown: dict[tuple[str, int], dict] = {}
            for pick in result.picks:
                if pick.item is None:
                    continue
                for entry in pick.story.entries:
                    m = re.fullmatch(r"https://replay\.example/([\d-]+)/(\d+)", entry.url)
                    if m:
                        shown[(m.group(1), int(m.group(2)))] = {
                            "update": pick.item.is_update,
                            "update_of": pick.item.update_of,
                            "published_in": list(pick.story.published_in),
                            "decided_by": pick.story.decided_by,
                        }
            built[day.isoformat()] = shown
            # stories gather marked as published (left out) are in result.stories
            for story in result.stories:
                if story.state == "published":
                    for entry in story.entries:
                        m = re.fullmatch(r"https://replay\.example/([\d-]+)/(\d+)", entry.url)
                        if m and m.group(1) == day.isoformat():
                            shown.setdefault(
                                (m.group(1), int(m.group(2))),
                                {
                                    "left_out": True,
                                    "published_in": list(story.published_in),
                                    "decided_by": story.decided_by,
                                },
                            )
    return _judge(built, markdown, {d.isoformat() for d, _ in dailies})


def _judge(built: dict[str, dict[tuple[str, int], dict]], markdown: dict[str, str], days: set[str]) -> dict:
    labels = [r for r in json.loads(ALL_LABELS.read_text(encoding="utf-8")) if r.get("kind") == "item"]
    out: dict = {"labelled": 0, "applicable": 0, "left_out": 0, "marked": 0, "unmarked": [], "no_pointer": []}
    out["not_shown"] = 0
    for row in labels:
        day = row["date"]
        if day not in days:
            continue
        out["labelled"] += 1
        earlier_published = [
            e for e in row["earlier"] if e["date"] in built and (e["date"], e["item_index"]) in built[e["date"]]
            and not built[e["date"]][(e["date"], e["item_index"])].get("left_out")
        ]
        if not earlier_published:
            continue  # jianbao never printed the earlier item: this one is news to its readers
        out["applicable"] += 1
        mine = built[day].get((day, row["item_index"]))
        if mine is None:
            out["not_shown"] += 1  # not selected (quota) or merged into another item
        elif mine.get("left_out"):
            out["left_out"] += 1
        elif mine["update"] and mine["update_of"]:
            out["marked"] += 1
        else:
            out["unmarked"].append((day, row["item_index"], row["title"], earlier_published[0]["date"]))
    pointer = re.compile(r"（已在 \d{1,2}/\d{1,2} 早报报道）")
    for day, text in markdown.items():
        for line in text.splitlines():
            if "「更新」" in line:
                out.setdefault("updates", 0)
                out["updates"] += 1
                if not pointer.search(line):
                    out["no_pointer"].append((day, line[:80]))
    repeats = {(r["date"], r["item_index"]) for r in labels}
    # the labels know only the 3 issues before each one: a match further back is neither right nor wrong
    order = sorted(built)

    def in_window(day: str, where: list[str]) -> bool:
        k = order.index(day)
        window = set(order[max(0, k - 3) : k])
        return any(w.split(":", 1)[-1] in window for w in where)

    out["outside_window"] = sorted(
        (*k, v["published_in"], v.get("decided_by", ""))
        for d in built.values()
        for k, v in d.items()
        if (v.get("left_out") or v.get("update")) and k not in repeats and not in_window(k[0], v["published_in"])
    )
    out["wrongly_left_out"] = sorted(
        (*k, v["published_in"], v.get("decided_by", ""))
        for d in built.values()
        for k, v in d.items()
        if v.get("left_out") and k not in repeats and in_window(k[0], v["published_in"])
    )
    out["wrongly_updated"] = sorted(
        (*k, v["published_in"], v.get("decided_by", ""))
        for d in built.values()
        for k, v in d.items()
        if v.get("update") and k not in repeats and in_window(k[0], v["published_in"])
    )
    out["left_out_total"] = sum(1 for d in built.values() for v in d.values() if v.get("left_out"))
    out["shown"] = sum(1 for d in built.values() for v in d.values() if not v.get("left_out"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=["check", "build"], default="check")
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--from", dest="start", default="2026-07-22")
    parser.add_argument("--to", dest="end", default="2026-08-22")
    parser.add_argument("--embed", default="local", choices=["local", "none"])
    args = parser.parse_args()
    archive = (
        Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive" / "2026"
    )
    if args.mode == "build":
        r = build_month(
            archive, dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end), embed=args.embed
        )
        print(f"dailies built {args.start} … {args.end} (embeddings: {args.embed})")
        print(f"  items printed {r['shown']}, stories left out as already published {r['left_out_total']}")
        print(
            f"  labelled repeats {r['labelled']}, whose earlier item jianbao printed {r['applicable']}: "
            f"left out {r['left_out']}, printed as 「更新」 {r['marked']}, not selected {r['not_shown']}, "
            f"unmarked {len(r['unmarked'])}"
        )
        print(f"  「更新」 lines {r.get('updates', 0)}, without a pointer to their earlier issue {len(r['no_pointer'])}")
        print(
            f"  not labelled repeats, yet left out after an issue of the window {len(r['wrongly_left_out'])},"
            f" printed as 「更新」 "
            f"{len(r['wrongly_updated'])}"
        )
        print(
            f"  marked (left out or 「更新」) after an issue older than the labels' 3-issue window "
            f"{len(r['outside_window'])}: the labels cannot say"
        )
        for day, i, where, by in r["outside_window"]:
            print(f"  OUTSIDE THE WINDOW {day}#{i} (matched {', '.join(where)} by {by})")
        for day, i, where, by in r["wrongly_left_out"]:
            print(f"  WRONGLY LEFT OUT {day}#{i} (matched {', '.join(where)} by {by})")
        for day, i, where, by in r["wrongly_updated"]:
            print(f"  WRONGLY 更新 {day}#{i} (matched {', '.join(where)} by {by})")
        for day, i, title, earlier in r["unmarked"]:
            print(f"  UNMARKED {day}#{i} {title[:50]!r} (ran {earlier})")
        for day, line in r["no_pointer"]:
            print(f"  NO POINTER {day} {line}")
        return
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
