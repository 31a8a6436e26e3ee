from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jianbao import __version__
from jianbao.cli import app
from jianbao.store.migrations import MIGRATIONS

runner = CliRunner()


def test_version_and_help_on_every_command() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout

    def walk(group, path):  # type: ignore[no-untyped-def]
        import click

        for name, cmd in group.commands.items():
            yield [*path, name], cmd
            if isinstance(cmd, click.Group):
                yield from walk(cmd, [*path, name])

    import typer.main

    root = typer.main.get_command(app)
    seen = 0
    for path, cmd in walk(root, []):
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        if not hasattr(cmd, "commands"):
            assert "Example:" in result.stdout, f"{' '.join(path)} --help has no example"
        seen += 1
    assert seen >= 10


def test_init_writes_a_valid_commented_config(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "brief")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "brief" / "jianbao.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count("[[sources]]") >= 10 and "# 国际 or 中文圈" not in text
    assert (tmp_path / "home").is_dir()  # the data folder
    again = runner.invoke(app, ["init", str(tmp_path / "brief")])
    assert again.exit_code == 1 and "already exists" in again.output
    ok = runner.invoke(app, ["config", "--config", str(path)])
    assert ok.exit_code == 0 and "16 enabled" in ok.stdout


def test_bad_config_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "jianbao.toml"
    path.write_text('[daily]\ntop_items = "three"\n', encoding="utf-8")
    result = runner.invoke(app, ["config", "--config", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith(f"error: {path}:2: daily.top_items:")
    assert "Traceback" not in result.output


def test_config_from_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.toml"
    path.write_text("[weekly]\nmax_items = 0\n", encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2 and "weekly.max_items" in result.output


def test_store_option_and_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "x.db"
    result = runner.invoke(app, ["db", "info", "--store", f"sqlite:///{db}"])
    assert result.exit_code == 0 and db.exists() and f"schema  version {len(MIGRATIONS)}" in result.stdout
    db2 = tmp_path / "y.db"
    monkeypatch.setenv("JIANBAO_STORE", f"sqlite:///{db2}")
    assert runner.invoke(app, ["issues"]).exit_code == 0
    assert db2.exists()
    # default: a SQLite file in the data folder
    monkeypatch.delenv("JIANBAO_STORE")
    assert runner.invoke(app, ["issues"]).exit_code == 0
    assert (tmp_path / "home" / "jianbao.db").exists()


def test_almanac_and_count(tmp_path: Path) -> None:
    assert runner.invoke(app, ["almanac", "2021-03-05"]).stdout.strip() == "今日惊蛰，一候桃始华"
    assert runner.invoke(app, ["almanac", "20210402"]).stdout.strip() == "明日寒食节"
    bad = runner.invoke(app, ["almanac", "2021-13-01"])
    assert bad.exit_code == 1 and "not a date" in bad.output
    md = tmp_path / "x.md"
    md.write_text("# 标题\n\n这是一段中文，含 GPT-5.6 与 [链接](https://example.com/very/long/url)。\n", encoding="utf-8")
    out = runner.invoke(app, ["count", str(md)])
    assert out.exit_code == 0
    assert out.stdout.strip() == "本文一共 15 字，通篇阅读结束需要 1~1 分钟"
    missing = runner.invoke(app, ["count", str(tmp_path / "none.md")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_build_on_an_empty_store_is_one_line_and_exit_1(tmp_path: Path) -> None:
    for fmt in ("weekly", "daily"):
        result = runner.invoke(app, ["build", "--date", "2026-11-20", "--format", fmt,
                                     "--store", f"sqlite:///{tmp_path / 'e.db'}", "--out", str(tmp_path / "o")])
        assert result.exit_code == 1, result.output
        assert "error: no entries published between" in result.output and "Traceback" not in result.output
        assert not (tmp_path / "o").exists()


def test_every_command_takes_config_and_store() -> None:
    import click

    from jianbao._docs import _commands

    for path, cmd in _commands():
        if isinstance(cmd, click.Group) or hasattr(cmd, "commands"):
            continue
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"--config", "--store"} <= opts, " ".join(path)


def test_init_with_store_and_config_path(tmp_path: Path) -> None:
    target = tmp_path / "etc" / "brief.toml"
    url = f"sqlite:///{tmp_path / 'team.db'}"
    result = runner.invoke(app, ["init", str(tmp_path / "d"), "--config", str(target), "--store", url])
    assert result.exit_code == 0, result.output
    from jianbao.config import load_config

    assert load_config(target).store.url == url
    bad = runner.invoke(app, ["init", str(tmp_path / "e"), "--store", "mysql://nope"])
    assert bad.exit_code == 1 and "unsupported store backend" in bad.output
    assert not (tmp_path / "e" / "jianbao.toml").exists()


# -- issue 15: a newcomer's edges ------------------------------------------------------------------------


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_a_store_folder_that_does_not_exist_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    result = runner.invoke(app, ["stories", "--store", f"sqlite:///{missing / 'x.db'}"])
    assert result.exit_code == 2 and "no such folder for the store" in result.output
    assert _lines(result.output)[0].startswith("error:") and not (tmp_path / "no").exists()


def test_a_file_that_is_not_a_store_is_one_line_and_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n" * 100, encoding="utf-8")
    result = runner.invoke(app, ["stories", "--store", f"sqlite:///{notes}"])
    assert result.exit_code == 2, result.output
    assert f"{notes} is not a jianbao store" in result.output
    assert "sqlalche.me" not in result.output and "Traceback" not in result.output
    assert notes.read_text(encoding="utf-8").startswith("my notes")  # left as it was


def test_unknown_choices_are_refused_with_the_valid_ones(tmp_path: Path) -> None:
    demo = runner.invoke(app, ["demo", "--format", "pdf", "--out", str(tmp_path / "out")])
    assert demo.exit_code == 2 and "weekly or daily" in demo.output and not (tmp_path / "out").exists()
    render = runner.invoke(app, ["render", "2026-11-20", "--format", "monthly"])
    assert render.exit_code == 2 and "weekly or daily" in render.output and "monthly" in render.output


def test_the_readme_commands_find_the_demo(tmp_path: Path) -> None:
    """After `jianbao demo`, `stories`, `search`, `build --explain` and `serve`'s store are the demo's."""
    demo = runner.invoke(app, ["demo", "--out", str(tmp_path / "out")])
    assert demo.exit_code == 0, demo.output
    assert "jianbao stories --date 2026-11-20" in demo.output and "--store" not in demo.output
    stories = runner.invoke(app, ["stories", "--date", "2026-11-20"])
    assert stories.exit_code == 0 and "stories:" in stories.output, stories.output
    today = runner.invoke(app, ["stories"])  # today has nothing: the latest date with data is named
    assert "the latest entries are of 2026-11-20: try --date 2026-11-20" in today.output, today.output
    search = runner.invoke(app, ["search", "OpenAI"])
    assert search.exit_code == 0 and "\n0 hits" not in search.output and " hits" in search.output
    build = runner.invoke(app, ["build", "--explain", "--out", str(tmp_path / "b")])
    assert build.exit_code == 1 and "try --date 2026-11-20" in build.output
    explain = runner.invoke(app, ["build", "--explain", "--date", "2026-11-20", "--out", str(tmp_path / "b")])
    assert explain.exit_code == 0 and "picks for weekly:2026-11-20" in explain.output, explain.output


def test_the_demo_keeps_out_of_a_store_with_the_editors_own_sources(tmp_path: Path) -> None:
    from jianbao.config import default_store_url
    from jianbao.records import Source
    from jianbao.store import open_store

    with open_store(default_store_url()) as store:
        store.sync_sources([Source(name="my-own-feed", url="https://example.com/feed.xml")])
    demo = runner.invoke(app, ["demo", "--out", str(tmp_path / "out"), "--format", "daily"])
    assert demo.exit_code == 0, demo.output
    assert "demo.db" in demo.output and "--store sqlite:///" in demo.output
    with open_store(default_store_url()) as store:
        assert store.count_entries() == 0  # the editor's store was left alone
