"""`jianbao run --once` on the bundled samples: fetch, both editions, delivery to a loopback webhook and SMTP
server within budget, the run recorded; the lock refuses a second run; a killed run resumes without
duplicates; source health flags and disables; exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _receivers import smtp_server, webhook
from jianbao.cli import app
from jianbao.config import load_config
from jianbao.deliver.budget import measure
from jianbao.demo import sample_sources
from jianbao.run import EXIT_LOCKED, EXIT_PARTIAL, run_once, today_in
from jianbao.store import open_store


def _config(path: Path, store: str, channels: str = "", extra: str = "") -> Path:
    _day, sources = sample_sources()
    lines = [f'[store]\nurl = "{store}"\n', extra]
    for s in sources:
        lines += ["[[sources]]", f"name = {json.dumps(s.name)}", f"url = {json.dumps(s.url)}",
                  f"kind = {json.dumps(s.kind)}", f"title = {json.dumps(s.title, ensure_ascii=False)}",
                  f"region = {json.dumps(s.region, ensure_ascii=False)}", f"weight = {s.weight}"]  # fmt: skip
        if s.options:
            lines.append("options = { " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in s.options.items()) + " }")
        lines.append("")
    path.write_text("\n".join(lines) + "\n" + channels, encoding="utf-8")
    return path


def _channels(hook_port: int, smtp_port: int) -> str:
    return (
        f'[[channels]]\nname = "team"\nurl = "json://127.0.0.1:{hook_port}/hook"\nbudget = 2000\nform = "text"\n\n'
        f'[[channels]]\nname = "newsletter"\nurl = "smtp://127.0.0.1:{smtp_port}?from=editor@example.com'
        f'&to=readers@example.com&starttls=no"\neditions = ["weekly"]\n'
    )


def test_run_once_fetches_builds_delivers_and_records(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'jianbao.db'}"
    runner = CliRunner()
    with webhook() as hook, smtp_server() as box:
        config = _config(tmp_path / "jianbao.toml", store_url, _channels(hook.port, box.port))
        result = runner.invoke(app, ["run", "--once", "--date", "2026-11-20", "--config", str(config)])
        assert result.exit_code == 0, result.output
        with open_store(store_url) as store:  # a second run while one holds the lock is refused
            lock = store.acquire_run_lock()
            assert lock is not None
            with lock:
                refused = runner.invoke(app, ["run", "--once", "--date", "2026-11-20", "--config", str(config)])
        assert refused.exit_code == EXIT_LOCKED and "another run is in progress" in refused.output
        posts = list(hook.posts)
        again = runner.invoke(app, ["run", "--once", "--date", "2026-11-20", "--config", str(config)])
        assert again.exit_code == 0, again.output
        assert hook.posts == posts and len(box.messages) == 1  # nothing delivered twice
    assert len(posts) >= 2  # the weekly and the daily, each split to fit 2,000 characters
    for post in posts:
        assert measure(post["title"] + "\n" + post["message"], "chars") <= 2000
    assert any("简报" in p["title"] for p in posts) and any("早报" in p["title"] for p in posts)
    [mail] = box.messages
    assert mail["Subject"].startswith("AI 简报") and mail.get_content_type() == "multipart/alternative"
    with open_store(store_url) as store:
        runs = store.latest_runs()
        assert [r.state for r in runs] == ["ok", "ok"]
        first = runs[-1]
        assert first.counts["fetch"]["sources"] == 12 and first.counts["fetch"]["new"] > 100
        # the demo's weekly: 8 numbered (its English-only stories go to 其他 without an LLM; fillers are not numbered)
        assert first.counts["build"]["weekly"]["items"] == 8 and first.counts["build"]["daily"]["items"] > 0
        assert first.counts["deliver"]["newsletter"] == {"weekly": "1/1 sent"}
        assert runs[0].counts["deliver"]["newsletter"] == {"weekly": "0/1 sent, 1 sent before"}
        assert {s.name for s in store.source_health()} == {s.name for s in sample_sources()[1]}
    listed = runner.invoke(app, ["runs", "--json", "--store", store_url])
    assert [r["state"] for r in json.loads(listed.output)] == ["ok", "ok"]


def test_killed_run_resumes_without_duplicates(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'jianbao.db'}"
    with webhook() as hook, smtp_server() as box:
        import threading

        hook.hold = threading.Event()  # the first delivery hangs in the receiver: the run is killed mid-send
        config = _config(tmp_path / "jianbao.toml", store_url, _channels(hook.port, box.port))
        env = {**os.environ, "JIANBAO_CONFIG": str(config)}
        proc = subprocess.Popen([sys.executable, "-c", "from jianbao.cli import main; main()", "run", "--once", "--date", "2026-11-20"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            assert hook.arrived.wait(120), "the run never reached the webhook"
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
        hook.hold.set()
        hook.hold = None
        with open_store(store_url) as store:
            entries = store.count_entries()
            assert store.running_run() is not None  # killed: still marked running
        result = CliRunner().invoke(app, ["run", "--once", "--date", "2026-11-20", "--config", str(config)])
        assert result.exit_code == 0, result.output
    titles = [p["title"] for p in hook.posts]
    assert len(titles) == len(set(titles))  # the message in flight at the kill was not sent again
    assert len(box.messages) == 1
    with open_store(store_url) as store:
        assert store.count_entries() == entries  # the rerun's fetch added nothing
        runs = store.latest_runs()
        assert [r.state for r in runs] == ["ok", "interrupted"] and runs[0].resumed_from == runs[1].id
        assert any("were being sent when a run was killed" in w for w in runs[0].warnings)
        assert {i["id"] for i in store.list_issues()} == {"weekly:2026-11-20", "daily:2026-11-20"}


def test_failing_source_is_flagged_then_disabled_and_the_run_is_partial(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'jianbao.db'}"
    config_path = _config(tmp_path / "jianbao.toml", store_url, extra="[run]\nflag_after = 1\ndisable_after = 2\n")
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text + '\n[[sources]]\nname = "gone"\nurl = "' + str(tmp_path / "missing.xml") + '"\n',
                           encoding="utf-8")  # fmt: skip
    config = load_config(config_path)
    with open_store(store_url) as store:
        first = run_once(store, config, day=dt.date(2026, 11, 20), editions=["daily"])
        second = run_once(store, config, day=dt.date(2026, 11, 20), editions=["daily"])
        third = run_once(store, config, day=dt.date(2026, 11, 20), editions=["daily"])
        health = {h.name: h for h in store.source_health(now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC))}
    assert first.exit_code == EXIT_PARTIAL and first.run.state == "partial"
    assert any("source gone" in e for e in first.run.errors)
    assert "gone" in first.run.counts["fetch"]["flagged"]
    assert second.run.counts["fetch"]["disabled"] == ["gone"]
    assert third.run.counts["fetch"]["skipped"] == ["gone"] and third.exit_code == 0
    assert health["gone"].disabled_by_run and health["gone"].status == "disabled"
    assert health["jiqizhixin"].status == "ok" and health["jiqizhixin"].entries_per_day > 0


def test_today_is_taken_in_the_schedule_time_zone() -> None:
    late_utc = dt.datetime(2026, 11, 19, 22, 30, tzinfo=dt.UTC)  # 06:30 on the 20th in Shanghai
    assert today_in("Asia/Shanghai", late_utc) == dt.date(2026, 11, 20)
    assert today_in("Europe/London", late_utc) == dt.date(2026, 11, 19)


@pytest.mark.postgres
def test_the_run_lock_holds_on_postgresql(pg_store_url: str) -> None:
    with open_store(pg_store_url) as one, open_store(pg_store_url) as two:
        lock = one.acquire_run_lock()
        assert lock is not None
        assert two.acquire_run_lock() is None
        lock.release()
        again = two.acquire_run_lock()
        assert again is not None
        again.release()
