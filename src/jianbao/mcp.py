"""`jianbao mcp`: the archive and the builder as an MCP server (the official Python SDK's ``MCPServer``), over
stdio for a local client or streamable HTTP.

Tools: ``search_archive`` (entries and every part of every issue), ``list_stories`` (the stories of a period,
new / published / update), ``check_repeats`` (a draft issue's Markdown or a pasted list against the published
issues), ``build_issue`` (build and save a draft) and ``get_issue_markdown``. Each call opens the store and
closes it, so the server never holds a connection between calls.

Over stdio, stdout carries nothing but protocol: every log line goes to stderr (a banner on stdout breaks
stdio clients), and the CLI prints nothing before handing over.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer

from jianbao import __version__
from jianbao.archive.parse import parse_issue
from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.errors import JianbaoError
from jianbao.issue.build import build
from jianbao.issue.gather import gather_stories
from jianbao.issue.repeats import Repeat, find_issue_repeats, find_list_repeats
from jianbao.store import Store, open_store
from jianbao.store.search import search

__all__ = ["make_server", "serve_mcp"]

Format = Literal["weekly", "daily"]


def _day(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise JianbaoError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _repeat_rows(repeats: list[Repeat]) -> list[dict[str, Any]]:
    return [
        {"index": r.index, "title": r.title, "earlier_date": r.earlier_date.isoformat(),
         "earlier_index": r.earlier_index, "earlier_title": r.earlier_title}
        for r in repeats
    ]  # fmt: skip


def make_server(config: Config, store_url: str) -> MCPServer:
    """The MCP server with jianbao's tools, reading the store at ``store_url`` with ``config``."""
    server: MCPServer = MCPServer(
        name="jianbao", version=__version__,
        instructions="Search the AI 简报 / AI 早报 archive, list a period's stories, check a draft for repeats, "
                     "build an issue and read an issue's Markdown.",
    )  # fmt: skip

    @contextmanager
    def opened() -> Iterator[Store]:
        store = open_store(store_url)
        try:
            yield store
        finally:
            store.close()

    @server.tool()
    def search_archive(query: str, since: str | None = None, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Search every stored entry and every part of every issue (items, 其他, trends, 导读), Chinese or
        English, substring-exact. ``since`` is YYYY-MM-DD; ``source`` a source name or display name."""
        with opened() as store:
            hits = search(store, query, since=_day(since) if since else None, source=source, limit=max(1, min(limit, 100)))
        return [{**asdict(h), "date": h.date.isoformat() if h.date else None} for h in hits]

    @server.tool()
    def list_stories(date: str | None = None, days: int | None = None, format: Format = "daily") -> list[dict[str, Any]]:
        """The stories of the period ending on ``date`` (default today; ``days`` long, default the edition's
        window): title, size, sources, and new / published (with the issue) / update (with the new facts)."""
        edition = get_edition(format)
        with opened() as store:
            found = gather_stories(store, config=config, day=_day(date), edition=edition, window_days=days)
        found.sort(key=lambda s: (-len(s.entries), -s.score, s.id))
        return [
            {"id": s.id, "title": s.title, "size": len(s.entries), "sources": s.sources, "state": s.state,
             "published_in": s.published_in, "new_facts": s.new_facts, "url": s.entries[0].url if s.entries else None}
            for s in found
        ]  # fmt: skip

    @server.tool()
    def check_repeats(
        markdown: str | None = None, lines: list[str] | None = None, format: Format = "daily",
        date: str | None = None, window: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Which items of a draft repeat a story of the published issues before it. Give the draft's Markdown
        (a weekly 简报 or daily 早报), or ``lines``: one story a line (a title, a URL, or both)."""
        with opened() as store:
            if markdown:
                parsed = parse_issue(markdown, path="<draft>")
                if parsed.issue is None:
                    raise JianbaoError(f"not an issue: {parsed.skipped or 'unreadable'}")
                issue = parsed.issue
                if date:
                    issue.date = _day(date)
                repeats, compared = find_issue_repeats(store, issue, config=config, window=window)
                total = len(issue.items)
            elif lines:
                clean = [line.strip() for line in lines if line.strip()]
                repeats, compared = find_list_repeats(store, clean, fmt=format, day=_day(date), config=config,
                                                      window=window)  # fmt: skip
                total = len(clean)
            else:
                raise JianbaoError("give markdown (a draft) or lines (a pasted list)")
        return {"items": total, "compared_issues": compared, "repeats": _repeat_rows(repeats)}

    @server.tool()
    def build_issue(date: str | None = None, format: Format = "daily") -> dict[str, Any]:
        """Build the issue of ``date`` from the stored entries and save it as a draft for the desk; returns
        its id, item count, warnings and Markdown."""
        with opened() as store:
            result = build(store, config, _day(date), get_edition(format))
            markdown = store.get_markdown(result.issue.id) or ""
        issue = result.issue
        return {"id": issue.id, "items": len(issue.items), "warnings": result.warnings, "markdown": markdown}

    @server.tool()
    def get_issue_markdown(date: str, format: Format = "daily") -> str:
        """The Markdown of the stored issue (draft or published) of ``date`` and ``format``."""
        with opened() as store:
            issue_id = f"{format}:{_day(date).isoformat()}"
            markdown = store.get_markdown(issue_id)
        if markdown is None:
            raise JianbaoError(f"no {format} issue stored for {date}")
        return markdown

    return server


def serve_mcp(
    config: Config, store_url: str, *, transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1", port: int = 8765,
) -> None:  # fmt: skip
    """Run the server until the client goes away (stdio) or until interrupted (HTTP)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, force=True)  # never stdout
    server = make_server(config, store_url)
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
