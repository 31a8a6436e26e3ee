"""The source-kind registry: built-in kinds, plugin registration, dispatch and local feed files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import jianbao.ingestion.sources as sources
from jianbao.errors import SourceError
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.records import Entry, Source

RESOURCES = Path(__file__).parent / "resources" / "sources"


def test_builtin_kinds_are_registered() -> None:
    assert sources.kinds() == ["arxiv", "github_trending", "hackernews", "page", "rss"]
    for name in sources.kinds():
        kind = sources.get_kind(name)
        assert kind.name == name
        assert isinstance(kind, SourceKind)


def test_unknown_kind_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="unknown source kind 'podcast'"):
        sources.get_kind("podcast")
    source = Source(name="pods", url="https://example.com/", kind="podcast")
    with pytest.raises(SourceError) as caught:
        sources.parse_source(source, b"x", url=source.url)
    assert caught.value.source == "pods"
    assert "known: arxiv, github_trending, hackernews, page, rss" in str(caught.value)


class _LinesKind:
    """A toy kind: one entry per 'url title' line."""

    name = "lines"

    def requests(self, source: Source) -> list[str]:
        return [source.url, *source.options.get("more", [])]

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        entries = []
        for line in payload.decode().splitlines():
            link, _, title = line.partition(" ")
            entries.append(Entry(source=source.name, url=link, title=title, fetched=fetched))
        return ParsedFeed(entries=entries, problems=[])


def test_a_plugin_kind_uses_the_same_door(monkeypatch: pytest.MonkeyPatch) -> None:
    sources.kinds()  # load the built-ins before isolating the registry
    monkeypatch.setattr(sources, "_registry", dict(sources._registry))
    sources.register(_LinesKind())
    assert "lines" in sources.kinds()
    source = Source(
        name="toy", url="https://a.example/", kind="lines", options={"more": ["https://b.example/"]}
    )
    assert sources.requests_for(source) == ["https://a.example/", "https://b.example/"]
    fetched = datetime(2026, 3, 10, 8, tzinfo=UTC)
    parsed = sources.parse_source(
        source, b"https://x.example/1 First\nhttps://x.example/2 Second", url=source.url, fetched=fetched
    )
    assert [(e.url, e.title, e.source, e.fetched) for e in parsed.entries] == [
        ("https://x.example/1", "First", "toy", fetched),
        ("https://x.example/2", "Second", "toy", fetched),
    ]


def test_parse_source_dispatches_on_kind() -> None:
    payload = (RESOURCES / "atom.xml").read_bytes()
    parsed = sources.parse_source(
        Source(name="lab", url="https://lab.example.org/feed"), payload, url="https://lab.example.org/feed"
    )
    assert parsed.title == "Lab News"
    assert [e.source for e in parsed.entries] == ["lab", "lab"]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/srv/feeds/a.xml", True),
        ("feeds/a.xml", True),
        ("file:///srv/feeds/a.xml", True),
        ("https://example.com/feed", False),
        ("http://example.com/feed", False),
    ],
)
def test_is_local(url: str, local: bool) -> None:
    assert sources.is_local(url) is local


def test_read_local_reads_paths_and_file_urls() -> None:
    path = RESOURCES / "gbk.xml"
    expected = path.read_bytes()
    assert sources.read_local(Source(name="a", url=str(path))) == expected
    assert sources.read_local(Source(name="b", url=path.as_uri())) == expected


def test_read_local_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    with pytest.raises(SourceError) as caught:
        sources.read_local(Source(name="local", url=str(missing)))
    assert str(caught.value) == f"source 'local': local file not found: {missing}"
    with pytest.raises(SourceError, match="is a directory"):
        sources.read_local(Source(name="local", url=str(tmp_path)))
