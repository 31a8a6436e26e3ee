"""feedparser's own corpus (2,107 well- and ill-formed feeds, ../shared/corpus/feedparser-tests) through the real
ingest: no traceback, no source failed that feedparser can read, every entry with an http(s) link stored, and a
second fetch adds nothing (issue 15)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import feedparser
import pytest

from jianbao.config import Config
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.safety import gate_url
from jianbao.store import open_store
from jianbao.urls import canonical_url

pytestmark = pytest.mark.slow  # about 15 s: 2,107 sources, each its own transaction, ingested twice


def _corpus(shared_dir: Path) -> list[Path]:
    root = shared_dir / "corpus" / "feedparser-tests"
    if not root.is_dir():
        pytest.skip(f"feedparser corpus not found at {root}")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))


def _expected_links(path: Path) -> tuple[set[str], int]:
    """What feedparser itself reads as entry links: the http(s) ones (as the store keys them), and how many
    others (relative, javascript:…) there are, which are reported and skipped."""
    if path.suffix == ".json":
        import json

        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        links = [item.get("url") or item.get("external_url") or "" for item in items]
    else:
        parsed = feedparser.parse(io.BytesIO(path.read_bytes()), sanitize_html=False, resolve_relative_uris=False)
        links = [(dict.get(entry, "link") or "").strip() for entry in parsed.entries]
    good = {canonical_url(gated) for link in links if link and (gated := gate_url(link))}
    return good, sum(1 for link in links if link and gate_url(link) is None)


def test_the_whole_feedparser_corpus(shared_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    files = _corpus(shared_dir)
    assert len(files) == 2107
    sources = [Source(name=f"fp{i:04d}", url=str(path)) for i, path in enumerate(files)]
    config = Config.model_validate({"fetch": {"workers": 0}})
    with caplog.at_level(logging.WARNING), open_store(f"sqlite:///{tmp_path / 'corpus.db'}") as store:
        store.sync_sources(sources)
        first = ingest(store, sources, config=config)
        stored = {e.canonical_url for e in store.get_entries(list(range(1, store.count_entries() + 1)))}
        again = ingest(store, sources, config=config)

    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a parser or understand crashed"
    assert not [rep for rep in first.sources if rep.error and "internal error" in rep.error]
    failed = {rep.name: rep.error for rep in first.sources if rep.error}
    # The one document feedparser reads nothing from: an empty one (comments only).
    assert {files[int(name[2:])].name for name in failed} == {"rss_empty_document.xml"}, failed

    expected: set[str] = set()
    skipped = 0
    for path in files:
        good, bad = _expected_links(path)
        expected |= good
        skipped += bad
    assert expected and expected <= stored, sorted(expected - stored)[:5]
    reported = sum("is not an http(s) URL; skipped" in p for rep in first.sources for p in rep.problems)
    assert reported >= skipped  # every entry whose link cannot be stored is said so
    # JSON Feed (1.0 and 1.1) is read, not failed
    json_source = next(s.name for s, path in zip(sources, files, strict=True) if path.suffix == ".json")
    assert next(rep for rep in first.sources if rep.name == json_source).new == 2

    assert again.new == 0 and sum(rep.updated for rep in again.sources) == 0
