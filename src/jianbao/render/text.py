"""Markdown text helpers every template shares: link text and targets, one-line text, unsafe links defanged,
star counts."""

from __future__ import annotations

import re

from jianbao.render.sanitize import clean_text, safe_url

# How a link of each kind is labelled when its author gave no label ("> 论文：…", "（代码 [链接](…)）").
LABELS = {"paper": "论文", "code": "代码", "project": "项目", "video": "视频", "pdf": "论文"}

_MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)"
)


def format_stars(stars: int) -> str:
    """12345 → 12.3k, as editors write it."""
    if stars >= 1000:
        return f"{stars / 1000:.1f}k".replace(".0k", "k")
    return str(stars)


def mdlink(text: str) -> str:
    """Link text: one line, brackets escaped so the link stays a link."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def mdurl(url: str) -> str:
    """Link target: spaces and parentheses percent-encoded so the Markdown parser keeps the URL whole."""
    return (
        (url or "")
        .strip()
        .replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def mdtext(text: str) -> str:
    """Text on one line: every run of whitespace one space."""
    return re.sub(r"\s+", " ", text or "").strip()


def defang_links(markdown: str) -> str:
    """Markdown links and images whose target is not http(s)/mailto lose the target (keep their text)."""

    def repl(m: re.Match[str]) -> str:
        if safe_url(m.group(3)):
            return m.group(0)
        return "" if m.group(1) else m.group(2)

    return _MD_LINK_RE.sub(repl, markdown)


def mdclean(text: str | None) -> str:
    """Source text for a Markdown line: no HTML, no unsafe link targets, one line."""
    return mdtext(defang_links(clean_text(text or "")))
