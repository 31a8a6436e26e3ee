"""What ingest stores is held fixed: every entry, link, search term and story signature it writes, for the
bundled samples, generated feeds with HTML bodies, and (where the shared corpus is present) the real lab feeds
and feedparser's own corpus.

Ingest's speed work (the fast RSS path, the shortcuts in understand and the gate, batched and deferred store
writes) must never change what is stored; this is the test that says so. Each corpus is ingested as local
sources into a fresh SQLite store at a fixed fetch time, and everything stored is dumped in a canonical form
(rows sorted, write times left out, signatures unpacked with their sets sorted: the packed bytes of a set
follow the process's string hashing) whose SHA-256 is kept in ``tests/golden/ingest.sha256``. A deliberate
change of what ingest stores updates it with ``pytest tests/test_ingest_golden.py --update-golden``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import random
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from jianbao.config import Config
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.store import open_store
from jianbao.store.search_docs import text_lengths
from jianbao.stories.candidates import band_count
from jianbao.stories.settings import DEFAULT_SETTINGS

GOLDEN = Path(__file__).parent / "golden" / "ingest.sha256"
SAMPLES = Path(__file__).parents[1] / "src" / "jianbao" / "samples"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".json")
NOW = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
# Columns written with the wall clock, not from the feeds.
CLOCK = {"updated_at", "last_success", "started_at", "created_at", "last_error_at", "at", "checked_at"}
WORDS = ("model", "agent", "inference", "benchmark", "dataset", "Training", "open-source", "GPT-5.6", "Qwen3")
ZH = "研究人员发布了新的轻量化模型在端侧推理速度提升明显同时开源了代码与数据集引发社区广泛关注"


def _generated(folder: Path) -> list[Path]:
    """RSS 2.0 feeds like bench/bench_fetch.py's: HTML bodies mixing English and Chinese, with paper, code,
    image and tracked links, labels before colons, entities and the odd relative link."""
    rng = random.Random(21)
    paths = []
    for feed in range(6):
        items = []
        for n in range(12):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            zh = "".join(rng.choice(ZH) for _ in range(rng.randint(10, 60)))
            body = (
                f"<p>{words}. {zh}。</p><p><img src='/img/{feed}-{n}.png' width='640'></p>"
                f"<p>论文：<a href='https://arxiv.org/abs/2405.{10000 + n * 7 + feed}v2'>arXiv</a> "
                f"代码：<a href='https://github.com/Lab{feed}/Proj-{n}'>GitHub</a></p>"
                f"<p>More: <a href='https://blog.example.com/{feed}/{n}?utm_source=rss&amp;id={n}'>read</a>"
                f" &amp; <b>{rng.choice(WORDS)}</b> 融资 {n + 1} 亿美元</p>"
            )
            items.append(
                f"<item><title>{escape(rng.choice(WORDS))} {zh[:8]} #{feed}-{n}</title>"
                f"<link>https://news{feed}.example.com/posts/{n}.html?utm_medium=feed</link>"
                f"<guid>https://news{feed}.example.com/posts/{n}.html</guid>"
                f"<pubDate>Mon, 02 Mar 2026 {n:02d}:{feed * 7:02d}:00 GMT</pubDate>"
                f"<author>editor@example.com (Editor {feed})</author><category>AI</category>"
                f"<description>{escape(body)}</description></item>"
            )
        path = folder / f"generated{feed}.xml"
        path.write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"<link>https://news{feed}.example.com/</link>{''.join(items)}</channel></rss>",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _feeds(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in FEED_SUFFIXES)


def _canonical(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, dict):
        return sorted(([_canonical(k), _canonical(v)] for k, v in value.items()), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def _digest(files: list[Path], tmp_path: Path, roots: dict[str, Path]) -> str:
    """SHA-256 of everything ingest stores for these files (and of what it reports about each), the folders
    ``roots`` holds named by their keys wherever their paths show (a source's URL, a problem's text)."""
    sources = [Source(name=f"s{i:05d}", url=str(path)) for i, path in enumerate(files)]
    store = open_store(f"sqlite:///{tmp_path / 'golden.db'}")
    store.sync_sources(sources)
    report = ingest(store, sources, config=Config(), now=NOW)
    dump: dict[str, Any] = {
        "report": [
            (s.name, s.new, s.updated, s.unchanged, s.error, sorted(s.problems)) for s in report.sources
        ]
    }
    with store.engine.connect() as conn:
        for table in ("entries", "links", "search_docs", "story_index", "sources"):
            cursor = conn.exec_driver_sql(f"SELECT * FROM {table}")
            names = list(cursor.keys())
            rows = []
            for row in cursor:
                values = {n: v for n, v in zip(names, row, strict=True) if n not in CLOCK}
                if table == "search_docs":  # the texts' lengths (m021) are what their text gives, nothing more
                    lengths = {name: values.pop(name) for name in ("title_chars", "body_chars")}
                    assert lengths == text_lengths(values["title"], values["body"])
                if table == "story_index":  # band keys, a byte of flags, then the marshalled features
                    data, cut = values["data"], 8 * band_count(DEFAULT_SETTINGS)
                    values["data"] = [data[:cut].hex(), data[cut], _canonical(marshal.loads(data[cut + 1 :]))]
                    values["hash"] = values["hash"].hex()
                rows.append(json.dumps(values, ensure_ascii=False, sort_keys=True, default=str))
            dump[table] = sorted(rows)
        for view in ("search_fts_terms", "search_cjk_terms"):
            dump[view] = sorted(map(list, conn.exec_driver_sql(f"SELECT term, doc, cnt FROM {view}")))
    store.close()
    text = json.dumps(dump, ensure_ascii=False, sort_keys=True, default=str)
    for name, root in roots.items():
        text = text.replace(str(root), f"<{name}>")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check(
    name: str, files: list[Path], tmp_path: Path, request: pytest.FixtureRequest, roots: dict[str, Path]
) -> None:
    assert files, name
    found = _digest(files, tmp_path, roots)
    lines = dict(
        line.split("  ", 1)[::-1] for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line
    ) if GOLDEN.exists() else {}  # fmt: skip
    if request.config.getoption("--update-golden"):
        lines[name] = found
        GOLDEN.write_text("".join(f"{d}  {n}\n" for n, d in sorted(lines.items())), encoding="utf-8")
        return
    assert found == lines.get(name), f"what ingest stores for {name} changed"


def test_ingest_stores_the_same_for_the_samples_and_generated_feeds(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    files = _feeds(SAMPLES) + _generated(tmp_path)
    _check("samples+generated", files, tmp_path, request, {"samples": SAMPLES, "tmp": tmp_path})


def test_ingest_stores_the_same_for_the_real_feeds(
    tmp_path: Path, request: pytest.FixtureRequest, shared_dir: Path
) -> None:
    corpus = shared_dir / "corpus"
    files = _feeds(corpus / "feeds-ai-labs") + _feeds(corpus / "feeds-ai-labs-turing")
    _check("feeds-ai-labs", files, tmp_path, request, {"corpus": corpus})


def test_ingest_stores_the_same_for_feedparsers_corpus(
    tmp_path: Path, request: pytest.FixtureRequest, shared_dir: Path
) -> None:
    corpus = shared_dir / "corpus"
    _check("feedparser-tests", _feeds(corpus / "feedparser-tests"), tmp_path, request, {"corpus": corpus})
