"""`jianbao sources …` on a real jianbao.toml (from `jianbao init`): the file and the store after each command."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.config import load_config
from jianbao.ingestion.sources import parse_source
from jianbao.ingestion.sources.opml import parse_opml
from jianbao.records import Source
from jianbao.store import open_store

RESOURCES = Path(__file__).parent / "resources" / "sources"
runner = CliRunner()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, str]:
    """A config written by `jianbao init` (16 remote default sources: never fetched here) and a store URL."""
    result = runner.invoke(app, ["init", str(tmp_path / "brief")])
    assert result.exit_code == 0, result.output
    config = tmp_path / "brief" / "jianbao.toml"
    with config.open("a", encoding="utf-8") as fh:
        fh.write("# my own note, which an edit must keep\n")
    return config, f"sqlite:///{tmp_path / 'store.db'}"


def run(*args: str) -> object:
    return runner.invoke(app, list(args))


def test_add_keeps_the_file_as_written_and_fetches(setup: tuple[Path, str]) -> None:
    config, store_url = setup
    before = config.read_text(encoding="utf-8")
    feed = RESOURCES / "rss2.xml"
    result = run("sources", "add", str(feed), "--name", "local-rss", "--title", "本地 RSS", "--region", "中文圈",
                 "--weight", "2.5", "--config", str(config), "--store", store_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    after = config.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and layout untouched; the table is appended
    cfg = load_config(config)
    added = [s for s in cfg.sources if s.name == "local-rss"]
    assert len(added) == 1 and (added[0].title, added[0].region, added[0].weight) == (
        "本地 RSS",
        "中文圈",
        2.5,
    )
    assert added[0].url == str(feed) and added[0].enabled
    with open_store(store_url) as store:
        got = store.get_source("local-rss")
    assert got is not None and (got.title, got.region, got.weight) == ("本地 RSS", "中文圈", 2.5)

    again = run(
        "sources", "add", str(feed), "--name", "local-rss", "--config", str(config), "--store", store_url
    )
    assert again.exit_code == 1 and "exists already" in again.output
    assert config.read_text(encoding="utf-8") == after
    bad_kind = run(
        "sources", "add", str(feed), "--kind", "nope", "--config", str(config), "--store", store_url
    )
    assert bad_kind.exit_code != 0 and config.read_text(encoding="utf-8") == after

    assert run("sources", "disable", "local-rss", "--config", str(config), "--store", store_url).exit_code == 0
    fetched = run("fetch", "--source", "local-rss", "--config", str(config), "--store", store_url)
    assert fetched.exit_code == 0, fetched.output  # named explicitly: fetched although disabled
    expected = parse_source(Source(name="local-rss", url=str(feed)), feed.read_bytes(), url=str(feed)).entries
    with open_store(store_url) as store:
        assert store.count_entries() == len(expected) > 0
        assert store.get_source("local-rss").last_success is not None  # type: ignore[union-attr]


def test_disable_and_enable_change_one_line_and_the_store(setup: tuple[Path, str]) -> None:
    config, store_url = setup
    original = load_config(config).sources
    name = original[1].name
    before = config.read_text(encoding="utf-8").splitlines()
    result = run("sources", "disable", name, "--config", str(config), "--store", store_url)
    assert result.exit_code == 0, result.output
    after = config.read_text(encoding="utf-8").splitlines()
    changed = [d for d in difflib.ndiff(before, after) if d[:2] in ("- ", "+ ")]
    assert changed in (
        ["+ enabled = false"],
        ["- enabled = true", "+ enabled = false"],
    )  # one line, nothing else
    sources = load_config(config).sources
    assert [s.name for s in sources if not s.enabled] == [name]
    assert [s.model_dump() for s in sources if s.name != name] == [
        s.model_dump() for s in original if s.name != name
    ]
    with open_store(store_url) as store:
        assert {s.name: s.enabled for s in store.list_sources()}[name] is False
    listed = run("sources", "list", "--config", str(config), "--store", store_url)
    assert listed.exit_code == 0 and name in listed.stdout

    result = run("sources", "enable", name, "--config", str(config), "--store", store_url)
    assert result.exit_code == 0, result.output
    assert [s.model_dump() for s in load_config(config).sources] == [s.model_dump() for s in original]
    with open_store(store_url) as store:
        assert all(s.enabled for s in store.list_sources())
    unknown = run("sources", "disable", "no-such-source", "--config", str(config), "--store", store_url)
    assert unknown.exit_code == 1 and "unknown source" in unknown.output


def test_import_opml_appends_new_feeds_once(setup: tuple[Path, str]) -> None:
    config, store_url = setup
    opml = RESOURCES / "subscriptions.opml"
    have = {s.url for s in load_config(config).sources}
    found = parse_opml(opml.read_bytes())
    fresh = list(dict.fromkeys(s.url for s in found if s.url not in have))
    result = run("sources", "import-opml", str(opml), "--config", str(config), "--store", store_url)
    assert result.exit_code == 0, result.output
    assert f"added {len(fresh)} of {len(found)}" in result.stdout
    sources = load_config(config).sources
    assert [s.url for s in sources[-len(fresh) :]] == fresh
    names = [s.name for s in sources]
    assert len(names) == len(set(names))
    with open_store(store_url) as store:
        stored = {s.url for s in store.list_sources()}
    assert set(fresh) <= stored
    text = config.read_text(encoding="utf-8")
    again = run("sources", "import-opml", str(opml), "--config", str(config), "--store", store_url)
    assert again.exit_code == 0 and f"added 0 of {len(found)}" in again.stdout
    assert config.read_text(encoding="utf-8") == text


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        ok = self.path == "/ok.xml"
        body = (RESOURCES / "atom.xml").read_bytes() if ok else b"broken"
        self.send_response(200 if ok else 503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_reports_each_source_and_stores_nothing(
    setup: tuple[Path, str], base: str, tmp_path: Path
) -> None:
    config, store_url = setup
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\n[fetch]\n", "\n[fetch]\nretries = 0\n").replace("retries = 3\n", ""))
    assert load_config(config).fetch.retries == 0
    for name, url in [("remote-ok", f"{base}/ok.xml"), ("remote-bad", f"{base}/bad.xml"),
                      ("local-ok", str(RESOURCES / "rss2.xml")), ("local-gone", str(tmp_path / "nope.xml"))]:  # fmt: skip
        assert (
            run(
                "sources", "add", url, "--name", name, "--config", str(config), "--store", store_url
            ).exit_code
            == 0
        )
    result = run(
        "sources", "check", "remote-ok", "remote-bad", "local-ok", "local-gone", "--config", str(config)
    )
    assert result.exit_code == 1
    failed = {line.split(": ", 2)[1]: line.split(": ", 2)[2] for line in result.output.splitlines()
              if line.startswith("failed: ")}  # fmt: skip
    assert set(failed) == {"remote-bad", "local-gone"}
    assert failed["remote-bad"] == "HTTP 503" and "not found" in failed["local-gone"]
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in result.stdout.splitlines()
            if line.count("│") > 3}  # fmt: skip
    assert rows["remote-ok"] == "2" and rows["local-ok"] == "2"
    with open_store(store_url) as store:
        assert store.count_entries() == 0


def test_list_shows_unhealthy_after_five_failures_in_a_row(setup: tuple[Path, str], tmp_path: Path) -> None:
    config, store_url = setup
    feed = tmp_path / "later.xml"
    assert (
        run(
            "sources", "add", str(feed), "--name", "later", "--config", str(config), "--store", store_url
        ).exit_code
        == 0
    )

    def health() -> str:
        listed = run("sources", "list", "--config", str(config), "--store", store_url)
        assert listed.exit_code == 0
        with open_store(store_url) as store:
            source = store.get_source("later")
        assert source is not None
        return f"{source.failures}:" + ("unhealthy" if "unhealthy" in listed.stdout else "ok")

    for n in range(1, 6):
        result = run("fetch", "--source", "later", "--config", str(config), "--store", store_url)
        assert result.exit_code == 1 and "failed: later: local file not found" in result.output
        assert health() == (f"{n}:unhealthy" if n >= 5 else f"{n}:ok")
    feed.write_bytes((RESOURCES / "rss2.xml").read_bytes())
    assert run("fetch", "--source", "later", "--config", str(config), "--store", store_url).exit_code == 0
    assert health() == "0:ok"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local or metadata"),
        ("http://[fe80::1]/feed", "link-local or metadata"),
        ("gopher://example.com/feed", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("data:text/xml,<rss/>", "not an http(s) URL"),
    ],
)
def test_add_refuses_what_no_fetch_would_take(setup: tuple[Path, str], url: str, reason: str) -> None:
    config, store_url = setup
    before = config.read_text(encoding="utf-8")
    result = run("sources", "add", url, "--name", "bad", "--config", str(config), "--store", store_url)
    assert result.exit_code == 1 and reason in result.output and "Traceback" not in result.output
    assert config.read_text(encoding="utf-8") == before


def test_add_keeps_a_self_hosted_rsshub_on_loopback(setup: tuple[Path, str]) -> None:
    config, store_url = setup
    url = "http://127.0.0.1:1200/wechat/mp/msgalbum/x"
    result = run("sources", "add", url, "--name", "cver", "--config", str(config), "--store", store_url)
    assert result.exit_code == 0, result.output
    assert url in config.read_text(encoding="utf-8")


def test_opml_feeds_that_are_not_urls_are_skipped(setup: tuple[Path, str], tmp_path: Path) -> None:
    config, store_url = setup
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="ok" xmlUrl="https://lab.example/feed.xml"/>'
        '<outline text="passwd" xmlUrl="file:///etc/passwd"/>'
        '<outline text="meta" xmlUrl="http://169.254.169.254/latest/"/>'
        '<outline text="js" xmlUrl="javascript:alert(1)"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = run("sources", "import-opml", str(opml), "--config", str(config), "--store", store_url)
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert "https://lab.example/feed.xml" in text
    assert "/etc/passwd" not in text and "169.254.169.254" not in text and "javascript:" not in text
    assert result.output.count("skipped: ") == 3
