"""The static site: every page exists, every relative link resolves, feeds and sitemap are valid, content is safe."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree, html
from typer.testing import CliRunner

from jianbao.archive.site import SiteReport, build_site, item_entities, markdown_html, slug
from jianbao.cli import app
from jianbao.config import Config
from jianbao.records import Issue, Item, Link, Section
from jianbao.store import Store, open_store
from test_publish import demo_issues, make_config

BASE = "https://news.example.org/ai/"
LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"))


def shared_archive() -> Path:
    root = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive"
    if not root.is_dir():
        pytest.skip(f"shared archive not found at {root}")
    return root


def import_archive(store: Store, root: Path) -> int:
    """What ``jianbao import`` does: every issue file, stored as published with its exact text."""
    from jianbao.archive import read_issue_file
    from jianbao.archive.files import find_issue_files

    count = 0
    for path in find_issue_files([root]):
        result = read_issue_file(path)
        if result.issue is None:
            continue
        result.issue.state = "published"
        store.save_issue(result.issue, markdown=path.read_bytes().decode("utf-8", errors="replace"))
        count += 1
    return count


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, SiteReport]]:
    root = shared_archive()
    tmp = tmp_path_factory.mktemp("archive-site")
    store = open_store(f"sqlite:///{tmp / 'archive.db'}")
    assert import_archive(store, root) >= 90
    report = build_site(store, tmp / "site", config=make_config(tmp))
    yield store, report
    store.close()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, SiteReport]]:
    tmp = tmp_path_factory.mktemp("demo-site")
    store = open_store(f"sqlite:///{tmp / 'demo.db'}")
    config = make_config(tmp)
    demo_issues(store, config)
    yield store, build_site(store, tmp / "site", config=config)
    store.close()


@pytest.fixture(params=["archive", "demo"])
def built(request: pytest.FixtureRequest) -> tuple[Store, SiteReport]:
    return request.getfixturevalue(f"{request.param}_site")


def _links(page: Path) -> Iterator[str]:
    tree = html.parse(str(page))
    for tag, attr in LINK_ATTRS:
        for node in tree.iter(tag):
            value = node.get(attr)
            if value is not None:
                yield value


def test_every_page_exists_and_every_relative_link_resolves(built: tuple[Store, SiteReport]) -> None:
    store, report = built
    out = report.out_dir
    issues = store.list_issues()
    assert report.issues == len(issues) > 0
    for name in ("index.html", "archive.html", "search.html", "stats.html", "topics.html", "feed.xml", "atom.xml",
                 "sitemap.xml", "assets/site.css", "assets/search.js", "assets/search-index.js"):  # fmt: skip
        assert (out / name).is_file(), name
    for row in issues:
        assert (out / "issues" / f"{row['date'].isoformat()}-{row['format']}.html").is_file()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == report.pages and len(list((out / "sections").glob("*.html"))) >= 3
    assert list((out / "sources").glob("*.html"))
    checked = 0
    for page in pages:
        for link in _links(page):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {link}"
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            if not parts.path:  # "#anchor" or "?q=" on the same page
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)}: {link} does not resolve"
            checked += 1
    assert checked > 10 * len(pages)


def test_issue_pages_show_the_issue_sanitised(archive_site: tuple[Store, SiteReport]) -> None:
    _store, report = archive_site
    page = html.parse(str(report.out_dir / "issues" / "2021-04-09-weekly.html"))
    body = page.find(".//article")
    assert body is not None and "StyleCLIP" in body.text_content()
    assert not page.findall(".//article//script") and "[TOC]" not in body.text_content()
    old = html.parse(str(report.out_dir / "issues" / "2020-10-30-weekly.html"))
    images = [img.get("src") for img in old.iter("img")]  # the 2020 archive's raw <img> tags became images
    assert "https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20201030113127.png" in images
    assert "&lt;img" not in (report.out_dir / "issues" / "2020-10-30-weekly.html").read_text(encoding="utf-8")


def test_feeds_parse_without_errors_with_dates_in_beijing_time_and_page_links(
    built: tuple[Store, SiteReport],
) -> None:
    store, report = built
    newest = sorted(store.list_issues(), key=lambda r: (r["date"], r["format"]), reverse=True)
    expected = min(30, len(newest))
    rss_text = (report.out_dir / "feed.xml").read_text(encoding="utf-8")
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((report.out_dir / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert len(feed.entries) == expected
        first, top = feed.entries[0], newest[0]
        assert first.link == f"{BASE}issues/{top['date'].isoformat()}-{top['format']}.html"
        published = dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC)
        assert published == dt.datetime.combine(top["date"], dt.time(0, 0), tzinfo=dt.UTC)  # 08:00 +08:00
        assert first.title and first.get("content") and "<script" not in first.content[0].value
        for entry in feed.entries:
            local = entry.link.removeprefix(BASE)
            assert entry.link.startswith(BASE) and (report.out_dir / local).is_file()
    top = newest[0]["date"]
    assert f"<pubDate>{top:%a, %d %b %Y} 08:00:00 +0800</pubDate>" in rss_text


def test_sitemap_lists_every_issue_page(built: tuple[Store, SiteReport]) -> None:
    store, report = built
    tree = etree.parse(str(report.out_dir / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs)) == report.pages
    for row in store.list_issues():
        assert f"{BASE}issues/{row['date'].isoformat()}-{row['format']}.html" in locs
    for loc in locs:
        assert (report.out_dir / loc.removeprefix(BASE)).is_file()


def test_search_index_lists_issues_and_items_with_their_pages(archive_site: tuple[Store, SiteReport]) -> None:
    store, report = archive_site
    index = json.loads((report.out_dir / "search-index.json").read_text(encoding="utf-8"))
    script = (report.out_dir / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert (
        script.startswith("window.JIANBAO_INDEX = ")
        and json.loads(script.split("= ", 1)[1].rstrip(";\n")) == index
    )
    assert sum(r["k"] == "issue" for r in index) == len(store.list_issues())
    assert sum(r["k"] == "item" for r in index) == report.items
    styleclip = [r for r in index if "styleclip" in " ".join(str(v) for v in r.values()).lower()]
    assert (
        styleclip
        and styleclip[0]["u"] == "issues/2021-04-09-weekly.html"
        and styleclip[0]["d"] == "2021-04-09"
    )
    assert "orpatashnik/StyleCLIP" in styleclip[0]["l"]  # the code link's repository is searchable
    assert any("开源" in r["t"] or "开源" in r["c"] for r in index)
    assert all((report.out_dir / r["u"]).is_file() for r in index)
    assert all(r.get("x", "https://").startswith(("http://", "https://")) for r in index)


def test_stats_page_draws_its_charts_as_inline_svg(archive_site: tuple[Store, SiteReport]) -> None:
    _store, report = archive_site
    page = html.parse(str(report.out_dir / "stats.html"))
    svgs = page.findall(".//svg")
    assert len(svgs) == 2
    sources_chart, sections_chart = svgs
    assert len(sources_chart.findall("rect")) == 15  # top 15 sources
    months = {t.text for t in sections_chart.findall("text") if t.get("class") == "tick"}
    assert {"2020-10", "2021-04", "2026-08"} <= months
    entity_cells = page.xpath("//table[@class='entities']//tr/td[1]/text()")
    assert entity_cells and entity_cells == sorted(entity_cells, reverse=True)
    assert "DeepSeek" in page.xpath("string(//table[@class='entities'])")


def test_stats_and_topics_never_count_link_words_as_sources(archive_site: tuple[Store, SiteReport]) -> None:
    """The dailies link their articles as "（[详情](…)）": the link's words are no outlet."""
    _store, report = archive_site
    stats = html.parse(str(report.out_dir / "stats.html"))
    labels = {t.text for t in stats.findall(".//svg")[0].findall("text") if t.get("class") == "lbl"}
    topics = html.parse(str(report.out_dir / "topics.html")).xpath("string(//body)")
    for word in ("详情", "阅读原文"):
        assert word not in labels
        assert word not in topics
    assert "The Decoder" in labels and "36氪" in topics
    assert not list((report.out_dir / "sources").glob(f"{slug('详情')}.html"))


def test_untrusted_text_is_escaped_and_unsafe_links_are_dropped(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    evil = Item(
        title='<script>alert("t")</script>坏标题',
        url="javascript:alert(1)",
        source='<img src=x onerror=alert("s")>',
        section="AI 前沿",
        summary="x",
        links=[Link(url="javascript:alert(2)")],
    )
    issue = Issue(
        date=dt.date(2026, 1, 2), sections=[Section(name="AI 前沿", items=[evil])], state="published"
    )
    markdown = (
        "# t\n\n## 1. [坏链接](javascript:alert(3))\n\n<script>alert(4)</script>\n\n[相对](../secret.md) "
        '![图](./img.png) <img src="x" onerror="alert(5)">\n'
    )
    store.save_issue(issue, markdown=markdown)
    report = build_site(store, tmp_path / "site", config=Config())
    store.close()
    for path in report.files:
        if path.suffix == ".html":
            tree = html.parse(str(path))
            for node in tree.iter():
                attrs = dict(node.attrib) if isinstance(node.tag, str) else {}
                assert not [a for a in attrs if a.startswith("on")], (path, attrs)
                assert not any(v.strip().lower().startswith("javascript") for v in attrs.values()), (
                    path,
                    attrs,
                )
            assert all(
                (s.get("src") or "").startswith(("assets/", "../assets/")) for s in tree.iter("script")
            )
        elif path.suffix == ".xml":  # feeds carry the pages' HTML escaped once: no live tag or handler in it
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?<!&amp;)&lt;script", text) and 'href="javascript' not in text, path
            assert not re.search(r"(?<!&amp;)&lt;img[^&]*onerror", text), path
    page = html.parse(str(tmp_path / "site" / "issues" / "2026-01-02-weekly.html"))
    assert "坏链接" in page.xpath("string(//article)") and "相对" in page.xpath("string(//article)")
    assert not [a for a in page.iter("a") if "secret" in (a.get("href") or "")]
    assert not [img for img in page.iter("img") if img.get("src") in ("./img.png", "x")]


def test_markdown_html_keeps_safe_links_and_makes_images_lazy() -> None:
    body = markdown_html("[StyleCLIP](https://github.com/orpatashnik/StyleCLIP) ![a](https://e.org/a.png)\n")
    assert (
        '<a href="https://github.com/orpatashnik/StyleCLIP" rel="noopener noreferrer">StyleCLIP</a>' in body
    )
    assert '<img loading="lazy" referrerpolicy="no-referrer" src="https://e.org/a.png" alt="a">' in body


def test_rebuild_is_identical_and_removes_only_its_own_stale_pages(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    for day in (dt.date(2026, 1, 2), dt.date(2026, 1, 9)):
        store.save_issue(
            Issue(date=day, state="published", sections=[Section("AI", [Item(title=f"条目 {day}")])])
        )
    out = tmp_path / "site"
    build_site(store, out, config=Config())
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    report = build_site(store, out, config=Config())
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first and report.removed == 0
    store.close()
    smaller = open_store(f"sqlite:///{tmp_path / 'y.db'}")
    smaller.save_issue(
        Issue(date=dt.date(2026, 1, 9), state="published", sections=[Section("AI", [Item(title="一")])])
    )
    report = build_site(smaller, out, config=Config())
    smaller.close()
    assert not (out / "issues" / "2026-01-02-weekly.html").exists() and report.removed >= 1
    assert (out / "issues" / "2026-01-09-weekly.html").is_file() and (out / "mine.txt").is_file()


def test_entities_and_slugs() -> None:
    item = Item(title="发布 V4-Flash，对比 GPT-5.6 与 the Agent API", entity="DeepSeek")
    assert item_entities(item) == ["DeepSeek", "V4-Flash", "GPT-5.6"]
    assert slug("Hacker News") == "hacker-news"
    assert slug("AI 前沿") == slug("AI 前沿") != slug("AI 后沿")
    assert slug("AI 前沿").startswith("ai-") and slug("机器之心").isascii()


def test_cli_site_builds_into_the_given_folder(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'x.db'}"
    store = open_store(store_url)
    store.save_issue(
        Issue(date=dt.date(2026, 1, 2), state="published", sections=[Section("AI", [Item(title="一")])])
    )
    store.close()
    result = CliRunner().invoke(app, ["site", "--out", str(tmp_path / "out"), "--store", store_url])
    assert result.exit_code == 0, result.output
    assert "for 1 issues" in result.output and (tmp_path / "out" / "index.html").is_file()
    assert "Example:" in CliRunner().invoke(app, ["site", "--help"]).output
    assert "Example:" in CliRunner().invoke(app, ["publish", "--help"]).output
