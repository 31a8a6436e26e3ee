"""The ``jianbao enrich`` command: look up paper titles and repository stars for the stored links."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, err_console, load, opened, progress
from jianbao.errors import JianbaoError

_KIND_HELP = "Only this kind: arxiv, github, gitee or citation (repeatable)."


def enrich(
    stale: Annotated[
        bool, typer.Option("--stale", help="Refresh stored metadata past its freshness only.")
    ] = False,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=_KIND_HELP)] = None,
    force: Annotated[bool, typer.Option("--force", help="Ask again even for what is still fresh.")] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Fetch real titles, authors, stars and licences for every paper and code link in the store.

    Fresh metadata is not asked again (papers 30 days, repos 1 day by default; see [enrich]).
    A GitHub token is read from $GITHUB_TOKEN when set.

    Example: jianbao enrich --kind github --stale
    """
    # lazy: keeps ingestion (httpx and the enrich kinds) out of CLI start-up
    from jianbao.ingestion.enrich import KINDS, fetch_settings_for
    from jianbao.ingestion.enrich import enrich as enrich_run

    chosen = kind or list(KINDS)
    bad = [k for k in chosen if k not in KINDS]
    if bad:
        raise JianbaoError(f"unknown kind {bad[0]!r}", hint=f"use one of {', '.join(KINDS)}")
    cfg = load(config)
    with opened(cfg, store) as st, progress() as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, n: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.advance(tasks[name], n)

        report = enrich_run(
            st,
            settings=cfg.enrich,
            fetch_settings=fetch_settings_for(cfg),
            kinds=chosen,
            stale_only=stale,
            force=force,
            progress=advance,
        )
    table = Table(title="enrich")
    for col in ("kind", "fetched", "304", "fresh", "missing", "failed", "rate-limited", "requests"):
        table.add_column(col)
    for name in chosen:
        rep = report.kinds[name]
        cells = (rep.fetched, rep.not_modified, rep.fresh, rep.missing, rep.failed, rep.skipped_rate_limited)
        table.add_row(name, *(str(c) for c in cells), str(rep.requests))
    console.print(table)
    for line in report.notes:
        err_console.print(line)
    for kind_name, reasons in report.errors.items():
        for reason in reasons:
            err_console.print(f"{kind_name} failed: {reason}")


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich)
