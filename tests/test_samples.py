"""Checks that the bundled offline snapshot (src/jianbao/samples) is complete enough for `jianbao demo`."""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
import re
import tomllib
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import feedparser
import lxml.html
import pytest

SAMPLES = Path(str(files("jianbao") / "samples"))
BEIJING = dt.timezone(dt.timedelta(hours=8))
ARXIV_RE = re.compile(r"arxiv\.org/(abs|pdf)/(\d{4}\.\d{4,5})(v\d+)?(\.pdf)?")
GITHUB_RE = re.compile(r"github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)")
GITEE_RE = re.compile(r"gitee\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return tomllib.loads((SAMPLES / "sources.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def feeds(manifest: dict[str, Any]) -> dict[str, Any]:
    """Every rss-kind source parsed with feedparser, keyed by source name."""
    return {
        s["name"]: feedparser.parse((SAMPLES / s["file"]).read_bytes())
        for s in manifest["source"]
        if s["kind"] == "rss"
    }


def _text(entry: Any) -> str:
    """All text feedparser exposes for an entry: title, link, summary and every content block."""
    parts = [entry.get("title", ""), entry.get("link", ""), entry.get("summary", "")]
    parts += [c.get("value", "") for c in entry.get("content", [])]
    return "\n".join(parts)


def _raw(manifest: dict[str, Any], name: str) -> str:
    source = next(s for s in manifest["source"] if s["name"] == name)
    data = (SAMPLES / source["file"]).read_bytes()
    return data.decode("gbk" if b'encoding="gbk"' in data[:100] else "utf-8")


def _feeds_matching(feeds: dict[str, Any], pattern: re.Pattern[str]) -> dict[str, set[str]]:
    """Map each match of ``pattern`` (group 2 if present, else group 1) to the feeds it occurs in."""
    found: dict[str, set[str]] = defaultdict(set)
    for name, parsed in feeds.items():
        for entry in parsed.entries:
            for m in pattern.finditer(_text(entry)):
                found[m.group(2) if pattern.groups >= 2 else m.group(1)].add(name)
    return found


def _beijing_date(entry: Any) -> dt.date | None:
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if parsed is None:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).astimezone(BEIJING).date()


def test_manifest_shape_and_files(manifest: dict[str, Any]) -> None:
    snapshot = dt.date.fromisoformat(manifest["snapshot_date"])
    assert snapshot.weekday() == 4  # a Friday: the weekly issue day
    names = [s["name"] for s in manifest["source"]]
    assert len(names) == len(set(names))
    for source in manifest["source"]:
        assert re.fullmatch(r"[a-z0-9-]+", source["name"]), source["name"]
        assert source["title"]
        assert source["kind"] in {"rss", "github_trending"}
        assert source["region"] in {"国际", "中文圈"}
        assert 0.5 <= source["weight"] <= 2.0
        assert (SAMPLES / source["file"]).is_file(), source["file"]
    trending = [s for s in manifest["source"] if s["kind"] == "github_trending"]
    assert [(s["name"], s["title"], s["region"]) for s in trending] == [
        ("github-trending", "GitHub Trending", "国际")
    ]


def test_feeds_parse_cleanly_in_both_formats(feeds: dict[str, Any]) -> None:
    assert len(feeds) >= 9
    for name, parsed in feeds.items():
        assert not parsed.bozo, f"{name}: {parsed.get('bozo_exception')}"
        assert parsed.entries, name
    versions = {parsed.version for parsed in feeds.values()}
    assert {"rss20", "atom10"} <= versions


def test_entry_volume_languages_and_regions(feeds: dict[str, Any], manifest: dict[str, Any]) -> None:
    entries = [e for parsed in feeds.values() for e in parsed.entries]
    assert len(entries) >= 170
    chinese = [e for e in entries if CJK_RE.search(e.get("title", ""))]
    english = [e for e in entries if e.get("title") and not CJK_RE.search(_text(e))]
    assert len(chinese) >= 60
    assert len(english) >= 60
    assert {s["region"] for s in manifest["source"]} == {"国际", "中文圈"}


def test_dates_cover_weekly_and_daily_windows(feeds: dict[str, Any], manifest: dict[str, Any]) -> None:
    snapshot = dt.date.fromisoformat(manifest["snapshot_date"])
    dates = [_beijing_date(e) for parsed in feeds.values() for e in parsed.entries]
    known = [d for d in dates if d is not None]
    daily = [d for d in known if snapshot - dt.timedelta(days=1) <= d <= snapshot]
    assert len(daily) >= 40
    assert min(d for d in known if d.month == 11) == dt.date(2026, 11, 6)
    assert max(known) <= snapshot
    assert sum(d.month == 10 for d in known) >= 3  # older items a weekly window must ignore
    assert dates.count(None) >= 1  # the planted unparseable date


def test_gbk_feed_is_really_gbk(manifest: dict[str, Any], feeds: dict[str, Any]) -> None:
    source = next(s for s in manifest["source"] if s["name"] == "51cto-ai")
    data = (SAMPLES / source["file"]).read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="gbk"?>')
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "人工智能" in data.decode("gbk")
    parsed = feeds["51cto-ai"]
    assert parsed.encoding == "gbk"
    assert parsed.feed.title == "51CTO 人工智能"
    assert any("Kimi K3.5" in e.title for e in parsed.entries)


def test_paper_and_code_links_in_all_shapes(feeds: dict[str, Any]) -> None:
    texts = [_text(e) for parsed in feeds.values() for e in parsed.entries]
    matches = [m for t in texts for m in ARXIV_RE.finditer(t)]
    assert len({m.group(2) for m in matches}) >= 30
    assert any(m.group(1) == "abs" and not m.group(3) for m in matches)
    assert any(m.group(1) == "abs" and m.group(3) for m in matches)
    assert any(m.group(1) == "pdf" and m.group(3) and m.group(4) for m in matches)
    assert any(m.group(1) == "pdf" and not m.group(3) for m in matches)
    assert len({m.group(1) for t in texts for m in GITHUB_RE.finditer(t)}) >= 30
    assert len({m.group(1) for t in texts for m in GITEE_RE.finditer(t)}) >= 2
    assert any("项目主页：" in t and "github.io" in t for t in texts)


@pytest.mark.parametrize("arxiv_id", ["2611.04417", "2611.05823", "2611.03150", "2611.02291"])
def test_planted_papers_span_feeds(feeds: dict[str, Any], arxiv_id: str) -> None:
    assert len(_feeds_matching(feeds, ARXIV_RE)[arxiv_id]) >= 2


@pytest.mark.parametrize(
    "repo", ["zhiyuan-lab/OmniParse", "tiny-agents/agentforge", "sjtu-embodied/StreamVLA", "QwenLM/Qwen3.9"]
)
def test_planted_repos_span_feeds_and_trending(feeds: dict[str, Any], repo: str) -> None:
    in_feeds = _feeds_matching(feeds, GITHUB_RE)
    assert len(in_feeds[repo]) >= 2
    trending = (SAMPLES / "github-trending-daily.html").read_text(encoding="utf-8")
    assert f'href="/{repo}"' in trending


@pytest.mark.parametrize(
    ("token", "needs_both_languages"),
    [
        ("GPT-5.7", True),
        ("Gemini 3.8 Flash", True),
        ("Qwen3.9", True),
        ("DeepSeek V4.1", True),
        ("Kimi K3.5", True),
    ],
)
def test_entity_stories_cross_feeds_and_languages(
    feeds: dict[str, Any], token: str, needs_both_languages: bool
) -> None:
    hits = [
        (name, e) for name, parsed in feeds.items() for e in parsed.entries if token in e.get("title", "")
    ]
    assert len({name for name, _ in hits}) >= 2
    if needs_both_languages:
        assert {bool(CJK_RE.search(e.title)) for _, e in hits} == {True, False}


def test_same_wechat_article_with_different_tracking(feeds: dict[str, Any]) -> None:
    by_article: dict[tuple[str, ...], set[tuple[str, str]]] = defaultdict(set)
    for name, parsed in feeds.items():
        for entry in parsed.entries:
            link = entry.get("link", "")
            if "mp.weixin.qq.com/s?" in link:
                q = parse_qs(urlsplit(link).query)
                key = tuple(q[k][0] for k in ("__biz", "mid", "idx", "sn"))
                by_article[key].add((name, link))
    shared = [v for v in by_article.values() if len({n for n, _ in v}) >= 2]
    assert len(shared) == 1
    assert len({link for _, link in shared[0]}) == 2


def test_tracking_params_on_repo_link(feeds: dict[str, Any]) -> None:
    weekly = feeds["github-ai-weekly"].entries
    tracked = [e.link for e in weekly if "utm_source=" in e.link]
    assert tracked
    assert any(
        urlsplit(u)._replace(query="").geturl() == "https://github.com/zhiyuan-lab/OmniParse" for u in tracked
    )


def test_planted_broken_entries(feeds: dict[str, Any], manifest: dict[str, Any]) -> None:
    assert sum("title" not in e for e in feeds["the-decoder"].entries) == 1
    assert sum("link" not in e for e in feeds["xinzhiyuan"].entries) == 1
    undated = [e for e in feeds["arxiv-cs"].entries if _beijing_date(e) is None]
    assert [e.id for e in undated] == ["oai:arXiv.org:2611.07655v1"]
    assert sum(not e.get("summary", "").strip() for e in feeds["openai-news"].entries) == 1
    raw_qbit = _raw(manifest, "qbitai")
    assert "<script>alert(1)</script>" in raw_qbit
    assert "<img src=x onerror=alert(1)>" in raw_qbit
    broken = next(e for e in feeds["jizhi-shutong"].entries if "YOLO26" in e.title)
    raw_html = _raw(manifest, "jizhi-shutong")
    body = raw_html[raw_html.index(broken.title) :].split("<![CDATA[", 2)[2].split("]]>")[0]
    assert body.count("<p>") > body.count("</p>")
    entries = feeds["jiqizhixin"].entries
    signatures = [(e.title, e.link, e.content[0].value) for e in entries]
    assert len(signatures) - len(set(signatures)) == 1


def test_wechat_boilerplate_present(feeds: dict[str, Any]) -> None:
    bodies = "\n".join(
        c.value
        for name in ("jiqizhixin", "qbitai", "xinzhiyuan", "jizhi-shutong")
        for e in feeds[name].entries
        for c in e.content
    )
    for line in (
        "点击上方蓝字关注我们",
        "扫码加入",
        "欢迎点击阅读原文",
        "作者：",
        "编辑：",
        "来源：",
        "【广告】",
        "论文地址：",
        "代码：",
    ):
        assert line in bodies, line
    assert bodies.count("mmbiz.qpic.cn") >= 60


def test_sections_have_material(feeds: dict[str, Any]) -> None:
    titles = [e.get("title", "") for parsed in feeds.values() for e in parsed.entries]
    welfare = [
        t for t in titles if re.search(r"课程|教材|免费|数据集|Course|dataset|tokens of clean", t, re.I)
    ]
    assert len(welfare) >= 6


def test_images_in_lab_blogs(feeds: dict[str, Any]) -> None:
    assert all(e.get("media_content") for e in feeds["openai-news"].entries)
    assert all(
        any(link.get("rel") == "enclosure" for link in e.links) for e in feeds["deepmind-blog"].entries
    )
    assert all("<img" in e.content[0].value for e in feeds["huggingface-blog"].entries)


def test_trending_snapshot_markup() -> None:
    doc = lxml.html.fromstring((SAMPLES / "github-trending-daily.html").read_bytes())
    rows = doc.xpath('//article[contains(concat(" ", @class, " "), " Box-row ")]')
    assert len(rows) >= 20
    repos, ai = [], 0
    for row in rows:
        href = row.xpath('.//h2[contains(@class, "lh-condensed")]/a/@href')[0]
        assert re.fullmatch(r"/[\w.-]+/[\w.-]+", href)
        repos.append(href)
        stars = row.xpath('.//a[contains(@href, "/stargazers")]')[0].text_content().strip()
        assert int(stars.replace(",", "")) > 0
        today = row.xpath('.//span[contains(@class, "float-sm-right")]')[0].text_content().strip()
        assert re.fullmatch(r"[\d,]+ stars today", today)
        assert row.xpath('.//a[contains(@href, "/forks")]')
        desc = " ".join(row.xpath('.//p[contains(@class, "color-fg-muted")]/text()'))
        ai += bool(
            re.search(
                r"\b(LLM|agents?|model|diffusion|RAG|inference|attention|Mixture-of-Experts|AI)\b", desc
            )
        )
    assert len(set(repos)) == len(repos)
    assert 10 <= ai <= 15
    assert len(rows) - ai >= 5
    assert rows[0].xpath('.//span[@itemprop="programmingLanguage"]')[0].text == "Python"


def test_committed_files_match_generator(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "tools" / "build_samples.py"
    if not script.is_file():
        pytest.skip("generator not present (installed package)")
    spec = importlib.util.spec_from_file_location("_build_samples", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.build(tmp_path):
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), path.name
