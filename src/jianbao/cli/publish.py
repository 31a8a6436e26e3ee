"""Commands that put issues in front of readers: publish (archive file, README index, site) and site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened, parse_date, progress, step_bar
from jianbao.cli.build import edition_option
from jianbao.errors import JianbaoError


def publish(
    draft: Annotated[
        Path | None,
        typer.Argument(help="An edited draft (Markdown) to publish as it is; omit to use --date."),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="Date of a stored issue, YYYY-MM-DD.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="An edition: weekly, daily or a plugin's (with --date).")] = "weekly",
    site: Annotated[
        bool, typer.Option("--site/--no-site", help="Rebuild the static site afterwards.")
    ] = True,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Publish an issue: mark it published, write it into the archive folder, update the README index and
    rebuild the site. A draft file is published exactly as the editor left it.

    Example: jianbao publish out/AI简报20261120.md
    """
    from jianbao.archive.publish import load_draft, publish_issue  # lazy: --help loads no stage
    from jianbao.archive.site import build_site

    edition = edition_option(fmt)
    if draft is None and date is None:
        raise JianbaoError(
            "nothing to publish: give a draft file or --date", hint="e.g. jianbao publish --date 2026-11-20"
        )
    if draft is not None and not draft.is_file():
        raise JianbaoError(f"{draft}: no such file")
    cfg = load(config)
    markdown: str | None
    with opened(cfg, store) as st, progress() as bar:
        task = bar.add_task("publishing", total=2 if site else 1)
        if draft is not None:
            issue, markdown = load_draft(draft, day=parse_date(date) if date else None)
        else:
            day = parse_date(date)
            got = st.get_issue(f"{edition.name}:{day.isoformat()}")
            if got is None:
                raise JianbaoError(
                    f"no stored {fmt} issue for {day}",
                    hint=f"build it first: jianbao build --date {day} --format {fmt}",
                )
            issue, _version = got
            markdown = st.get_markdown(issue.id)
        result = publish_issue(st, issue, config=cfg, markdown=markdown, site=False)
        bar.advance(task)
        report = None
        if site:
            bar.update(task, description="building the site")
            report = build_site(st, cfg.resolve(cfg.output.site_dir), config=cfg)
            bar.advance(task)
    console.print(f"published {issue.id} ({len(issue.items)} items)")
    console.print(f"archive  {result.path}")
    console.print(f"index    {result.readme}")
    if report is not None:
        console.print(f"site     {report.out_dir / 'index.html'} ({report.pages} pages)")


def site(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Site folder (default: [output] site_dir).")
    ] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Build the static archive site of every stored issue: pages, offline search, RSS/Atom, sitemap, stats.

    The folder works opened from disk or served from any web root.

    Example: jianbao site --out site/
    """
    from jianbao.archive.site import SITE_STEPS, build_site

    cfg = load(config)
    out_dir = out or cfg.resolve(cfg.output.site_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise JianbaoError(f"{out_dir} exists and is not a folder")
    with opened(cfg, store) as st, progress() as bar:
        report = build_site(st, out_dir, config=cfg, progress=step_bar(bar, SITE_STEPS, title="site"))
    if not report.issues:
        console.print("no issues in the store yet: import the archive or publish one first")
    console.print(
        f"built {report.pages} pages for {report.issues} issues ({report.items} items) in {report.seconds:.1f} s"
    )
    console.print(str(out_dir / "index.html"))


def register(app: typer.Typer) -> None:
    app.command()(publish)
    app.command()(site)
