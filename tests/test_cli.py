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
