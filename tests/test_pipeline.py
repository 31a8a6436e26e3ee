"""The spine end to end on the bundled samples: a real weekly issue, deterministic, robust to bad feeds."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from jianbao.archive import parse_issue
from jianbao.cli import app
from jianbao.config import Config, parse_config
from jianbao.demo import sample_sources, samples_dir
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.store import open_store

runner = CliRunner()


def _demo(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["demo", "--out", str(out), "--store", f"sqlite:///{tmp_path / (name + '.db')}"])
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_a_real_weekly_issue(tmp_path: Path) -> None:
    out = _demo(tmp_path, "a")
    text = (out / "AI简报20261120.md").read_text(encoding="utf-8")
    assert text.startswith("[TOC]\n\n> 导读： 本期为 AI 简报 20261120 期，将为您带来 ")
    assert re.search(r"> 本文一共 \d+ 字，通篇阅读结束需要 \d+~\d+ 分钟", text)
    parsed = parse_issue(text, path="AI简报20261120.md").data
    items = parsed["items"]
    assert len(items) >= 8
    assert len({i["section"] for i in items}) >= 2
    assert parsed["other"], "a trailing 其他 list"
    assert "> 论文：" in text and "> 代码：" in text
    # no story twice: no URL and no paper/code key printed as the headline of two items
    urls = [i["url"] for i in items] + [o["url"] for o in parsed["other"]]
    assert len(urls) == len(set(urls))
    from jianbao.urls import link_key

    keys = [k for i in items for k in {link_key(u) for u in [i["url"], *i["links"]]} if k]
    assert len(keys) == len(set(keys)), "two items share a paper or code key"


def test_same_inputs_give_byte_identical_output(tmp_path: Path) -> None:
    first, second = _demo(tmp_path, "one"), _demo(tmp_path, "two")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 6
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_feeds_are_reported_by_name_and_the_rest_still_build(tmp_path: Path) -> None:
    _, good = sample_sources()
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    (bad_dir / "empty.xml").write_bytes(b"")
    (bad_dir / "html.xml").write_text("<html><body>502 Bad Gateway</body></html>", encoding="utf-8")
    gbk = '<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>中文</title><item>' \
          "<title>国产大模型开源：轻量化推理提速三倍</title><link>https://example.cn/a/1</link>" \
          "<pubDate>Thu, 19 Nov 2026 08:00:00 +0800</pubDate><description>正文内容。</description></item></channel></rss>"
    (bad_dir / "gbk.xml").write_bytes(gbk.encode("gbk"))
    bad = {"missing": "nope.xml", "empty": "empty.xml", "not-xml": "html.xml", "gbk": "gbk.xml"}
    lines = [f'[[sources]]\nname = "{name}"\nurl = "{bad_dir / file}"\nregion = "中文圈"\n' for name, file in bad.items()]
    lines += [f'[[sources]]\nname = "{s.name}"\nurl = "{s.url}"\nkind = "{s.kind}"\n' for s in good]
    config_path = tmp_path / "jianbao.toml"
    config_path.write_text("\n".join(lines), encoding="utf-8")
    config = parse_config(config_path.read_text(encoding="utf-8"), path=str(config_path))
    url = f"sqlite:///{tmp_path / 'j.db'}"
    with open_store(url) as store:
        store.upsert_entries([])  # nothing yet; the run below must keep everything it adds
    result = runner.invoke(app, ["fetch", "--config", str(config_path), "--store", url], env={"COLUMNS": "200"})
    assert result.exit_code == 1  # something failed, and the status says so
    for name, reason in (("missing", "not found"), ("empty", "empty"), ("not-xml", "not a feed")):
        row = next(line for line in result.output.splitlines() if line.strip("│ ").startswith(name))
        assert reason in row, row
    with open_store(url) as store:
        before = store.count_entries()
        assert before >= 180
        assert any(e.title.startswith("国产大模型开源") for e in store.get_entries(list(range(1, before + 2))))
        issue = build(store, config=config, day=sample_sources()[0], out_dir=tmp_path / "out").issue
        assert len(issue.items) >= 8
        # a second run where the good feeds vanish loses nothing already stored
        for s in config.sources:
            s.url = str(bad_dir / "nope.xml")
        ingest(store, [s for s in _as_sources(config)], config=config)
        assert store.count_entries() == before


def _as_sources(config: Config):  # type: ignore[no-untyped-def]
    from jianbao.ingestion.runner import sources_from_config

    return sources_from_config(config)


def test_samples_folder_ships_with_the_package() -> None:
    assert (samples_dir() / "sources.toml").is_file()
