"""Commands about stories: what the period's entries cluster into, and which items of an issue repeat history."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened, parse_date
from jianbao.cli.build import edition_option
from jianbao.errors import JianbaoError

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.issue.repeats import Repeat


def _days(value: str) -> int:
    """'3d', '2w' or a bare number of days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value)
    if not m or int(m.group(1)) < 1:
        raise JianbaoError(f"not a period: {value!r}", hint="e.g. --since 3d or --since 2w")
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


def _story_row(story: Any) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "size": len(story.entries),
        "sources": story.sources,
        "state": story.state,
        "published_in": story.published_in,
        "new_facts": story.new_facts,
        "decided_by": story.decided_by or None,
        "keys": story.keys,
        "score": round(story.score, 4),
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
        "entries": [{"title": e.title, "url": e.url, "source": e.source} for e in story.entries],
    }


def stories(
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Window ending on --date, e.g. 3d or 2w (default: the format's window)."
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="Issue date, YYYY-MM-DD (default: today).")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="weekly or daily: which window and history apply.")
    ] = "weekly",
    json_out: Annotated[bool, typer.Option("--json", help="Print the stories as JSON.")] = False,
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster",
            help="Drop the story index ingest keeps and cluster from scratch (same stories; the index is refilled).",
        ),
    ] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List the stories of the period: cluster size, member sources, and new / published / update with why.

    A story is ``published`` when an issue within the history window already carried it (the issue is
    named, with the signal that decided: key, lexical, semantic, entities, numbers or llm) and an
    ``update`` when it repeats one but brings new facts (listed).

    Stories are clustered from the story index ingest keeps (each entry's signature); ``--recluster`` drops
    it first, so every signature is computed again (and kept), as a full re-cluster.

    Example: jianbao stories --since 3d --format daily
    """
    from jianbao.issue.gather import gather_stories, latest_hint  # lazy: --help loads no stage
    from jianbao.stories.index import drop_index  # lazy: --help loads no stage

    edition = edition_option(fmt)
    day = parse_date(date)
    cfg = load(config)
    days = _days(since) if since is not None else None
    with opened(cfg, store) as st:
        if recluster:
            dropped = drop_index(st)
            if not json_out:
                console.print(f"story index dropped ({dropped} signatures): clustering from scratch")
        found = gather_stories(st, config=cfg, day=day, edition=edition, window_days=days)
        hint = latest_hint(st) if not found else ""
    found.sort(key=lambda s: (-len(s.entries), -s.score, s.id))
    rows = [_story_row(s) for s in found]
    if json_out:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if not rows:
        console.print(f"no entries in the {fmt} window ending {day}; {hint}")
        return
    table = Table(show_lines=False)
    for column in ("size", "state", "title", "sources", "why"):
        table.add_column(column)
    for r in rows:
        why = ", ".join(r["published_in"]) + f" [{r['decided_by']}]" if r["state"] != "new" else ""
        if r["new_facts"]:
            why += " · new: " + "; ".join(r["new_facts"][:4])
        table.add_row(str(r["size"]), r["state"], r["title"][:70], ", ".join(r["sources"][:4]), why)
    console.print(table)
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in ("new", "published", "update")}
    console.print(
        f"{len(rows)} stories: {counts['new']} new, {counts['published']} published, {counts['update']} updates"
    )


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _decision(r: Repeat) -> dict[str, Any]:
    out: dict[str, Any] = {
        "date": r.earlier_date.isoformat(),
        "item_index": r.earlier_index,
        "decided_by": r.decided_by,
    }
    if r.p is not None:
        out["p"] = r.p
    return out


def check(
    file: Annotated[Path, typer.Argument(help="An issue file (weekly 简报 or daily 早报 Markdown).")],
    window: Annotated[
        int | None,
        typer.Option(
            "--window",
            "-n",
            min=1,
            help="Compare with the N published issues before it (default: the format's history days).",
        ),
    ] = None,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print item rows {kind: item, item_index, earlier: [{date, item_index, decided_by, p}]} and "
            "GitHub rows {kind: github, repo, earlier: [{date}], stars_jump}.",
        ),
    ] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List the items of an issue that repeat a story of the published issues before it in the store, and
    the GitHub 趋势 rows whose repository an earlier table showed.

    Each repeat says which signal decided it: key (a shared link), lexical, semantic, entities, numbers or
    llm. Indexes are 0-based positions in the ``items`` array of ``jianbao import --json``.

    Example: jianbao check AI简报20260603.md --window 3
    """
    from jianbao.archive import read_issue_file  # lazy: --help loads no stage
    from jianbao.issue.repeats import find_issue_repeats, find_row_repeats

    if not file.is_file():
        raise JianbaoError(f"{file}: no such file")
    result = read_issue_file(file)
    if result.skipped or result.issue is None:
        raise JianbaoError(f"{file}: {result.skipped or 'not an issue'}")
    issue = result.issue
    cfg = load(config)
    with opened(cfg, store) as st:
        repeats, compared = find_issue_repeats(st, issue, config=cfg, window=window)
        rows, _ = find_row_repeats(st, issue, config=cfg, window=window)
    if json_out:
        grouped: dict[int, list[dict[str, Any]]] = {}
        for r in repeats:
            grouped.setdefault(r.index, []).append(_decision(r))
        out: list[dict[str, Any]] = [
            {"kind": "item", "item_index": i, "earlier": refs} for i, refs in grouped.items()
        ]
        out += [
            {
                "kind": "github",
                "repo": r.repo,
                "earlier": [{"date": d.isoformat()} for d, _ in r.earlier],
                "stars_jump": r.stars_jump,
            }
            for r in rows
        ]
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    shown: set[int] = set()
    for r in repeats:
        if r.index not in shown:
            shown.add(r.index)
            console.print(f"#{r.index} {r.title}")
        p = f", p {r.p:.2f}" if r.p is not None else ""
        console.print(
            f"    repeats {r.earlier_date.isoformat()} #{r.earlier_index} {r.earlier_title}  [{r.decided_by}{p}]"
        )
    for row in rows:
        jump = {True: "stars jumped", False: "stars did not jump", None: "stars not comparable"}[
            row.stars_jump
        ]
        when = ", ".join(d.isoformat() for d, _ in row.earlier)
        console.print(f"GitHub {row.repo} shown on {when} ({jump})")
    console.print(
        f"{len(shown)} of {len(issue.items)} items repeat a story of {compared} earlier published "
        f"{issue.format} issue{'s' if compared != 1 else ''}"
        + (f"; {len(rows)} of {len(issue.trending)} GitHub rows were shown before" if issue.trending else "")
    )


def register(app: typer.Typer) -> None:
    app.command("stories")(stories)
    app.command("check")(check)
