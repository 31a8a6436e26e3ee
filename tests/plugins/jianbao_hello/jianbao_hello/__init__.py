"""A jianbao plugin: the source kind ``hello`` (one entry per line of a text file) and the format ``hello``.

A line of a ``hello`` file is ``YYYY-MM-DD<TAB>url<TAB>title<TAB>summary``; the ``hello`` format writes the
issue's title and the titles of its items and of its 其他 links to ``<stem>.hello.txt``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jianbao import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.records import Entry, Issue, Source
from jianbao.render import Renderer


class HelloKind:
    name = "hello"

    def requests(self, source: Source) -> list[str]:
        return [source.url]

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        entries, problems = [], []
        for number, line in enumerate(payload.decode("utf-8").splitlines(), start=1):
            parts = line.split("\t")
            if len(parts) != 4:
                problems.append(f"line {number}: expected 4 tab-separated fields")
                continue
            day, link, title, summary = parts
            published = datetime.fromisoformat(day).replace(hour=8, tzinfo=UTC)
            entries.append(
                Entry(source=source.name, url=link, title=title, summary=summary, content=summary,
                      published=published, fetched=fetched, language="zh")
            )  # fmt: skip
        return ParsedFeed(entries=entries, problems=problems, title="hello")


def render_hello(issue: Issue, **_: Any) -> str:
    titles = [item.title for item in issue.items] + [link.title for link in issue.other]
    lines = [f"你好 {issue.title}", *(f"- {title}" for title in sorted(titles))]
    return "\n".join(lines) + "\n"


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    register(HelloKind())


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(Renderer("hello", ".hello.txt", render_hello))
