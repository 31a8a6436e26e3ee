"""The static archive site: every stored issue as a page, indexes, offline search, feeds, sitemap and stats.

Pages link to each other with relative links only, so the folder works opened from disk (file://) as well as
from any web root. Everything that came from a source is sanitised: issue bodies go Markdown → HTML
(markdown-it, raw HTML off) → ``clean_html``; every other value passes through Jinja2's autoescape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from jianbao.config import Config
from jianbao.editions import editions
from jianbao.errors import ConfigError
from jianbao.issue.section import LINK_WORDS
from jianbao.records import Issue, Item
from jianbao.render import get_renderer
from jianbao.render.sanitize import clean_html, clean_text, safe_url
from jianbao.store import Store

TZ = dt.timezone(dt.timedelta(hours=8))
PUBLISH_TIME = dt.time(8, 0)  # issues go out in the morning, Beijing time
FEED_ISSUES = 30
MANIFEST = ".jianbao-site"
ASSETS = ("site.css", "search.js")
PALETTE = ("#2f6f9f", "#d9822b", "#3f9f6f", "#b5485d", "#7a5fb0", "#8c8c3a", "#3aa0a8", "#a0703a", "#999999")

_TEMPLATES = Path(__file__).parent / "templates"
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*[A-Za-z0-9]|[A-Za-z]\d*")
_ENTITY_STOP = frozenset(
    {
        "a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "by", "is", "at", "vs", "via", "from",
        "ai", "api", "apis", "llm", "llms", "gpu", "gpus", "agi", "agent", "agents", "model", "models", "new",
        "open", "source", "app", "apps", "cli", "sdk", "code", "pro", "max", "mini", "plus", "ceo", "ipo",
        "hn", "sota", "show", "ask", "this", "how", "why", "what", "your", "our", "it", "its", "based", "using",
    }
)  # fmt: skip
_RAW_IMG = re.compile(r"<img\s[^>]*?src=[\"'](https?://[^\"'\s]+)[\"'][^>]*>", re.IGNORECASE)
_RAW_CENTER = re.compile(r"</?center>", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HREF = re.compile(r'<a href="([^"]*)"')
_IMG = re.compile(r'<img src="([^"]*)"[^>]*>')


@dataclasses.dataclass(slots=True)
class SiteReport:
    """What ``build_site`` wrote."""

    out_dir: Path
    issues: int = 0
    items: int = 0
    pages: int = 0  # HTML pages
    files: list[Path] = dataclasses.field(default_factory=list)
    removed: int = 0  # stale files of an earlier build
    seconds: float = 0.0


@dataclasses.dataclass(slots=True)
class _Entry:
    """One item as the site's lists and search show it."""

    title: str
    url: str  # external, safe, or ""
    sources: list[str]
    section: str
    tags: list[str]
    entities: list[str]
    links: str = ""  # what paper/code links name, e.g. "orpatashnik/StyleCLIP arxiv 2103.17249"
    snippet: str = ""  # the summary's beginning, plain text


@dataclasses.dataclass(slots=True)
class _Page:
    """One issue with what its page and the indexes need."""

    issue: Issue
    title: str
    href: str  # from the site root, e.g. "issues/2026-08-22-daily.html"
    body: str  # sanitised HTML
    summary: str
    entries: list[_Entry]

    @property
    def date(self) -> dt.date:
        return self.issue.date

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.combine(self.issue.date, PUBLISH_TIME, tzinfo=TZ)


# ------------------------------------------------------------------------------------------------ build
# What ``build_site`` reports to its ``progress`` callback, in order.
SITE_STEPS = ("reading issues", "rendering pages", "writing files")


def build_site(
    store: Store, out_dir: Path, *, config: Config, progress: Callable[[str], None] | None = None
) -> SiteReport:
    """Build (or rebuild) the site of every issue in the store into ``out_dir``.

    Rebuilding is idempotent (the same store gives byte-identical files) and removes pages a previous build
    wrote that no longer exist (an issue deleted since), never anything else in the folder. ``progress`` is
    told each of ``SITE_STEPS`` as it starts.
    """
    step = progress or (lambda _name: None)
    started = time.perf_counter()
    step("reading issues")
    pages = load_pages(store)
    step("rendering pages")
    files = render_site(pages, base_url=config.output.site_url)
    step("writing files")
    report = SiteReport(out_dir=out_dir, issues=len(pages), items=sum(len(p.entries) for p in pages))
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST
    before = set(manifest.read_text(encoding="utf-8").split("\n")) if manifest.exists() else set()
    for name, content in sorted(files.items()):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        report.files.append(path)
    for stale in sorted(before - set(files) - {""}):
        target = (out_dir / stale).resolve()
        if target.is_file() and target.is_relative_to(out_dir.resolve()):
            target.unlink()
            report.removed += 1
    manifest.write_text("\n".join(sorted(files)), encoding="utf-8")
    report.pages = sum(name.endswith(".html") for name in files)
    report.seconds = time.perf_counter() - started
    return report


def load_pages(store: Store) -> list[_Page]:
    """Every stored issue, oldest first, with its sanitised HTML body."""
    pages = []
    for row in sorted(store.list_issues(), key=lambda r: (r["date"], r["format"])):
        got = store.get_issue(row["id"])
        if got is None:
            continue
        issue, _version = got
        markdown = store.get_markdown(issue.id)
        if markdown is None:
            markdown = _markdown_of(issue)
        pages.append(
            _Page(
                issue=issue,
                title=issue_title(issue),
                href=f"issues/{issue.date.isoformat()}-{issue.format}.html",
                body=markdown_html(markdown),
                summary=issue_summary(issue),
                entries=[
                    _entry(item, issue, section.name) for section in issue.sections for item in section.items
                ],
            )
        )
    return pages


def render_site(pages: Sequence[_Page], *, base_url: str) -> dict[str, str]:
    """All files of the site, by path relative to its root. Pure: the same pages give the same files."""
    env = _env()
    base_url = base_url.rstrip("/") + "/"
    newest = sorted(pages, key=lambda p: (p.date, p.issue.format), reverse=True)
    sections = _group(pages, lambda e: [e.section] if e.section else [])
    tags = _group(pages, lambda e: e.tags)
    sources = _group(pages, lambda e: e.sources)
    slugs = {
        "sections": {name: f"sections/{slug(name)}.html" for name in sections},
        "tags": {name: f"tags/{slug(name)}.html" for name in tags},
        "sources": {name: f"sources/{slug(name)}.html" for name in sources},
    }
    common = {"site_title": "AI 简报", "slugs": slugs, "latest": newest[0] if newest else None}
    files: dict[str, str] = {}

    def page(path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        files[path] = env.get_template(template).render(root=root, here=path, **common, **context)

    page("index.html", "home.html", recent=newest[:12], total=len(pages))
    page("archive.html", "archive.html", years=_by_year_month(newest), total=len(pages))
    for i, p in enumerate(newest):
        newer = newest[i - 1] if i > 0 else None
        older = newest[i + 1] if i + 1 < len(newest) else None
        page(p.href, "issue.html", page=p, newer=newer, older=older)
    for kind, groups, label in (
        ("sections", sections, "栏目"),
        ("tags", tags, "标签"),
        ("sources", sources, "来源"),
    ):
        for name, hits in groups.items():
            page(slugs[kind][name], "list.html", kind=label, name=name, hits=hits)
    page(
        "topics.html",
        "topics.html",
        sections=_counted(sections, slugs["sections"]),
        tags=_counted(tags, slugs["tags"]),
        sources=_counted(sources, slugs["sources"]),
    )
    page("search.html", "search.html")
    page("stats.html", "stats.html", **stats(pages))
    index = search_index(newest)
    files["search-index.json"] = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # A script, not fetch(): browsers refuse fetch() of a local file, and the site must work from disk.
    files["assets/search-index.js"] = "window.JIANBAO_INDEX = " + files["search-index.json"] + ";\n"
    for asset in ASSETS:
        files[f"assets/{asset}"] = (_TEMPLATES / asset).read_text(encoding="utf-8")
    rss, atom = feeds(newest[:FEED_ISSUES], base_url=base_url)
    files["feed.xml"] = rss
    files["atom.xml"] = atom
    html_pages = sorted(name for name in files if name.endswith(".html"))
    files["sitemap.xml"] = env.get_template("sitemap.xml").render(
        urls=[(base_url + name, _lastmod(name, pages)) for name in html_pages]
    )
    return files


# ------------------------------------------------------------------------------------------ issue bodies
@functools.cache
def _markdown_it() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def _markdown_of(issue: Issue) -> str:
    """An issue stored without its Markdown: the house layout, or a plain list when it was never composed."""
    try:
        return get_renderer("markdown").render(issue)
    except (ValueError, KeyError, TypeError, jinja2.UndefinedError, ConfigError):
        lines = []
        for section in issue.sections:
            lines += [f"# {section.name}", ""]
            lines += [
                f"- [{item.title}]({item.url})" if safe_url(item.url) else f"- {item.title}"
                for item in section.items
            ]
            lines.append("")
        return "\n".join(lines)


def markdown_html(markdown: str) -> str:
    """Issue Markdown as safe HTML: raw HTML off, sanitised, links and images absolute http(s) only (a relative
    link of the source file would point nowhere on the site), external images lazy and without referrer."""
    text = re.sub(r"(?m)^\s*\[TOC\]\s*$", "", markdown)
    text = _RAW_IMG.sub(lambda m: f"![]({m.group(1)})", text)  # the 2020 archive's <img> tags
    text = _RAW_CENTER.sub("", text)
    text = re.sub(r"\A\s*#\s[^\n]*\n", "", text)  # the page prints the title itself
    body = clean_html(_markdown_it().render(text))
    body = _HREF.sub(lambda m: '<a href="' + m.group(1) + '"' if _linkable(m.group(1)) else "<a", body)
    body = _IMG.sub(
        lambda m: (
            m.group(0).replace("<img ", '<img loading="lazy" referrerpolicy="no-referrer" ', 1)
            if safe_url(m.group(1))
            else ""
        ),
        body,
    )
    return body


def _linkable(href: str) -> bool:
    return bool(safe_url(href.replace("&amp;", "&")))


def issue_title(issue: Issue) -> str:
    # Leading emoji (🤖) read as boxes where no emoji font is installed, and lists align better without.
    title = re.sub(r"^[^\w\u4e00-\u9fff]+", "", clean_text(issue.title)).strip()
    if title:
        return title
    edition = editions().get(issue.format)  # an issue of an edition no longer installed keeps a plain label
    return edition.short_title_of(issue.date) if edition else f"{issue.format} {issue.date:%Y%m%d}"


def issue_summary(issue: Issue) -> str:
    """A line or two for lists and feeds: the one-liner, else the first titles."""
    if issue.one_liner:
        return clean_text(issue.one_liner).strip()
    titles = [_entry(item, issue).title for item in issue.items[:4]]
    return "；".join(t for t in titles if t)


def _entry(item: Item, issue: Issue, section: str = "") -> _Entry:
    title = clean_text(item.title).strip()
    entity = clean_text(item.entity or "").strip()
    if entity and not title.startswith(entity):
        title = f"{entity} {title}"
    url = safe_url(item.url) or next((safe_url(link.url) for link in item.links if safe_url(link.url)), "")
    names = item.sources or ([item.source] if item.source else [])
    cleaned = (clean_text(s).strip() for s in names if s)
    sources = [s for s in cleaned if s and s not in LINK_WORDS]  # "详情" is a link's words, not a source
    return _Entry(
        title=title,
        url=url,
        sources=list(dict.fromkeys(sources)),
        section=clean_text(item.section or section).strip(),
        links=" ".join(dict.fromkeys(_link_words(link.url) for link in item.links if safe_url(link.url))),
        snippet=_snippet(item.summary),
        tags=[clean_text(t).strip() for t in item.tags if t.strip()],
        entities=[name for name in item_entities(item) if not _is_outlet(name, sources)],
    )


def _link_words(url: str) -> str:
    """The searchable part of a link: host-less path such as ``orpatashnik/StyleCLIP`` or an arXiv id."""
    parts = urlsplit(url)
    return (parts.netloc.removeprefix("www.").split(".")[0] + " " + parts.path.strip("/")).strip()


def _snippet(summary: str, limit: int = 90) -> str:
    text = _MD_IMAGE.sub("", summary or "")
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"[*_`>#|]+|\s+", " ", clean_text(text)).strip()
    return _short(text, limit)


def _is_outlet(name: str, sources: Sequence[str]) -> bool:
    """The daily falls back to the outlet when a title names nobody; an outlet is not a story's entity."""
    low = name.lower()
    return any(s.lower().startswith(low) or low.startswith(s.lower()) for s in sources)


def item_entities(item: Item) -> list[str]:
    """The daily's bold entity plus the Latin model and brand names of the title (``GPT-5.6``, ``StyleCLIP``)."""
    out: dict[str, str] = {}
    if item.entity:
        name = clean_text(item.entity).strip()
        if name:
            out[name.lower()] = name
    for token in _LATIN_TOKEN.findall(clean_text(item.title)):
        named = any(c.isupper() for c in token) or any(c.isdigit() for c in token)
        version = re.fullmatch(r"[vV]?\d[\d.]*[a-zA-Z]?", token)
        if named and not version and len(token) >= 2 and token.lower() not in _ENTITY_STOP:
            out.setdefault(token.lower(), token)
    return list(out.values())


def slug(name: str) -> str:
    """A file-name-safe, stable slug: its ASCII words, plus a short hash when anything else was in the name."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    if ascii_part and re.fullmatch(r"[A-Za-z0-9 ._\-]+", name):
        return ascii_part
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else digest


# ---------------------------------------------------------------------------------------------- indexes
def _group(pages: Sequence[_Page], keys: Any) -> dict[str, list[tuple[_Page, _Entry]]]:
    groups: dict[str, list[tuple[_Page, _Entry]]] = defaultdict(list)
    for p in sorted(pages, key=lambda p: (p.date, p.issue.format), reverse=True):
        for e in p.entries:
            for key in keys(e):
                groups[key].append((p, e))
    return dict(sorted(groups.items()))


def _counted(groups: dict[str, list[Any]], links: dict[str, str]) -> list[tuple[str, str, int]]:
    return sorted(
        ((name, links[name], len(hits)) for name, hits in groups.items()), key=lambda r: (-r[2], r[0])
    )


def _by_year_month(newest: Sequence[_Page]) -> list[tuple[int, list[tuple[int, list[_Page]]]]]:
    years: dict[int, dict[int, list[_Page]]] = {}
    for p in newest:
        years.setdefault(p.date.year, {}).setdefault(p.date.month, []).append(p)
    return [(y, sorted(months.items(), reverse=True)) for y, months in sorted(years.items(), reverse=True)]


def search_index(newest: Sequence[_Page]) -> list[dict[str, Any]]:
    """What the offline search filters: issues and their items, with page links relative to the site root."""
    rows: list[dict[str, Any]] = []
    for p in newest:
        day = p.date.isoformat()
        rows.append({"k": "issue", "t": p.title, "d": day, "u": p.href, "s": "", "c": p.summary[:120]})
        for e in p.entries:
            row = {
                "k": "item",
                "t": e.title,
                "d": day,
                "u": p.href,
                "s": "、".join(e.sources),
                "c": e.section,
            }
            if e.url:
                row["x"] = e.url
            if e.tags:
                row["g"] = "、".join(e.tags)
            if e.links:
                row["l"] = e.links
            if e.snippet:
                row["m"] = e.snippet
            rows.append(row)
    return rows


def _lastmod(name: str, pages: Sequence[_Page]) -> str | None:
    for p in pages:
        if p.href == name:
            return p.date.isoformat()
    return None


# ------------------------------------------------------------------------------------------------ feeds
def feeds(newest: Sequence[_Page], *, base_url: str) -> tuple[str, str]:
    """RSS 2.0 and Atom of the newest issues (full content), dated at 08:00 +08:00 of the issue's day."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(base_url)
    fg.title("AI 简报")
    fg.subtitle("AI 简报（周刊）与 AI 早报")
    fg.description("AI 简报（周刊）与 AI 早报")
    fg.link(href=base_url, rel="alternate")
    fg.language("zh-CN")
    fg.generator("jianbao")
    updated = newest[0].when if newest else dt.datetime(2020, 1, 1, tzinfo=TZ)
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for p in reversed(newest):  # feedgen prepends: the newest ends up first
        url = base_url + p.href
        fe = fg.add_entry()
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(p.title)
        fe.link(href=url, rel="alternate")
        fe.published(p.when)
        fe.updated(p.when)
        fe.description(p.summary or p.title)
        fe.content(p.body, type="html")
    rss_gen = _copy_with_self(fg, base_url + "feed.xml")
    rss = rss_gen.rss_str(pretty=True).decode("utf-8")
    atom_gen = _copy_with_self(fg, base_url + "atom.xml")
    atom = atom_gen.atom_str(pretty=True).decode("utf-8")
    return rss, atom


def _copy_with_self(fg: Any, href: str) -> Any:
    import copy

    out = copy.deepcopy(fg)
    out.link(href=href, rel="self")
    return out


# ------------------------------------------------------------------------------------------------ stats
def stats(pages: Sequence[_Page]) -> dict[str, Any]:
    """The stats page's three charts as inline SVG, computed from the pages alone."""
    per_source = Counter(s for p in pages for e in p.entries for s in e.sources)
    per_month: dict[str, Counter[str]] = defaultdict(Counter)
    entities: dict[str, Counter[str]] = defaultdict(Counter)
    for p in pages:
        month = f"{p.date:%Y-%m}"
        for e in p.entries:
            per_month[month][e.section or "（无栏目）"] += 1
            entities[month].update(e.entities)
    months = sorted(per_month)
    totals = Counter[str]()
    for counter in per_month.values():
        totals.update(counter)
    top_sections = [name for name, _n in totals.most_common(len(PALETTE) - 1)]
    series = top_sections + (["其他"] if len(totals) > len(top_sections) else [])
    stacks = [
        (m, [per_month[m][s] for s in top_sections] + ([sum(per_month[m].values()) - sum(per_month[m][s] for s in top_sections)] if "其他" in series else []))
        for m in months
    ]  # fmt: skip
    entity_rows = [(m, entities[m].most_common(5)) for m in sorted(entities, reverse=True) if entities[m]][
        :12
    ]
    return {
        "n_issues": len(pages),
        "n_items": sum(len(p.entries) for p in pages),
        "n_sources": len(per_source),
        "sources_svg": bar_chart(per_source.most_common(15)),
        "sections_svg": stacked_chart(stacks, series),
        "legend": list(zip(series, PALETTE, strict=False)),
        "entity_rows": entity_rows,
        "entity_max": max((n for _m, row in entity_rows for _e, n in row), default=1),
    }


def bar_chart(rows: Sequence[tuple[str, int]], *, width: int = 640, bar: int = 20, gap: int = 6) -> Markup:
    """Horizontal bars with labels, as an inline SVG."""
    label_w, value_w = 150, 48
    height = max(1, len(rows)) * (bar + gap) + gap
    peak = max((n for _name, n in rows), default=1)
    parts = [
        f'<svg class="chart" role="img" aria-label="每个来源的条目数" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, n) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = (width - label_w - value_w) * n / peak
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar * 0.72:.1f}" text-anchor="end" class="lbl">{escape(_short(name, 14))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" rx="3" fill="{PALETTE[0]}"><title>{escape(name)}: {n}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.72:.1f}" class="val">{n}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_chart(
    stacks: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], *, height: int = 240
) -> Markup:
    """Vertical stacked bars per month (one colour per section), as an inline SVG."""
    width, left, right, bottom, top = 640, 34, 28, 50, 10
    step = (width - left - right) / max(1, len(stacks))
    col, gap = step * 0.72, step * 0.28
    peak = max((sum(v) for _m, v in stacks), default=1) or 1
    plot = height - bottom - top
    parts = [
        f'<svg class="chart" role="img" aria-label="每月各栏目条目数" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{left}" y1="{top + plot}" x2="{width}" y2="{top + plot}" class="axis"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" class="val">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot}" text-anchor="end" class="val">0</text>',
    ]
    for i, (month, values) in enumerate(stacks):
        x = round(left + gap / 2 + i * step, 1)
        y: float = top + plot
        for j, v in enumerate(values):
            if not v:
                continue
            h = plot * v / peak
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{col:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(month)} {escape(series[j])}: {v}</title></rect>"
            )
        parts.append(
            f'<text x="{x + col / 2:.1f}" y="{top + plot + 8}" class="tick" '
            f'transform="rotate(60 {x + col / 2:.1f} {top + plot + 8})">{escape(month)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------- templates
@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cn_date"] = lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日"
    env.filters["month_name"] = lambda m: f"{m} 月"
    env.globals["weekday"] = lambda d: "一二三四五六日"[d.weekday()]
    return env
