"""Shared fixtures: every test gets its own JIANBAO_HOME and working folder, so nothing leaks between tests."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from _pg import ENV_URL, TEMPLATE, PgCluster, pg_bin_dir
from jianbao.store import Store, open_store

# Every test that skips for want of the shared archive or corpus says so in these words; the run counts them.
_SHARED_MISSING = re.compile(r"shared (?:archive|corpus|archive/corpus) not found")


def shared_root() -> Path:
    """$JIANBAO_SHARED, else the `shared` folder beside the checkout."""
    return Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("JIANBAO_HOME", str(home))
    for var in ("JIANBAO_CONFIG", "JIANBAO_STORE", "JIANBAO_LLM_BASE_URL", "JIANBAO_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    # Lexical story matching unless a test asks for embeddings (JIANBAO_EMBED=local, or an embedder passed in):
    # the suite pins the behaviour without an embedding backend, and stays fast.
    monkeypatch.setenv("JIANBAO_EMBED", "none")
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
    path = shared_root()
    if not (path / "archive").is_dir():
        pytest.skip(f"shared archive not found at {path} (set JIANBAO_SHARED)")
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL server for the session: $JIANBAO_TEST_PG_URL if set, else a throwaway loopback cluster.

    Under xdist each worker has its own session, so its own cluster and its own template database (named
    for the worker, so workers sharing an external server never drop one another's template).
    """
    template = f"{TEMPLATE}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    external = os.environ.get(ENV_URL)
    if external:
        cluster = PgCluster.external(external, template=template)
    else:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            pytest.skip(f"no PostgreSQL binaries (initdb, pg_ctl) found; install postgresql or set {ENV_URL}")
        try:
            cluster = PgCluster.start(bin_dir, template=template)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            pytest.skip(
                f"could not start PostgreSQL from {bin_dir}: {exc} {detail.decode(errors='replace')[-300:]}"
            )
    try:
        cluster.make_template()
        yield cluster
    finally:
        cluster.stop()


def _pg_database(cluster: PgCluster, *, migrated: bool) -> Iterator[str]:
    name = cluster.create_database(template=cluster.template if migrated else None)
    try:
        yield cluster.url_for(name)
    finally:
        cluster.drop_database(name)


def _database_url(request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'jianbao.db'}"
        return
    yield from _pg_database(request.getfixturevalue("pg_cluster"), migrated=migrated)


@pytest.fixture
def pg_store_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (for tests that need both backends at once, e.g. copies)."""
    yield from _pg_database(pg_cluster, migrated=True)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, already migrated store per test on each backend: a SQLite file, or a new PG database."""
    yield from _database_url(request, tmp_path, migrated=True)


@pytest.fixture(params=BACKENDS)
def blank_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Like store_url but never migrated (an empty database), for tests of the migrations themselves."""
    yield from _database_url(request, tmp_path, migrated=False)


@pytest.fixture
def any_store(store_url: str) -> Iterator[Store]:
    """The store at `store_url`, opened; closed (so its PG database can be dropped) after the test."""
    store = open_store(store_url)
    yield store
    store.close()


@pytest.fixture
def backend(store_url: str) -> str:
    """'sqlite' or 'postgresql': for the few assertions that differ by design."""
    return "postgresql" if store_url.startswith("postgresql") else "sqlite"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from this run's outputs"
    )


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Generator[None]:
    """After pytest's own summary: one line saying how many tests skipped for want of the shared folder."""
    try:
        return (yield)
    finally:
        skipped = terminalreporter.stats.get("skipped", [])
        missing = sum(1 for report in skipped if _SHARED_MISSING.search(_skip_reason(report)))
        if missing:
            terminalreporter.write_line(
                f"{missing} tests skipped: shared archive/corpus not found at {shared_root()} "
                "(set JIANBAO_SHARED)",
                yellow=True,
                bold=True,
            )
