"""Shared fixtures: every test gets its own JIANBAO_HOME and working folder, so nothing leaks between tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.store import Store, open_store


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("JIANBAO_HOME", str(home))
    for var in ("JIANBAO_CONFIG", "JIANBAO_STORE", "JIANBAO_LLM_BASE_URL", "JIANBAO_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture
def fresh_store() -> Iterator[Store]:
    """An in-memory SQLite store, migrated."""
    store = open_store("sqlite://")
    yield store
    store.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A path for a real SQLite file (not yet created)."""
    return tmp_path / "store" / "jianbao.db"


@pytest.fixture
def shared_dir() -> Path:
    """The read-only shared archive and seeds; tests that need them skip where they are absent."""
    path = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if not (path / "archive").is_dir():
        pytest.skip(f"shared archive not found at {path} (set JIANBAO_SHARED)")
    return path
