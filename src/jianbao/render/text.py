"""Markdown text helpers every template shares: link text and targets, one-line text, unsafe links defanged
(``defang_links`` is the URL gate's, re-exported here for the renderers), star counts."""

from __future__ import annotations

import re

from jianbao.safety import clean_text, defang_links, gate_url

__all__ = ["LABELS", "defang_links", "format_stars", "mdclean", "mdlink", "mdtext", "mdurl"]

# How a link of each kind is labelled when its author gave no label ("> 论文：…", "（代码 [链接](…)）").
LABELS = {"paper": "论文", "code": "代码", "project": "项目", "video": "视频", "pdf": "论文"}


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
    """Link target: the URL as the gate passes it ('' when it does not, and the writer then prints the link's
    text alone), parentheses percent-encoded so the Markdown parser keeps the URL whole."""
    return (
        (gate_url(url) or "")
        .replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def mdtext(text: str) -> str:
    """Text on one line: every run of whitespace one space."""
    return re.sub(r"\s+", " ", text or "").strip()


def mdclean(text: str | None) -> str:
    """Source text for a Markdown line: no HTML, no unsafe link targets, one line."""
    return mdtext(defang_links(clean_text(text or "")))
