"""Planner statistics: bulk imports and copies leave PostgreSQL's planner with fresh statistics."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.records import Entry
from jianbao.store import Store, open_store
from jianbao.store.copy import copy_store

runner = CliRunner()


def _manual_analyses(store: Store) -> int:
    # analyze_count counts explicit ANALYZE runs only (autovacuum's are autoanalyze_count), so a
    # background autovacuum cannot make these tests pass.
    with store.engine.connect() as conn:
        return conn.execute(
            text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'search_docs'")
        ).scalar_one()


def _planner_rows(store: Store) -> float:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'search_docs'")).scalar_one()


def test_analyze_gives_search_docs_statistics(pg_store_url: str) -> None:
    with open_store(pg_store_url) as store:
        store.upsert_entries(
            [Entry(source="s", url=f"https://e.example/{n}", title=f"开源模型 {n}") for n in range(30)]
        )
        assert _manual_analyses(store) == 0
        store.analyze()
        assert _manual_analyses(store) == 1
        assert _planner_rows(store) == 30  # the planner now knows the table's size, not a guess
        with store.engine.connect() as conn:
            columns = set(
                conn.execute(text("SELECT attname FROM pg_stats WHERE tablename = 'search_docs'")).scalars()
            )
        assert {"date", "title", "bigram_tsv"} <= columns


def test_analyze_runs_on_sqlite(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.upsert_entries([Entry(source="s", url="https://e.example/1", title="开源")])
        store.analyze()
        assert store.counts()["search_docs"] == 1


def test_import_command_leaves_statistics(shared_dir: Path, pg_store_url: str) -> None:
    issue = shared_dir / "archive" / "2021" / "AI简报20210305.md"
    result = runner.invoke(app, ["import", str(issue), "--store", pg_store_url])
    assert result.exit_code == 0, result.output
    with open_store(pg_store_url) as store:
        assert _manual_analyses(store) == 1
        assert _planner_rows(store) == store.counts()["search_docs"] > 0


def test_copy_leaves_statistics(tmp_path: Path, pg_store_url: str) -> None:
    source = f"sqlite:///{tmp_path / 'a.db'}"
    with open_store(source) as store:
        store.upsert_entries(
            [Entry(source="s", url=f"https://e.example/{n}", title=f"数据 {n}") for n in range(12)]
        )
    assert copy_store(source, pg_store_url).ok
    with open_store(pg_store_url) as store:
        assert _manual_analyses(store) == 1
        assert _planner_rows(store) == 12
