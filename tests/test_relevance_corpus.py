"""#17's "done when" on real feeds: dailies built from the newest feeds-ai-labs snapshots plus a general-tech
feed (mostly not about AI), a digest and two trend feeds show no off-topic item, no aggregator metadata as a
summary, no config id as an outlet, and a GitHub 趋势 table (bench/bench_relevance.py measures every snapshot
and the rank of the period's top stories)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from _corpus import DAYS, checks, ingest_corpus
from conftest import shared_root
from jianbao.store import Store, open_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    shared = shared_root()
    if not (shared / "corpus" / "feeds-ai-labs").is_dir():
        pytest.skip(f"the shared corpus's feeds-ai-labs snapshots not found at {shared} (set JIANBAO_SHARED)")
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'c.db'}")
    ingest_corpus(store, shared, latest_only=True)
    yield store
    store.close()


@pytest.mark.slow
def test_dailies_from_real_ai_feeds_are_about_ai(corpus: Store) -> None:
    found = checks(corpus, DAYS)
    items = [item for check in found for item in check.items]
    assert len(items) >= 5 * len(DAYS)  # each day has news to tell
    assert [t for check in found for t in check.off_topic] == []
    assert [m for check in found for m in check.metadata] == []
    assert [i for check in found for i in check.config_ids] == []
    assert all(check.trending_rows == 5 for check in found)
    general = [
        s for check in found for s in check.result.stories if s.relevance and s.relevance.scope == "general"
    ]
    assert sum(1 for s in general if not s.relevance.on_topic) > 60  # most of the general feed was left out
