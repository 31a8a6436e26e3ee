"""Plugins: jianbao's own features and an installed package's come through the same hooks (jianbao.plugins).

The installed-plugin tests build the packages in tests/plugins/ offline, install them into a temporary folder
and run `jianbao` in a fresh interpreter with that folder on PYTHONPATH, as a user's install would be seen.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jianbao.ingestion.sources as sources
from jianbao import hookimpl, plugins
from jianbao.cli import app
from jianbao.config import OutputSettings, parse_config
from jianbao.errors import ConfigError
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.records import Issue, Item, Section, Source, issue_from_dict
from jianbao.render import get_renderer, render, renderers

PACKAGES = Path(__file__).parent / "plugins"
RSS = Path(__file__).parent / "resources" / "sources" / "rss2.xml"
DAY = "2026-03-11"
HELLO_LINES = [
    "2026-03-10\thttps://hello.example/1\t你好，第一条消息\t插件送来的第一条消息，讲的是一个新模型。",
    "2026-03-09\thttps://hello.example/2\t你好，第二条消息\t插件送来的第二条消息，讲的是一个开源项目。",
]


def _install(package: str, target: Path) -> Path:
    """Build and install tests/plugins/<package> into ``target`` offline, from a copy (the build writes
    build/ and *.egg-info beside the sources)."""
    source = target.parent / f"{package}-src"
    shutil.copytree(PACKAGES / package, source)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return target


@pytest.fixture(scope="module")
def hello_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _install("jianbao_hello", tmp_path_factory.mktemp("hello") / "site")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _install("jianbao_broken", tmp_path_factory.mktemp("broken") / "site")


def _jianbao(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`jianbao ARGS` in a new interpreter that sees the packages installed in ``site``."""
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from jianbao.cli import main; main()", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, (done.stdout[-1000:], done.stderr[-2000:])
    return done.stdout


def test_an_installed_plugin_adds_a_source_kind_and_a_format(hello_site: Path, tmp_path: Path) -> None:
    feed = tmp_path / "news.hello"
    feed.write_text("\n".join(HELLO_LINES) + "\n", encoding="utf-8")
    config = tmp_path / "jianbao.toml"
    # Two worker processes from the start: the plugin's kind is parsed in a worker, which loads the plugin too.
    # Its greetings are about no topic: a relevance threshold of 0 lets an AI briefing print them (#17).
    config.write_text(
        '[output]\nformats = ["markdown", "hello"]\n\n[fetch]\nworkers = 2\n\n[relevance]\nthreshold = 0.0\n',
        encoding="utf-8",
    )
    store = f"sqlite:///{tmp_path / 'hello.db'}"
    common = ("--config", str(config), "--store", store)

    _ok(_jianbao(hello_site, "sources", "add", str(feed), "--kind", "hello", "--name", "hi", *common))
    _ok(_jianbao(hello_site, "fetch", *common))
    out = tmp_path / "out"
    built = _ok(_jianbao(hello_site, "build", "--date", DAY, "--format", "weekly", "--out", str(out), *common))

    hello = out / "AI简报20260311.hello.txt"
    assert str(hello) in built
    assert hello.read_text(encoding="utf-8") == "你好 AI 简报 20260311 期\n- 你好，第一条消息\n- 你好，第二条消息\n"
    markdown = (out / "AI简报20260311.md").read_text(encoding="utf-8")  # the built-in format beside it
    # numbered as the week's biggest stories, named by the feed's own title (the source has none): #17
    assert "## 1. [你好，第一条消息](https://hello.example/1) | hello" in markdown

    again = tmp_path / "again"  # the stored draft, re-rendered in the plugin's format only
    _ok(_jianbao(hello_site, "render", DAY, "--as", "hello", "--out", str(again), *common))
    assert [p.name for p in again.iterdir()] == ["AI简报20260311.hello.txt"]
    refused = _jianbao(hello_site, "sources", "add", str(feed), "--kind", "podcast", *common)
    assert refused.returncode == 2 and refused.stderr.strip() == (
        "error: --kind must be one of arxiv, github_trending, hackernews, hello, page, rss, not 'podcast'"
    )

    listed = json.loads(_ok(_jianbao(hello_site, "plugins", "--json")))
    assert listed == [{
        "name": "jianbao-hello", "version": "0.1.0", "hooks": ["register_renderers", "register_source_kinds"],
        "registered": {"register_source_kinds": ["hello"], "register_renderers": ["hello"]}, "builtin": False,
    }]  # fmt: skip
    assert "jianbao-hello 0.1.0\n  register_renderers: hello\n" in _ok(_jianbao(hello_site, "plugins"))


def test_a_plugins_format_is_checked_like_the_built_ins(hello_site: Path, tmp_path: Path) -> None:
    config = tmp_path / "jianbao.toml"
    config.write_text('[output]\nformats = ["markdown", "pdf"]\n', encoding="utf-8")
    refused = _jianbao(hello_site, "config", "--config", str(config))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        f"error: {config}:2: output.formats[1]: unknown output format; "
        "known: email, hello, json, markdown, moments, plain, wechat (got 'pdf')"
    ]
    config.write_text('[output]\nformats = ["hello"]\n', encoding="utf-8")
    _ok(_jianbao(hello_site, "config", "--config", str(config)))


def test_a_plugin_that_fails_to_import_is_one_line_and_the_built_ins_work(
    broken_site: Path, tmp_path: Path
) -> None:
    listed = _jianbao(broken_site, "plugins", "--json")
    assert json.loads(_ok(listed)) == []
    assert listed.stderr.splitlines() == [
        "plugin 'broken' (jianbao_broken) failed to load and is skipped: "
        "RuntimeError: jianbao_broken cannot start: its settings are missing"
    ]

    store = f"sqlite:///{tmp_path / 'rss.db'}"
    config = tmp_path / "jianbao.toml"
    config.write_text("[fetch]\nworkers = 2\n", encoding="utf-8")  # workers load the plugins too, quietly
    common = ("--config", str(config), "--store", store)
    _ok(_jianbao(broken_site, "sources", "add", str(RSS), "--name", "blog", *common))
    fetched = _jianbao(broken_site, "fetch", *common)
    _ok(fetched)
    assert fetched.stderr.count("failed to load") == 1 and "Traceback" not in fetched.stderr
    out = tmp_path / "out"
    _ok(_jianbao(broken_site, "build", "--date", DAY, "--format", "weekly", "--out", str(out), *common))
    assert "Gemma" in (out / "AI简报20260311.md").read_text(encoding="utf-8")


# In this process: jianbao's own plugins.


def test_the_built_ins_are_plugins_registered_first() -> None:
    own = plugins.plugins(builtin=True)
    assert [p.name for p in own] == list(plugins.DEFAULT_PLUGINS)
    assert all(p.builtin and len(p.hooks) == 1 for p in own)
    sources.kinds(), renderers()  # each registry fills itself on first use
    by_name = {p.name: p for p in plugins.plugins(builtin=True)}
    assert by_name["jianbao.ingestion.sources.rss"].registered == {"register_source_kinds": ["rss"]}
    assert by_name["jianbao.render.issue_json"].registered == {"register_renderers": ["json"]}
    assert plugins.plugins() == []  # nothing installed in the test environment


def test_every_hook_is_one_documented_function() -> None:
    from jianbao import hookspecs

    hooks = {name for name in vars(hookspecs) if name.startswith("register_")}
    assert hooks == {"register_source_kinds", "register_renderers", "register_editions", "register_channels"}
    for name in hooks:
        assert getattr(hookspecs, name).__doc__.count("\n") == 0, f"{name}: one line"


class _Kind:
    def __init__(self, name: str) -> None:
        self.name = name

    def requests(self, source: Source) -> list[str]:
        return [source.url]

    def parse(self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
        return ParsedFeed(entries=[])


@pytest.fixture
def fresh_kinds(monkeypatch: pytest.MonkeyPatch) -> Callable[[object], None]:
    """The source-kind registry refilled from scratch with one more plugin registered after jianbao's own."""
    sources.kinds()
    monkeypatch.setattr(plugins, "_filled", set())
    monkeypatch.setattr(plugins, "_registered", {})
    monkeypatch.setattr(plugins, "_problems", [])
    monkeypatch.setattr(sources, "_registry", {})
    monkeypatch.setattr(sources, "_from_plugins", {})
    pm = plugins.manager()

    def add(plugin: object) -> None:
        pm.register(plugin, "extra")

    yield add
    if pm.has_plugin("extra"):
        pm.unregister(name="extra")


def test_a_plugin_replaces_a_built_in_of_the_same_name(fresh_kinds: Callable[[object], None]) -> None:
    mine = _Kind("rss")

    class Replacing:
        @hookimpl
        def register_source_kinds(self, register: Callable[[SourceKind], None]) -> None:
            register(mine)

    fresh_kinds(Replacing())
    assert sources.get_kind("rss") is mine and sources.registered_by_plugin("rss")
    runtime = _Kind("arxiv")
    sources.register(runtime)  # registered at run time: wins, but a worker process would not know it
    assert sources.get_kind("arxiv") is runtime and not sources.registered_by_plugin("arxiv")


def test_a_plugin_whose_hook_raises_is_reported_and_skipped(fresh_kinds: Callable[[object], None]) -> None:
    class Failing:
        @hookimpl
        def register_source_kinds(self, register: Callable[[SourceKind], None]) -> None:
            raise RuntimeError("no\nkinds today")

    fresh_kinds(Failing())
    assert sources.kinds() == ["arxiv", "github_trending", "hackernews", "page", "rss"]
    assert plugins.problems() == [
        "plugin 'extra': register_source_kinds failed and is skipped: RuntimeError: no kinds today"
    ]


# The json format, which [output] formats always listed: now it exists.


def test_the_json_format_is_the_issue_as_the_store_keeps_it() -> None:
    issue = Issue(
        date=datetime(2026, 3, 13).date(), format="weekly", title="AI 简报 20260313 期",
        sections=[Section(name="AI 前沿", items=[Item(number=1, title="模型发布", url="https://a.example/1")])],
    )  # fmt: skip
    text = render(issue, "json")
    assert get_renderer("json").suffix == ".json" and text.endswith("}\n") and "模型发布" in text
    assert issue_from_dict(json.loads(text)) == issue


def test_output_formats_ask_the_registry() -> None:
    assert parse_config('[output]\nformats = ["json"]\n').output.formats == ["json"]
    with pytest.raises(ConfigError) as caught:
        parse_config('[output]\nformats = ["markdown", "pdf"]\n', path="j.toml")
    assert str(caught.value) == (
        "j.toml:2: output.formats[1]: unknown output format; known: email, json, markdown, moments, plain, wechat (got 'pdf')"
    )
    settings = OutputSettings()
    with pytest.raises(ValueError, match="unknown output format"):
        settings.formats = ["docx"]


def test_render_as_checks_every_format_before_any_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["render", "2021-03-05", "--as", "json", "--as", "pdf",
                                      "--store", f"sqlite:///{tmp_path / 'none.db'}"])  # fmt: skip
    assert result.exit_code == 2
    assert "--as must be one of email, json, markdown, moments, plain, wechat, not 'pdf'" in result.output
    assert not (tmp_path / "none.db").exists()


def test_the_desk_accepts_every_registered_edition(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from fastapi import HTTPException

    import jianbao.editions as registry
    from jianbao.web.routes._pages import where

    with pytest.raises(HTTPException) as caught:
        where(None, "2026-03-11", "monthly")  # type: ignore[arg-type]  # a date is given: no state needed
    assert caught.value.status_code == 400 and caught.value.detail == "format must be one of weekly, daily"
    monkeypatch.setattr(registry, "_EDITIONS", dict(registry.editions()))
    registry.register_edition(dataclasses.replace(registry.get_edition("weekly"), name="monthly"))
    assert where(None, "2026-03-11", "monthly") == (datetime(2026, 3, 11).date(), "monthly")  # type: ignore[arg-type]


def test_each_registry_imports_only_the_built_ins_of_its_hook() -> None:
    """``_BUILTIN_HOOKS`` names, for each hook, exactly jianbao's own modules that implement it (a registry
    imports only those: an ingest does not import the renderers)."""
    import importlib

    implementing: dict[str, list[str]] = {}
    for name in plugins.DEFAULT_PLUGINS:
        module = importlib.import_module(name)
        for hook in ("register_source_kinds", "register_renderers", "register_editions", "register_channels"):
            if hasattr(module, hook):
                implementing.setdefault(hook, []).append(name)
    assert {hook: tuple(names) for hook, names in implementing.items()} == plugins._BUILTIN_HOOKS


def test_loading_the_source_kinds_imports_no_renderer() -> None:
    code = (
        "import sys; from jianbao.ingestion import sources; sources.kinds(); "
        "print(sorted(m for m in sys.modules if m.startswith(('jianbao.render', 'jianbao.deliver', 'jianbao.editions'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
