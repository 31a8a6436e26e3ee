"""The desk on a daily draft: curating the GitHub 趋势 table, and /reorder (what drag and drop posts)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jianbao.config import Config
from jianbao.records import Issue
from jianbao.store import open_store
from jianbao.web import create_app
from jianbao.web.desk import STALE_MESSAGE

if not (Path(str(resources.files("jianbao"))) / "samples" / "sources.toml").is_file():
    pytest.skip("the bundled samples are not installed", allow_module_level=True)

ISSUE_ID = "daily:2026-11-20"


def build_daily_store(path: Path) -> str:
    """A store with the bundled samples ingested and the day's 早报 built as a draft (as ``jianbao build``)."""
    from jianbao.demo import sample_sources
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build

    url = f"sqlite:///{path}"
    day, sources = sample_sources()
    with open_store(url) as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        build(store, config=Config(), day=day, edition="daily")
    return url


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("daily") / "daily.db"
    build_daily_store(path)
    return path


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config.model_validate(
        {"output": {"archive_dir": str(tmp_path / "archive"), "site_dir": str(tmp_path / "site")}}
    )


@pytest.fixture
def client(built: Path, tmp_path: Path, config: Config) -> Iterator[TestClient]:
    from jianbao.demo import sample_sources

    shutil.copy(built, tmp_path / "desk.db")
    day, _ = sample_sources()
    app = create_app(config, f"sqlite:///{tmp_path / 'desk.db'}", today=lambda: day)
    with TestClient(app) as c:
        c.get("/candidates")  # sets the CSRF cookie
        yield c


def _stored(client: TestClient) -> tuple[Issue, int]:
    found = client.app.state.store.get_issue(ISSUE_ID)  # type: ignore[attr-defined]
    assert found is not None
    return found


def _post(
    client: TestClient, path: str, data: dict[str, object], *, version: int | None = None, csrf: bool = True
):  # type: ignore[no-untyped-def]
    form = {
        "date": "2026-11-20",
        "format": "daily",
        "version": _stored(client)[1] if version is None else version,
    }
    form |= data
    headers = {"X-CSRF-Token": client.cookies.get("jianbao_csrf") or ""} if csrf else {}
    return client.post(path, data={k: str(v) for k, v in form.items()}, headers=headers)


def _repos(client: TestClient) -> list[str]:
    return [row.repo for row in _stored(client)[0].trending]


def test_daily_draft_page_shows_the_trending_table_and_the_rows_left_out(client: TestClient) -> None:
    issue, _ = _stored(client)
    assert len(issue.trending) == Config().daily.trending_items
    html = client.get("/draft", params={"format": "daily"}).text
    for row in issue.trending:
        assert f"<code>{row.repo}</code>" in html
    assert html.count('class="trend-row"') == len(issue.trending)
    assert 'class="spare-row"' in html  # the snapshot has more rows than the table shows
    assert 'data-drop="row"' in html and 'data-drag="item"' in html
    weekly = client.get("/draft", params={"format": "weekly"}).text
    assert "GitHub 今日趋势" not in weekly and 'data-drop="row"' not in weekly


def test_drop_restore_move_and_edit_rows(client: TestClient) -> None:
    before, _ = _stored(client)
    repos = [row.repo for row in before.trending]
    dropped = repos[1]
    response = _post(client, "/trending/drop", {"index": 1})
    assert response.status_code == 200, response.text
    issue, _ = _stored(client)
    assert [row.repo for row in issue.trending] == repos[:1] + repos[2:]
    chars = issue.intro.chars
    assert f'"repo": "{dropped}"' in response.text  # now offered for restoring
    assert _post(client, "/trending/restore", {"repo": dropped}).status_code == 200
    assert _repos(client) == repos[:1] + repos[2:] + [dropped]
    assert _stored(client)[0].intro.chars > chars  # the 导读 counts the table too
    again = _post(client, "/trending/restore", {"repo": dropped})
    assert again.status_code == 422 and "已经在趋势表里" in again.text
    unknown = _post(client, "/trending/restore", {"repo": "nobody/nothing"})
    assert unknown.status_code == 422 and "没有这个仓库" in unknown.text
    last = len(repos) - 1
    assert _post(client, "/trending/move", {"index": last, "direction": "up"}).status_code == 200
    assert _repos(client)[last - 1 :] == [dropped, repos[-1]]
    edited = _post(client, "/trending/edit", {"index": 0, "value": "阿里通义千问的新一代\n开源模型"})
    assert edited.status_code == 200 and 'id="draft"' not in edited.text  # autosave: no redraw
    issue, _ = _stored(client)
    assert issue.trending[0].desc == "阿里通义千问的新一代 开源模型"
    preview = client.get("/preview", params={"format": "daily"}).text
    assert f"[`{repos[0]}`](https://github.com/{repos[0]}) — 阿里通义千问的新一代 开源模型。" in preview


def test_reorder_moves_items_across_sections_and_reorders_rows(client: TestClient) -> None:
    issue, _ = _stored(client)
    names = [s.name for s in issue.sections]
    assert names == ["今日精选", "国际动态", "中文圈"]
    sizes = [len(s.items) for s in issue.sections]
    flat = [i.title for i in issue.items]
    top = list(range(sizes[0]))
    world = list(range(sizes[0], sizes[0] + sizes[1]))
    china = list(range(sizes[0] + sizes[1], len(flat)))
    # the first 今日精选 item goes to the head of 中文圈; the rows are reversed
    order = [["今日精选", top[1:]], ["国际动态", world], ["中文圈", [top[0], *china]]]
    rows = list(reversed(range(len(issue.trending))))
    response = _post(client, "/reorder", {"items": json.dumps(order), "trending": json.dumps(rows)})
    assert response.status_code == 200, response.text
    after, _ = _stored(client)
    china_items = next(s for s in after.sections if s.name == "中文圈").items
    assert china_items[0].title == flat[0] and china_items[0].priority == "yellow"
    assert [i.number for i in after.items] == list(range(1, len(flat) + 1))
    assert [r.repo for r in after.trending] == [r.repo for r in reversed(issue.trending)]
    # emptying a section removes it; an unchanged order still saves cleanly
    order = [["今日精选", []], ["国际动态", [*range(len(flat))]]]
    assert _post(client, "/reorder", {"items": json.dumps(order)}).status_code == 200
    assert [s.name for s in _stored(client)[0].sections] == ["国际动态"]


def test_stale_version_is_refused_and_the_newer_save_survives(client: TestClient) -> None:
    stale = _stored(client)[1]
    assert _post(client, "/trending/edit", {"index": 0, "value": "第一个窗口"}).status_code == 200
    rows = json.dumps(list(reversed(range(len(_repos(client))))))
    for path, data in (
        ("/reorder", {"trending": rows}),
        ("/trending/edit", {"index": 0, "value": "第二个窗口"}),
        ("/trending/drop", {"index": 0}),
        ("/trending/move", {"index": 1, "direction": "up"}),
    ):
        response = _post(client, path, data, version=stale)
        assert response.status_code == 409, path
        assert STALE_MESSAGE in response.text
    issue, _ = _stored(client)
    assert issue.trending[0].desc == "第一个窗口"


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/trending/drop", {"index": 99}, "找不到这一行趋势"),
        ("/trending/drop", {"index": -1}, "找不到这一行趋势"),
        ("/trending/edit", {"index": 5, "value": "x"}, "找不到这一行趋势"),
        ("/trending/edit", {"index": 0, "value": "长" * 201}, "说明太长了"),
        ("/trending/move", {"index": 7, "direction": "up"}, "找不到这一行趋势"),
        ("/trending/move", {"index": 0, "direction": "sideways"}, "不能这样移动"),
        ("/reorder", {"trending": "[0, 0, 1, 2, 3]"}, "趋势顺序与草稿对不上"),
        ("/reorder", {"trending": "[0, 1, 2, 3]"}, "趋势顺序与草稿对不上"),
        ("/reorder", {"trending": "[0, 1, 2, 3, 5]"}, "趋势顺序与草稿对不上"),
        ("/reorder", {"trending": "[0, 1, 2, 3, 4.0]"}, "顺序格式不对"),
        ("/reorder", {"trending": "not json"}, "顺序格式不对"),
        ("/reorder", {"items": '[["今日精选", [0]]]'}, "条目顺序与草稿对不上"),
        ("/reorder", {"items": '{"今日精选": [0]}'}, "顺序格式不对"),
        ("/drop", {"index": -1}, "找不到这一条"),
    ],
)
def test_bad_indices_and_orders_are_refused_clearly(
    client: TestClient, path: str, data: dict[str, object], message: str
) -> None:
    before = _stored(client)
    response = _post(client, path, data)
    assert response.status_code == 422, response.text
    assert message in response.text and response.headers["hx-reswap"] == "none"
    assert _stored(client)[1] == before[1]  # nothing saved


def test_unknown_section_and_weekly_rows_are_refused(client: TestClient) -> None:
    n = len(_stored(client)[0].items)
    bad = json.dumps([["不存在的栏目", list(range(n))]])
    response = _post(client, "/reorder", {"items": bad})
    assert response.status_code == 422 and "没有这个栏目：不存在的栏目" in response.text
    weekly = client.post(
        "/reorder",
        data={"date": "2026-11-20", "format": "weekly", "version": "0", "trending": "[]"},
        headers={"X-CSRF-Token": client.cookies.get("jianbao_csrf") or ""},
    )
    assert weekly.status_code == 422 and "这个版本没有 GitHub 趋势表" in weekly.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/reorder", {"trending": "[1, 0, 2, 3, 4]"}),
        ("/trending/drop", {"index": 0}),
        ("/trending/restore", {"repo": "x/y"}),
        ("/trending/move", {"index": 1, "direction": "up"}),
        ("/trending/edit", {"index": 0, "value": "x"}),
    ],
)
def test_csrf_token_is_required(client: TestClient, path: str, data: dict[str, object]) -> None:
    before = _stored(client)
    assert _post(client, path, data, csrf=False).status_code == 403
    token = client.cookies.get("jianbao_csrf") or ""
    evil = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    form = {"date": "2026-11-20", "format": "daily", "version": str(before[1]), **data}
    assert client.post(path, data={k: str(v) for k, v in form.items()}, headers=evil).status_code == 403
    assert _stored(client)[1] == before[1]


def test_publish_writes_the_curated_table(client: TestClient, config: Config) -> None:
    repos = _repos(client)
    assert _post(client, "/trending/drop", {"index": 0}).status_code == 200
    assert _post(client, "/reorder", {"trending": "[3, 0, 1, 2]"}).status_code == 200
    assert _post(client, "/trending/edit", {"index": 0, "value": "编辑写的一句话说明"}).status_code == 200
    response = _post(client, "/publish", {})
    assert response.status_code == 200 and "已发布" in response.text
    text = (config.resolve(config.output.archive_dir) / "2026" / "AI简报20261120.md").read_text(
        encoding="utf-8"
    )
    table = text.split("## ⭐ GitHub 今日趋势（AI）", 1)[1].split("\n---", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("- ")]
    assert [line.split("`")[1] for line in lines] == [repos[4], repos[1], repos[2], repos[3]]
    assert lines[0].startswith(f"- [`{repos[4]}`](https://github.com/{repos[4]}) — 编辑写的一句话说明。")
    assert repos[0] not in text
    assert _post(client, "/trending/drop", {"index": 0}).status_code == 422  # published: no more edits


def test_weekly_draft_offers_empty_sections_as_drop_zones_and_reorder_fills_them(client: TestClient) -> None:
    import re

    html = client.get("/candidates", params={"format": "weekly"}).text
    story_id = re.findall(r'id="cand-([^"]+)"', html)[0]
    form = {"date": "2026-11-20", "format": "weekly", "version": "0", "story_id": story_id}
    headers = {"X-CSRF-Token": client.cookies.get("jianbao_csrf") or ""}
    assert client.post("/pick", data=form, headers=headers).status_code == 200
    found = client.app.state.store.get_issue("weekly:2026-11-20")  # type: ignore[attr-defined]
    issue, version = found
    names = [rule.name for rule in Config().weekly.sections]
    empty = next(name for name in names if name != issue.sections[0].name)
    page = client.get("/draft", params={"format": "weekly"}).text
    assert re.search(rf'class="draft-section is-empty" data-section="{empty}" data-drop="item"', page)
    order = json.dumps([[empty, [0]]])
    form = {"date": "2026-11-20", "format": "weekly", "version": str(version), "items": order}
    response = client.post("/reorder", data=form, headers=headers)
    assert response.status_code == 200, response.text
    issue, _ = client.app.state.store.get_issue("weekly:2026-11-20")  # type: ignore[attr-defined]
    assert [(s.name, len(s.items)) for s in issue.sections] == [(empty, 1)]
    assert issue.items[0].section == empty


def test_computed_one_liner_and_moments_follow_the_items_but_written_ones_stay(client: TestClient) -> None:
    from jianbao.editions.daily import DAILY, one_liner
    from jianbao.issue.moments import built_moments

    before, _version = _stored(client)
    top = before.items[0].title
    assert before.one_liner == one_liner(before.items) and top.split("：")[0] in (before.one_liner or "")
    assert _post(client, "/drop", {"index": 0}).status_code == 200  # the top story goes
    after, _version = _stored(client)
    assert after.items[0].title != top
    assert after.one_liner == one_liner(after.items) != before.one_liner
    assert after.moments == built_moments(after, DAILY.moments) != before.moments
    assert after.one_liner in client.get("/preview?date=2026-11-20&format=daily").text

    # Words an LLM (or the editor) wrote are theirs: a reorder leaves them alone.
    store = client.app.state.store  # type: ignore[attr-defined]
    after.one_liner, after.moments = "编辑写的一句话。", "编辑写的朋友圈。"
    store.save_issue(after, markdown="", expected_version=_version)
    assert _post(client, "/drop", {"index": 0}).status_code == 200
    kept, _version = _stored(client)
    assert (kept.one_liner, kept.moments) == ("编辑写的一句话。", "编辑写的朋友圈。")
