"""Long runs report their stages: fetch a total and each source through fetched, parsed, stored; build and
site each of their steps, in order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jianbao.archive.site import SITE_STEPS, build_site
from jianbao.config import Config
from jianbao.demo import sample_sources
from jianbao.ingestion.runner import STAGES, ingest
from jianbao.issue.build import BUILD_STEPS, build
from jianbao.store import open_store


def test_fetch_build_and_site_report_their_stages(tmp_path: Path) -> None:
    day, sources = sample_sources()
    calls: list[tuple[str, int]] = []
    steps: list[str] = []
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config(), progress=lambda stage, n: calls.append((stage, n)))
        build(store, Config(), day, "weekly", progress=steps.append)
        site: list[str] = []
        build_site(store, tmp_path / "site", config=Config(), progress=site.append)
    assert calls[0] == ("planned", len(sources))
    done = Counter()
    for stage, n in calls[1:]:
        done[stage] += n
        # a source is parsed only once fetched, and stored only once parsed
        assert done["fetched"] >= done["parsed"] >= done["stored"]
    assert done == dict.fromkeys(STAGES, len(sources))
    assert steps == [s for s in BUILD_STEPS if s not in ("LLM texts", "writing files")]
    assert site == list(SITE_STEPS)
