"""On a Dask cluster, the signature and embedding passes give the stories one process gives."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from _llm_server import ChatServer, serve
from jianbao.config import Config, EmbedSettings
from jianbao.demo import sample_sources
from jianbao.editions import get_edition
from jianbao.ingestion.runner import ingest
from jianbao.ingestion.scale import connect
from jianbao.issue.gather import gather_stories
from jianbao.records import Story
from jianbao.store import open_store
from jianbao.stories import embed as embed_module
from jianbao.stories.cluster import cluster_entries
from jianbao.stories.distributed import DaskSession
from jianbao.stories.embed import embedder_for

pytest.importorskip("distributed")

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


def _shape(stories: list[Story]) -> list[tuple[object, ...]]:
    return [(s.id, [e.url for e in s.entries], s.state, s.published_in, s.score) for s in stories]


@pytest.mark.slow
def test_signatures_and_embeddings_on_a_local_cluster_give_the_same_stories(
    chat: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(BENCH))
    from synth import generate  # the benchmarks' generator, beside the tests

    monkeypatch.setenv("JIANBAO_EMBED", "openai")
    embed = EmbedSettings(backend="openai", base_url=chat.url, model="bge-m3", retries=0)  # type: ignore[attr-defined]
    entries = generate(1500).entries
    one = cluster_entries(entries, embedder=embedder_for(embed))
    session = DaskSession(lambda: connect("local", workers=2), minimum=1)
    try:
        spread = cluster_entries(
            entries, embedder=embedder_for(embed, remote=session.embedder), compute=session.compute
        )
        assert session.client.scheduler_info()["workers"]  # the work went to the cluster
    finally:
        session.close()
    assert _shape(spread) == _shape(one)
    assert any(len(s.entries) > 1 for s in one)

    # the build's own path: [scale] dask names the cluster; a fresh store has no vector cached, so the
    # embeddings are computed there (the story index and the vectors stay in the store)
    day, sources = sample_sources()
    config = Config.model_validate({"embed": embed.model_dump()})
    on_dask = config.model_copy(update={"scale": config.scale.model_copy(update={"dask": "local"})})
    shapes = []
    for name, cfg in (("one", config), ("dask", on_dask)):
        with open_store(f"sqlite:///{tmp_path / name}.db") as store:
            store.sync_sources(sources)
            ingest(store, sources, config=config)
            embed_module._MEMO.clear()  # the process's memo would answer the second store from the first's
            before = len(chat.embed_bodies)
            shapes.append(_shape(gather_stories(store, config=cfg, day=day, edition=get_edition("weekly"))))
            assert len(chat.embed_bodies) > before and store.embeddings_count() > 0
    assert shapes[1] == shapes[0]
