"""``jianbao summarize``: one article in (a URL or a file), its cleaned title, lead summary and links out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened
from jianbao.errors import FetchError

_SOURCE = "summarize"  # the source name an article read by this command carries


def summarize(
    target: Annotated[str, typer.Argument(help="An article's http(s) URL, or a file: a saved page, Markdown or text.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="Whose summary: weekly (the lead, 2–4 paragraphs) or daily (one line).")] = "weekly",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: title, summary, links, and how the summary was made.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also print where the summary comes from and what cleaning removed.")] = False,
    llm: Annotated[bool | None, typer.Option("--llm/--no-llm", help="Have the LLM write it in Chinese, number-checked (default: if configured).")] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Summarise one article the way a build words an item: cleaned title, lead summary, paper/code/project links.

    The store is used only as the LLM's cache.

    Example: jianbao summarize https://mp.weixin.qq.com/s/… --format daily --json
    """
    # lazy: each stage loads when the command runs, so `jianbao --help` loads none of them
    from jianbao.cli.build import edition_option
    from jianbao.ingestion.article import fetch_article, read_article
    from jianbao.ingestion.boundary import Boundary
    from jianbao.issue.item_text import summarize_article
    from jianbao.render.markdown import link_line
    from jianbao.safety import gate_url, safe_text
    from jianbao.summarize.client import client_for, settings_from_config
    from jianbao.urls import strip_tracking

    edition = edition_option(fmt)
    cfg = load(config)
    if target.startswith(("http://", "https://")):
        # the editor typed this address, as they would a source's: its origin may be on this machine or the
        # intranet; a redirect elsewhere local, or to a link-local or metadata address, is still refused
        fetched = fetch_article(target, cfg, source=_SOURCE, boundary=Boundary([target]))
        if fetched.entry is None:
            raise FetchError(target, fetched.error or "no answer")
        entry = fetched.entry
    else:
        entry = read_article(Path(target), source=_SOURCE)
    summarizer = edition.summarizer(cfg)
    if llm or (llm is None and settings_from_config(cfg) is not None):
        with opened(cfg, store) as st:
            client = client_for(cfg, use_llm=True, cache=st)
            item, made = summarize_article(entry, summarizer, client=client, style=edition.llm_style)
    else:
        item, made = summarize_article(entry, summarizer, style=edition.llm_style)
    # printed as a build would: texts without control characters, links through the URL gate and without
    # tracking parameters
    item.title, item.summary = safe_text(item.title), safe_text(item.summary)
    links = [(ln, url) for ln in item.links if (url := gate_url(strip_tracking(ln.url)))]
    if as_json:
        check = item.number_check
        data = {
            "url": item.url, "title": item.title, "summary": item.summary,
            "links": [{"kind": ln.kind, "url": url, "label": ln.label, "key": ln.key} for ln, url in links],
            "how": made.how, "paragraphs": list(made.lead.indices) if made.lead else [],
            "removed": made.article.explain() if made.article is not None else [],
            "number_check": None if check is None else {"passed": check.passed, "unsupported": check.unsupported},
        }  # fmt: skip
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(item.title, markup=False)
    console.print(item.url or "", markup=False)
    if item.summary:
        console.print("")
        console.print(item.summary, markup=False)
    if item.links:
        console.print("")
        for line in filter(None, map(link_line, item.links)):
            console.print(line, markup=False)
    if explain:
        console.print("")
        for line in made.explain():
            console.print(line, markup=False)
    if item.number_check is not None and not item.number_check.passed:
        console.print(f"number check: {'、'.join(item.number_check.unsupported)} not in the article; extractive summary kept")


def register(app: typer.Typer) -> None:
    app.command()(summarize)
