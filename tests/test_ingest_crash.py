"""A `jianbao fetch` killed with SIGKILL half-way leaves a consistent store, and the next run completes the work."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from _http import QuietHandler
from jianbao.store import open_store

SRC = Path(__file__).resolve().parents[1] / "src"
FEEDS = 40
ENTRIES = 25
SLOW = {i for i in range(FEEDS) if i % 3 == 0}  # these answer only once released: the kill lands before them
HELD_SECONDS = (
    120  # how long a held request waits at most for its release (the test releases it after the kill)
)


def entry_url(feed: int, n: int) -> str:
    return f"https://news.example.com/feed{feed}/story-{n}"


def feed_body(feed: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {feed} story {n}</title><link>{entry_url(feed, n)}</link>"
        f"<description>&lt;p&gt;Body of story {n}, see https://arxiv.org/abs/2401.{feed:02d}{n:03d}&lt;/p&gt;"
        f"</description><pubDate>Mon, 02 Mar 2026 08:{n:02d}:00 GMT</pubDate></item>"
        for n in range(ENTRIES)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{items}</channel></rss>'.encode()


class _Handler(QuietHandler):
    log: ClassVar[list[tuple[str, str | None]]] = []
    release: ClassVar[threading.Event] = threading.Event()

    def do_GET(self) -> None:
        feed = int(self.path.strip("/").removeprefix("feed").removesuffix(".xml"))
        etag = f'"feed{feed}-v1"'
        self.log.append((self.path, self.headers.get("If-None-Match")))
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        if feed in SLOW:  # held until the test has killed the fetch, however slow the machine is
            self.release.wait(HELD_SECONDS)
        body = feed_body(feed)
        self._send(200, body, {"Content-Type": "application/rss+xml", "ETag": etag})


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


@pytest.fixture
def base() -> Iterator[str]:
    _Handler.release = threading.Event()
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.release.set()
    server.shutdown()
    server.server_close()


def _fetch(config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = "from jianbao.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "fetch", "--config", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _done(db: Path) -> set[str]:
    """Sources whose fetch state is recorded, read the way another process would (no jianbao code)."""
    if not db.exists():
        return set()
    try:
        # closing(): a sqlite3 connection is freed only by the cyclic GC otherwise, and a stale one left
        # open in this process would read a WAL index that the fetch process has since removed.
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sources WHERE last_success IS NOT NULL")}
    except sqlite3.OperationalError:  # the tables are not there yet
        return set()


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (worker processes hang off a fork server, not off the fetch itself)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                alive.add(pid)
    return alive


@pytest.mark.parametrize("workers", [0, 2], ids=["in-process", "two-workers"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_killed_mid_fetch_then_rerun_loses_and_duplicates_nothing(
    base: str, tmp_path: Path, sig: signal.Signals, workers: int
) -> None:
    db = tmp_path / "store.db"
    parts = [
        f'[store]\nurl = "sqlite:///{db}"\n[fetch]\ntimeout = {HELD_SECONDS * 2}.0\nretries = 0\nconcurrency = 64\nper_host = 64\n'
        f"workers = {workers}\n"
    ]
    parts += [f'[[sources]]\nname = "feed{i}"\nurl = "{base}/feed{i}.xml"\n' for i in range(FEEDS)]
    config = tmp_path / "jianbao.toml"
    config.write_text("\n".join(parts), encoding="utf-8")

    proc = _fetch(config)
    deadline = time.monotonic() + HELD_SECONDS
    fast = FEEDS - len(SLOW)
    while len(_done(db)) < fast // 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    below = _descendants(proc.pid)
    assert bool(below) == (workers > 0)  # the fork server and its workers
    os.kill(proc.pid, sig)
    _out, err = proc.communicate(timeout=60)  # reaps it and closes its pipes
    _Handler.release.set()  # the held requests answer now: the rerun gets them at once
    deadline = time.monotonic() + 10
    while _alive(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(below), "worker processes outlived the fetch"
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # Ctrl-C: the transaction under way finishes, the rest is dropped, one line says so
        assert proc.returncode == 130, err.decode()
        assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    done = _done(db)
    assert fast // 2 <= len(done) < FEEDS, "the kill should land half-way"

    # The killed run's store opens cleanly (WAL recovery) and is consistent: a source with an ETag has all
    # its entries (else the next run's 304 would lose them), and no entry is stored twice.
    with open_store(f"sqlite:///{db}") as store:
        with_etag = {s.name for s in store.list_sources() if s.etag}
        assert with_etag == done
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT canonical_url, source FROM entries").all()
    by_source = Counter(source for _url, source in rows)
    assert len({url for url, _ in rows}) == len(rows)
    for name in with_etag:
        assert by_source[name] == ENTRIES, name

    _Handler.log.clear()
    rerun = _fetch(config)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()

    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT canonical_url, source FROM entries").fetchall()
        log = conn.execute("SELECT source, url, status, bytes, elapsed, started_at FROM fetch_log").fetchall()
        states = dict(conn.execute("SELECT name, etag FROM sources").fetchall())
    expected = {(entry_url(f, n), f"feed{f}") for f in range(FEEDS) for n in range(ENTRIES)}
    assert len(rows) == len(expected) and set(rows) == expected  # every entry once, owned by its feed
    assert states == {f"feed{f}": f'"feed{f}-v1"' for f in range(FEEDS)}
    # The second run asked conditionally for what the first had committed, and fully for the rest.
    conditional = {path.strip("/").removesuffix(".xml") for path, etag in _Handler.log if etag}
    assert conditional == done
    statuses = Counter((source, status) for source, _url, status, _b, _e, _t in log)
    for f in range(FEEDS):
        name = f"feed{f}"
        assert statuses[(name, 304 if name in done else 200)] >= 1, name
    assert all(b >= 0 and e >= 0 and t for _s, _u, _st, b, e, t in log)
    assert b"304" in out  # the closing table shows the not-modified sources
