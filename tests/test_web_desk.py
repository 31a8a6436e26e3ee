"""The desk's editing loop over HTTP beyond the basics: version history, undo and restore, bulk actions, the
其他 list, new text offered beside the old (extractive and LLM), the landing page, and "already covered"
marks across editions."""

# ruff: noqa: F811  (the fixtures client, config and store_url come from test_web and are parameters here)
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from _llm_server import ChatServer, Reply, serve
from jianbao.config import Config
from jianbao.records import Issue
from jianbao.urls import canonical_url
from test_web import (  # noqa: F401
    DAY,
    _client,
    _draft,
    _pick,
    _post,
    _store,
    _story_id,
    _version,
    client,
    config,
    store_url,
)


def _notes(client: TestClient) -> list[str]:
    return [v.note for v in _store(client).issue_versions(f"weekly:{DAY.isoformat()}")]


def _undo_target(response_text: str) -> int:
    found = re.search(r'data-undo[^>]*hx-vals=\'\{"to": (\d+)', response_text)
    assert found, "no undo offered"
    return int(found.group(1))


def _post_lists(client: TestClient, path: str, data: dict[str, object]) -> object:
    """A form with repeated fields (``indices=0&indices=2``), as the bulk bar sends it."""
    form = {"date": DAY.isoformat(), "format": "weekly", "version": str(_version(client)), **data}
    return client.post(path, data=form, headers={"X-CSRF-Token": client.cookies.get("jianbao_csrf") or ""})


def _no_duplicates(issue: Issue) -> None:
    numbered = {canonical_url(i.url) for i in issue.items if i.url}
    listed = [canonical_url(o.url) for o in issue.other if o.url]
    assert not numbered & set(listed), "a numbered story is also in 其他"
    assert len(listed) == len(set(listed)), "a link is twice in 其他"


# ------------------------------------------------------------------------------------- history, undo
def test_every_step_is_a_version_and_undo_restores_the_one_before(client: TestClient) -> None:
    _pick(client, "YOLO-Nano")
    _pick(client, "agent benchmark")
    before = _version(client)
    dropped = _post(client, "/drop", {"index": 0})
    assert dropped.status_code == 200 and "删除：轻量化目标检测" in dropped.text
    assert _undo_target(dropped.text) == before
    assert [i.title for i in _draft(client).items] == ["A new agent benchmark for reasoning"]
    undone = _post(client, "/restore", {"to": before, "view": "draft"})
    assert undone.status_code == 200 and "恢复到第 2 版" in undone.text
    assert len(_draft(client).items) == 2
    assert _notes(client) == [
        "恢复到第 2 版",
        "删除：轻量化目标检测 YOLO-Nano 开源",
        "选入：A new agent benchmark f…",
        "选入：轻量化目标检测 YOLO-Nano 开源",
    ]
    # the restore is itself a version: undoing it drops the item again
    assert _undo_target(undone.text) == before + 1
    page = client.get("/history")
    assert page.status_code == 200 and "恢复这一版" in page.text and "删除：轻量化目标检测" in page.text
    first = client.get("/history", params={"v": 1})
    assert "YOLO-Nano" in first.text and "agent benchmark" not in first.text.split("version-view", 1)[1]
    assert client.get("/history", params={"v": 99}).status_code == 404
    missing = _post(client, "/restore", {"to": 99})
    assert missing.status_code == 422 and "历史里没有第 99 版" in missing.text


def test_a_draft_saved_outside_the_desk_keeps_its_first_version_for_undo(client: TestClient) -> None:
    """``jianbao build`` saves drafts without a note: the first desk step still records what it replaced."""
    from jianbao.web import desk

    store = _store(client)
    sid = _story_id(client, "YOLO-Nano")
    config = client.app.state.config  # type: ignore[attr-defined]
    draft = desk.load_draft(store, DAY, "weekly", config)
    story = desk.find_story(store, config, DAY, "weekly", sid)
    draft.issue.sections.append(
        desk.Section(
            "AI 前沿", [desk.make_item(story, section="AI 前沿", store=store, config=config, fmt="weekly")]
        )
    )
    store.save_issue(desk.finalize(draft.issue, config))  # as a build would: no note, no history
    assert store.issue_versions(draft.issue.id) == []
    _post(client, "/drop", {"index": 0})
    versions = store.issue_versions(draft.issue.id)
    assert [(v.version, v.note, v.items) for v in versions] == [
        (2, "删除：轻量化目标检测 YOLO-Nano 开源", 0),
        (1, "", 1),
    ]
    assert _post(client, "/restore", {"to": 1}).status_code == 200
    assert len(_draft(client).items) == 1


def test_history_keeps_a_bounded_number_of_versions(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.store import issues

    monkeypatch.setattr(issues, "KEPT_VERSIONS", 3)
    _pick(client, "YOLO-Nano")
    for n in range(5):
        _post(client, "/edit", {"index": 0, "name": "summary", "value": f"第 {n} 稿"})
    assert [v.version for v in _store(client).issue_versions(f"weekly:{DAY.isoformat()}")] == [6, 5, 4]


# ------------------------------------------------------------------------------------------- bulk
def test_bulk_pick_and_drop_are_one_step_each(client: TestClient) -> None:
    ids = [_story_id(client, t) for t in ("YOLO-Nano", "agent benchmark", "深度学习课程")]
    token = client.cookies.get("jianbao_csrf") or ""
    form = {"date": DAY.isoformat(), "format": "weekly", "version": "0", "story_ids": ids}
    picked = client.post("/pick", data=form, headers={"X-CSRF-Token": token})
    assert picked.status_code == 200 and picked.text.lstrip().startswith('<div id="candidate-list">')
    assert {i.story_id for i in _draft(client).items} == set(ids)
    assert _notes(client) == ["选入 3 条"]
    dropped = _post_lists(client, "/drop", {"indices": ["0", "2"]})
    assert dropped.status_code == 200 and len(_draft(client).items) == 1
    assert _notes(client)[0] == "删除 2 条"
    rest = _draft(client).items[0].story_id
    again = client.post(
        "/drop-picked",
        data={
            "date": DAY.isoformat(),
            "format": "weekly",
            "version": str(_version(client)),
            "story_ids": [rest],
        },
        headers={"X-CSRF-Token": token},
    )
    assert again.status_code == 200 and _draft(client).items == []
    assert "撤销" in again.text


def test_moving_several_items_to_another_section(client: TestClient) -> None:
    for title in ("YOLO-Nano", "agent benchmark", "深度学习课程"):
        _pick(client, title)
    target = client.app.state.config.weekly.sections[-1].name  # type: ignore[attr-defined]
    assert _post_lists(client, "/move", {"indices": ["0", "1", "2"], "section": target}).status_code == 200
    assert [s.name for s in _draft(client).sections] == [target]


# ----------------------------------------------------------------------------------------- 其他
def test_the_other_list_is_editable_and_never_repeats_a_numbered_story(client: TestClient) -> None:
    yolo, agent, course = (_story_id(client, t) for t in ("YOLO-Nano", "agent benchmark", "深度学习课程"))
    assert _post(client, "/other/add", {"story_id": yolo}).status_code == 200
    assert [o.title for o in _draft(client).other] == ["轻量化目标检测 YOLO-Nano 开源"]
    listed = client.get("/candidates", params={"q": "YOLO"}).text
    assert "in-other" in listed and "在其他" in listed
    # picking a story that is in 其他 takes it out of 其他
    assert _post(client, "/pick", {"story_id": yolo}).status_code == 200
    issue = _draft(client)
    assert issue.other == [] and len(issue.items) == 1
    refused = _post(client, "/other/add", {"story_id": yolo})
    assert refused.status_code == 422 and "已是编号条目" in refused.text
    for sid in (agent, course):
        _post(client, "/other/add", {"story_id": sid})
    assert [o.title for o in _draft(client).other] == [
        "A new agent benchmark for reasoning",
        "免费的深度学习课程与教程",
    ]
    _post(client, "/other/move", {"index": 1, "direction": "up"})
    _post(client, "/other/edit", {"index": 0, "value": "  免费课程：深度学习\n入门  "})
    assert [o.title for o in _draft(client).other] == [
        "免费课程：深度学习 入门",
        "A new agent benchmark for reasoning",
    ]
    _post(client, "/other/reorder", {"order": "[1, 0]"})
    assert _draft(client).other[0].title == "A new agent benchmark for reasoning"
    assert _post(client, "/other/reorder", {"order": "[0, 0]"}).status_code == 422
    # promote the agent link: it becomes a numbered item worded from its story, and leaves 其他
    promoted = _post(client, "/other/promote", {"index": 0})
    assert promoted.status_code == 200 and "撤销" in promoted.text
    issue = _draft(client)
    assert {i.story_id for i in issue.items} == {yolo, agent}
    assert [o.title for o in issue.other] == ["免费课程：深度学习 入门"]
    _no_duplicates(issue)
    # demote the YOLO item: it leaves the numbered items for the end of 其他
    index = [i.story_id for i in issue.items].index(yolo)
    _post(client, "/other/demote", {"index": index})
    issue = _draft(client)
    assert [i.story_id for i in issue.items] == [agent]
    assert issue.other[-1].title == "轻量化目标检测 YOLO-Nano 开源"
    _no_duplicates(issue)
    page = client.get("/draft").text
    assert page.count('class="other-row"') == 2 and "升为编号" in page
    markdown = client.get("/preview").text
    assert markdown.count("轻量化目标检测 YOLO-Nano 开源") >= 1


def test_the_other_list_is_only_for_an_edition_that_has_one(client: TestClient) -> None:
    sid = _story_id(client, "YOLO-Nano")
    token = client.cookies.get("jianbao_csrf") or ""
    form = {"date": DAY.isoformat(), "format": "daily", "version": "0", "story_id": sid}
    response = client.post("/other/add", data=form, headers={"X-CSRF-Token": token})
    assert response.status_code == 422 and "没有其他列表" in response.text


# ----------------------------------------------------------------------------------- offered text
@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


def _llm_client(tmp_path: Path, store_url: str, chat: ChatServer) -> TestClient:
    config = Config.model_validate(
        {
            "output": {"archive_dir": str(tmp_path / "archive")},
            "llm": {"base_url": chat.url, "model": "test-model", "retries": 0, "timeout": 5},  # type: ignore[attr-defined]
        }
    )
    return _client(config, store_url)


def test_llm_actions_offer_new_text_beside_the_old(tmp_path: Path, store_url: str, chat: ChatServer) -> None:
    answer = '{"title_zh": "全新的 agent 基准", "summary_zh": "一个衡量智能体多步推理的新基准，覆盖 120 个真实任务。"}'
    chat.script = [Reply(answer)]
    with _llm_client(tmp_path, store_url, chat) as client:
        _pick(client, "agent benchmark")
        page = client.get("/draft").text
        for label in ("改写", "翻译", "缩短"):
            assert f">{label}</button>" in page
        before = _draft(client).items[0]
        offered = _post(client, "/propose", {"index": 0, "action": "translate"})
        assert offered.status_code == 200
        assert "全新的 agent 基准" in offered.text and html.escape(before.summary) in offered.text
        # the number check names the number its source does not have, beside the offer
        assert "数字核对：原文里没有 120" in offered.text
        assert _draft(client).items[0].summary == before.summary  # offered, not applied
        prompt = chat.bodies[-1]["messages"]
        assert "翻译" in prompt[0]["content"] and before.summary in prompt[1]["content"]
        taken = _post(
            client,
            "/apply",
            {
                "index": 0,
                "action": "translate",
                "title": "全新的 agent 基准",
                "summary": "一个衡量智能体多步推理的新基准，覆盖 120 个真实任务。",
            },
        )
        assert taken.status_code == 200 and "采用翻译" in taken.text
        item = _draft(client).items[0]
        assert (item.title, item.summary) == (
            "全新的 agent 基准",
            "一个衡量智能体多步推理的新基准，覆盖 120 个真实任务。",
        )
        # words whose numbers the source has pass the check
        chat.script = [Reply('{"title_zh": "智能体推理基准", "summary_zh": "衡量智能体多步推理的新基准。"}')]
        checked = _post(client, "/propose", {"index": 0, "action": "shorten"})
        assert "数字核对：新文本的数字原文里都有" in checked.text
        # a failing LLM is one line for the editor, and nothing changes
        chat.script = [Reply(status=500)]
        failed = _post(client, "/propose", {"index": 0, "action": "rewrite"})
        assert failed.status_code == 422 and "LLM 没能改写" in failed.text
        assert _draft(client).items[0].title == "全新的 agent 基准"


def test_the_desk_explains_where_an_items_text_comes_from(client: TestClient) -> None:
    _pick(client, "YOLO-Nano")
    shown = client.get("/explain", params={"index": 0})
    assert shown.status_code == 200 and 'id="proposal-0"' in shown.text and "文本来源" in shown.text
    assert client.get("/explain", params={"index": 5}).status_code == 422


def test_without_an_llm_only_regenerate_is_offered(client: TestClient) -> None:
    _pick(client, "YOLO-Nano")
    page = client.get("/draft").text
    assert "重新生成摘要" in page and ">翻译</button>" not in page
    refused = _post(client, "/propose", {"index": 0, "action": "translate"})
    assert refused.status_code == 422 and "没有配置 LLM" in refused.text
    assert _post(client, "/propose", {"index": 0, "action": "nonsense"}).status_code == 422


# ----------------------------------------------------------------------------------- landing page
def test_the_landing_page_offers_the_latest_drafts_and_source_health(client: TestClient) -> None:
    first = client.get("/")
    assert first.status_code == 200 and "开始今天的AI 简报" in first.text
    assert "AI 简报" in first.text and "AI 早报" in first.text  # every registered edition
    _pick(client, "YOLO-Nano")
    store = _store(client)
    sources = store.list_sources()
    if not sources:
        pytest.skip("no sample sources in this build")
    broken = sources[0].name
    for _ in range(5):
        store.record_fetch(broken, ok=False, error="HTTP 503")
    assert "上次运行" not in client.get("/").text  # no run recorded yet
    run = store.start_run(trigger="schedule", day=DAY, editions=["weekly", "daily"])
    run.counts = {
        "fetch": {"sources": 12, "failed": 1, "new": 40, "updated": 3},
        "build": {"weekly": {"issue": "weekly:2026-11-20", "state": "built", "items": 9, "repeats": 2}},
    }
    run.warnings = [f"weekly:2026-11-20 #{n} repeats an earlier issue" for n in range(1, 9)]
    run.errors = ["source hf: HTTP 503"]
    run.state = "partial"
    run.ended_at = run.started_at
    store.save_run(run)
    page = client.get("/").text
    assert 'href="/draft?date=2026-11-20&amp;format=weekly" data-resume>继续编辑：AI 简报 20261120 期' in page
    panel = page.split('id="last-run"', 1)[1].split("</section>", 1)[0]
    assert (
        "部分失败" in panel and "抓取 12 个来源" in panel and "1 个失败" in panel and "新文章 40 篇" in panel
    )
    assert "AI 简报：已生成草稿，9 条" in panel and "2 条与往期重复" in panel
    assert 'class="is-error">source hf: HTTP 503' in panel and "还有 3 条" in panel
    rows = re.findall(r'<li class="source-row state-(\w+)">', page)
    assert rows[0] == "unhealthy" and "连续失败 5 次" in page and "HTTP 503" in page
    assert client.get("/favicon.ico").headers["content-type"] == "image/x-icon"


def test_pages_read_the_editions_registry(client: TestClient) -> None:
    from jianbao.editions import editions

    page = client.get("/candidates").text
    for name, edition in editions().items():
        assert f'<option value="{name}"' in page and edition.title in page
    assert client.get("/candidates", params={"format": "monthly"}).status_code == 400


def test_the_filter_form_does_not_repeat_the_page_parameters(client: TestClient) -> None:
    form = re.search(r'<form class="filters" id="filters"[^>]*>', client.get("/candidates").text)
    assert form and 'hx-include="unset"' in form.group(0)


# ------------------------------------------------------------------------------- already covered
def test_a_published_weekly_marks_the_same_days_daily_candidates_and_items(client: TestClient) -> None:
    _pick(client, "YOLO-World 2")  # in the daily's window (the day itself) as well as the weekly's
    assert _post(client, "/publish", {}).status_code == 200
    daily = client.get("/candidates", params={"format": "daily", "q": "YOLO-World"}).text
    assert "已发布 · AI 简报 2026-11-20" in daily
    [sid] = re.findall(r'id="cand-([^"]+)"', daily)
    token = client.cookies.get("jianbao_csrf") or ""
    form = {"date": DAY.isoformat(), "format": "daily", "version": "0", "story_id": sid}
    assert client.post("/pick", data=form, headers={"X-CSRF-Token": token}).status_code == 200
    draft = client.get("/draft", params={"format": "daily"}).text
    assert "is-covered" in draft and "已发布过 · AI 简报 2026-11-20" in draft
