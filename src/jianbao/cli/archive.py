"""Commands over the archive of issues: import, search, issues."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, err_console, load, opened, parse_date, progress
from jianbao.errors import JianbaoError
from jianbao.records import to_dict


def import_(
    paths: Annotated[list[Path], typer.Argument(help="Markdown issues or folders (searched recursively).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the parsed issues as JSON; write nothing.")] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Import published issues (weekly 简报 or daily 早报 Markdown) so history and search know them.

    Re-importing a file updates its issue in place. Exit status 1 when any file was skipped.

    Example: jianbao import ../archive/2021 ../archive/2026
    """
    # lazy: keeps the archive parsers out of CLI start-up
    from jianbao.archive import read_issue_file, to_json
    from jianbao.archive.files import find_issue_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise JianbaoError(f"{missing[0]}: no such file or folder")
    files = list(find_issue_files(paths))
    results = []
    skipped = 0
    with progress() as bar:
        task = bar.add_task("parsing", total=len(files))
        for path in files:
            result = read_issue_file(path)
            for warning in result.warnings:
                err_console.print(f"warning: {warning}")
            if result.skipped or result.issue is None:
                skipped += 1
                err_console.print(f"skipped: {path}: {result.skipped or 'not an issue'}")
            else:
                results.append(result)
            bar.advance(task)
    if json_out:
        sys.stdout.write(to_json(results) + "\n")
    else:
        cfg = load(config)
        with opened(cfg, store) as st, progress() as bar:
            task = bar.add_task("storing", total=len(results))
            for result in results:
                issue = result.issue
                assert issue is not None
                issue.state = "published"
                text = Path(result.path).read_bytes().decode("utf-8", errors="replace")
                st.save_issue(issue, markdown=text)
                bar.advance(task)
            if results:
                st.analyze()  # a bulk import leaves the planner without statistics until autovacuum runs
        items = sum(len(r.issue.items) for r in results if r.issue)
        console.print(f"imported {len(results)} issues ({items} items)" + (f", skipped {skipped} files" if skipped else ""))
    if skipped:
        raise typer.Exit(1)


def _since(value: str | None) -> dt.date | None:
    """'30d', '2w' or a date."""
    if value is None:
        return None
    if m := re.fullmatch(r"(\d+)([dw])", value.strip()):
        days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return dt.date.today() - dt.timedelta(days=days)
    return parse_date(value)


def search(
    query: Annotated[str, typer.Argument(help="Words to find: Chinese or English, substring-exact.")],
    since: Annotated[str | None, typer.Option("--since", help="Only on or after: YYYY-MM-DD, 30d, 8w.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source (display name or id).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Search every stored entry and every part of every issue (items, 其他, trends, insights, 导读).

    Example: jianbao search 轻量化 --since 2021-01-01
    """
    from jianbao.store.search import search as run_search  # lazy: only this command needs it

    cfg = load(config)
    with opened(cfg, store) as st:
        hits = run_search(st, query, since=_since(since), source=source, limit=limit)
    if json_out:
        sys.stdout.write(json.dumps([to_dict(h) for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    table = Table()
    for col in ("date", "kind", "section", "title", "source", "url"):
        table.add_column(col, overflow="fold")
    for hit in hits:
        table.add_row(str(hit.date or ""), hit.kind, hit.section or "", hit.title or hit.snippet, hit.source or "",
                      hit.url or "")
    console.print(table)
    console.print(f"{len(hits)} hits")


def issues(
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Only weekly or daily.")] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List stored issues: date, format, state, item count and top sources.

    Example: jianbao issues --format weekly
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        rows = st.list_issues(fmt=fmt)
        table = Table()
        for col in ("date", "format", "state", "items", "top sources"):
            table.add_column(col)
        for row in rows:
            table.add_row(str(row["date"]), row["format"], row["state"], str(row["items"]),
                          "、".join(st.top_sources(row["id"])))
    console.print(table)
    console.print(f"{len(rows)} issues")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command()(search)
    app.command()(issues)
