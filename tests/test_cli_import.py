from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.store import open_store

runner = CliRunner()


def test_import_whole_archive_then_reimport_in_place(shared_dir: Path, store_url: str) -> None:
    url = store_url
    result = runner.invoke(app, ["import", str(shared_dir / "archive"), str(shared_dir / "seeds"), "--store", url])
    assert result.exit_code == 1  # the READMEs and the 来源 list are skipped, and the status says so
    assert "skipped: " in result.output and "Traceback" not in result.output
    with open_store(url) as store:
        first = store.counts()
        issues = store.list_issues()
    assert first["issues"] == len(issues) >= 97
    assert {i["format"] for i in issues} == {"weekly", "daily"}
    again = runner.invoke(app, ["import", str(shared_dir / "archive" / "2021"), "--store", url])
    assert again.exit_code == 0
    with open_store(url) as store:
        assert store.counts() == first  # updated in place, never duplicated
        issue, version = store.get_issue("weekly:2021-03-05")  # type: ignore[misc]
        assert version == 3  # archive + seed 003 + this re-import
        assert issue.state == "published" and issue.items[0].title


def test_import_json_writes_nothing(shared_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    files = [str(shared_dir / "archive" / "2021" / "AI简报20210305.md"),
             str(shared_dir / "archive" / "2026" / "AI简报20260616.md")]
    result = runner.invoke(app, ["import", *files, "--json", "--store", url])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["format"] for d in data] == ["weekly", "daily"]
    assert data[0]["intro"]["issue_date"] == "20210305" and data[0]["intro"]["chars_stated"] == 2900
    assert data[1]["date"] == "2026-06-16" and data[1]["items"][0]["priority"] == "red"
    assert not (tmp_path / "b.db").exists()


def test_malformed_inputs_never_traceback_and_store_is_untouched(tmp_path: Path, store_url: str) -> None:
    url = store_url
    good = tmp_path / "AI简报20210101.md"
    good.write_text("[TOC]\n\n> 导读： 本期为 AI 简报 20210101 期\n\n## 1. [标题](https://mp.weixin.qq.com/s/x) | 来源\n\n正文。\n",
                    encoding="utf-8")
    assert runner.invoke(app, ["import", str(good), "--store", url]).exit_code == 0
    with open_store(url) as store:
        before = store.counts()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (bad / "empty.md").write_bytes(b"")
    (bad / "AI简报20210102.md").write_bytes("[TOC]\n> 导读： 本期为 AI 简报 20210102 期\n## 1. [未闭合(https://x".encode("gbk"))
    (bad / "bom.md").write_bytes(b"\xef\xbb\xbf# notes\n")
    result = runner.invoke(app, ["import", str(bad), "--store", url])
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert result.output.count("skipped: ") >= 3
    with open_store(url) as store:
        assert store.get_issue("weekly:2021-01-01") is not None
        after = store.counts()
    assert after["issues"] >= before["issues"]
    missing = runner.invoke(app, ["import", str(tmp_path / "nope"), "--store", url])
    assert missing.exit_code == 1 and "no such file" in missing.output
