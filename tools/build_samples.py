"""Regenerate the bundled offline snapshot in src/jianbao/samples/ from the content written in tools/sample_content.py.

The feeds are plain files that ship with the package; this script only exists so they can be edited as data
(one dict per entry) rather than as hand-escaped XML. Run: ``python tools/build_samples.py``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any


def _load_content() -> ModuleType:
    """Load the sibling data module by path so importing this script never touches sys.path."""
    spec = importlib.util.spec_from_file_location(
        "_sample_content", Path(__file__).with_name("sample_content.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sc = _load_content()
OUT = Path(__file__).resolve().parents[1] / "src" / "jianbao" / "samples"
BUILD_DATE = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cdata(text: str) -> str:
    assert "]]>" not in text
    return f"<![CDATA[{text}]]>"


def _when(entry: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(entry["d"])


def _rfc822(entry: dict[str, Any]) -> str:
    if "raw_date" in entry:
        return entry["raw_date"]
    return email.utils.format_datetime(_when(entry))


def _iso(entry: dict[str, Any]) -> str:
    if "raw_date" in entry:
        return entry["raw_date"]
    when = _when(entry)
    text = when.isoformat()
    return text.replace("+00:00", "Z")


def _digest(text: str, n: int = 32) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def _rss(feed: dict[str, Any], *, encoding: str = "UTF-8") -> str:
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">',
        "<channel>",
        f"<title>{_esc(feed['title'])}</title>",
        f"<link>{_esc(feed['link'])}</link>",
        f'<atom:link href="{_esc(feed["self"])}" rel="self" type="application/rss+xml"/>',
        f"<description>{_esc(feed['description'])}</description>",
        f"<language>{feed['language']}</language>",
        f"<lastBuildDate>{email.utils.format_datetime(BUILD_DATE)}</lastBuildDate>",
    ]
    if feed.get("generator"):
        parts.append(f"<generator>{_esc(feed['generator'])}</generator>")
    if feed.get("image"):
        parts.append(
            f"<image><url>{_esc(feed['image'])}</url><title>{_esc(feed['title'])}</title>"
            f"<link>{_esc(feed['link'])}</link></image>"
        )
    for entry in feed["entries"]:
        parts.append(_rss_item(entry))
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


def _rss_item(entry: dict[str, Any]) -> str:
    lines = ["<item>"]
    if entry.get("t") is not None:
        lines.append(f"  <title>{_esc(entry['t'])}</title>")
    if entry.get("l"):
        lines.append(f"  <link>{_esc(entry['l'])}</link>")
    guid = entry.get("guid") or entry.get("l") or _digest(entry.get("t") or entry["body"])
    permalink = "true" if guid == entry.get("l") else "false"
    lines.append(f'  <guid isPermaLink="{permalink}">{_esc(guid)}</guid>')
    lines.append(f"  <pubDate>{_esc(_rfc822(entry))}</pubDate>")
    if entry.get("author"):
        lines.append(f"  <dc:creator>{_esc(entry['author'])}</dc:creator>")
    for cat in entry.get("cats", []):
        lines.append(f"  <category>{_esc(cat)}</category>")
    if "desc" in entry:
        lines.append(f"  <description>{_cdata(entry['desc'])}</description>")
    if "body" in entry:
        lines.append(f"  <content:encoded>{_cdata(entry['body'])}</content:encoded>")
    if entry.get("media"):
        lines.append(
            f'  <media:content url="{_esc(entry["media"])}" medium="image" width="1200" height="675"/>'
        )
    if entry.get("enclosure"):
        lines.append(f'  <enclosure url="{_esc(entry["enclosure"])}" type="image/jpeg" length="0"/>')
    for tag, value in entry.get("extra_tags", []):
        lines.append(f"  <{tag}>{_esc(value)}</{tag}>")
    lines.append("</item>")
    return "\n".join(lines)


def _atom(feed: dict[str, Any]) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="{feed["language"]}">',
        f"<title>{_esc(feed['title'])}</title>",
        f"<subtitle>{_esc(feed['description'])}</subtitle>",
        f"<id>{_esc(feed['self'])}</id>",
        f'<link href="{_esc(feed["link"])}" rel="alternate" type="text/html"/>',
        f'<link href="{_esc(feed["self"])}" rel="self" type="application/atom+xml"/>',
        f"<updated>{BUILD_DATE.isoformat()}</updated>",
    ]
    if feed.get("generator"):
        parts.append(f"<generator>{_esc(feed['generator'])}</generator>")
    if feed.get("image"):
        parts.append(f"<icon>{_esc(feed['image'])}</icon>")
    for entry in feed["entries"]:
        parts.append(_atom_entry(entry))
    parts += ["</feed>", ""]
    return "\n".join(parts)


def _atom_entry(entry: dict[str, Any]) -> str:
    lines = ["<entry>"]
    if entry.get("t") is not None:
        lines.append(f'  <title type="html">{_esc(entry["t"])}</title>')
    ident = entry.get("guid") or entry.get("l") or "urn:sha1:" + _digest(entry.get("t") or "")
    lines.append(f"  <id>{_esc(ident)}</id>")
    if entry.get("l"):
        lines.append(f'  <link href="{_esc(entry["l"])}" rel="alternate" type="text/html"/>')
    lines.append(f"  <published>{_esc(_iso(entry))}</published>")
    lines.append(f"  <updated>{_esc(_iso(entry))}</updated>")
    if entry.get("author"):
        lines.append(f"  <author><name>{_esc(entry['author'])}</name></author>")
    for cat in entry.get("cats", []):
        lines.append(f'  <category term="{_esc(cat)}"/>')
    if "desc" in entry:
        lines.append(f'  <summary type="html">{_cdata(entry["desc"])}</summary>')
    if "body" in entry:
        lines.append(f'  <content type="html">{_cdata(entry["body"])}</content>')
    if entry.get("media"):
        lines.append(f'  <media:thumbnail url="{_esc(entry["media"])}" width="1200" height="675"/>')
    lines.append("</entry>")
    return "\n".join(lines)


def _manifest(feeds: list[dict[str, Any]]) -> str:
    lines = [
        "# Bundled offline snapshot used by `jianbao demo`. Written for jianbao; fictional but realistic.",
        f'snapshot_date = "{sc.SNAPSHOT_DATE}"     # the weekly demo builds the issue for this date (a Friday)',
        "",
    ]
    for feed in [*feeds, sc.TRENDING_SOURCE]:
        lines += [
            "[[source]]",
            f'name = "{feed["name"]}"',
            f'title = "{feed["title"]}"',
            f'kind = "{feed.get("kind", "rss")}"',
            f'file = "{feed["file"]}"',
            f'region = "{feed["region"]}"',
            f"weight = {feed['weight']}",
            "",
        ]
    return "\n".join(lines)


def build(out: Path = OUT) -> list[Path]:
    """Write every snapshot file into ``out`` and return their paths (tests build into a temp dir and diff)."""
    out.mkdir(parents=True, exist_ok=True)
    feeds = sc.feeds()
    for feed in feeds:
        encoding = feed.get("encoding", "UTF-8")
        text = _atom(feed) if feed["format"] == "atom" else _rss(feed, encoding=encoding)
        (out / feed["file"]).write_bytes(text.encode("gbk" if encoding.lower() == "gbk" else "utf-8"))
    (out / sc.TRENDING_SOURCE["file"]).write_bytes(sc.trending_html().encode("utf-8"))
    (out / "sources.toml").write_bytes(_manifest(feeds).encode("utf-8"))
    return [out / f["file"] for f in feeds] + [out / sc.TRENDING_SOURCE["file"], out / "sources.toml"]


def main() -> None:
    paths = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {len(paths)} files to {paths[0].parent}")


if __name__ == "__main__":
    main()
