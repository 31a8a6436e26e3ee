"""What jianbao lets through: the URL gate every stored or printed URL passes, and the text cleaning that keeps
markup from sources inert. Pure functions over strings and records; the network side (which addresses may
be fetched) is the fetch boundary, ``jianbao.ingestion.boundary``."""

from jianbao.safety.records import gate_entry, gate_issue, safe_text
from jianbao.safety.text import clean_text, defuse_schemes, escape_markup, safe_markdown, strip_controls
from jianbao.safety.urls import UrlGate, defang_links, gate_url, is_safe_url

__all__ = [
    "UrlGate",
    "clean_text",
    "defang_links",
    "defuse_schemes",
    "escape_markup",
    "gate_entry",
    "gate_issue",
    "gate_url",
    "is_safe_url",
    "safe_markdown",
    "safe_text",
    "strip_controls",
]
