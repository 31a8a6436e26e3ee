"""The deliver command: a stored issue sent to the configured channels, one channel, or a one-off URL."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, err_console, load, opened, parse_date
from jianbao.cli.build import edition_option
from jianbao.errors import JianbaoError


def deliver(
    date: Annotated[str, typer.Argument(help="Date of a stored issue, YYYY-MM-DD.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="weekly or daily.")] = "daily",
    channel: Annotated[list[str] | None, typer.Option("--channel", help="Only this configured channel (repeatable).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="A one-off Apprise, smtp:// or wxmp:// URL instead of the channels.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would go where, with sizes; send nothing.")] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Send a stored issue to its channels, each within its length budget (split at items, or a digest).

    A channel that fails is reported by name and the others still get the issue (exit status 3).

    Example: jianbao deliver 2026-11-20 --format daily --to json://127.0.0.1:8080/hook --dry-run
    """
    from jianbao.deliver import Channel, configured_channels, deliver_issue  # lazy: --help loads no stage

    edition = edition_option(fmt)
    cfg = load(config)
    day = parse_date(date)
    if to and channel:
        raise JianbaoError("give --channel or --to, not both")
    targets = [Channel(name="to", url=to)] if to else configured_channels(cfg, names=channel or ())
    if not to:
        targets = [c for c in targets if c.receives(edition.name) or channel]
    if not targets:
        raise JianbaoError(f"no channel takes the {edition.name}", hint="add [[channels]] to jianbao.toml or use --to URL")
    with opened(cfg, store) as st:
        found = st.get_issue(f"{edition.name}:{day.isoformat()}")
        if found is None:
            raise JianbaoError(f"no {edition.name} issue stored for {day}",
                               hint=f"build it first: jianbao build --date {day} --format {edition.name}")  # fmt: skip
        issue = found[0]
        markdown = st.get_markdown(issue.id) or ""
        reports = deliver_issue(issue, targets, config=cfg, markdown=markdown, store=None if dry_run else st,
                                dry_run=dry_run)  # fmt: skip
    table = Table(title=f"{issue.id}{' (dry run)' if dry_run else ''}")
    for col in ("channel", "kind", "target", "budget", "form", "messages", "sizes", "how", "outcome"):
        table.add_column(col, overflow="fold")
    for rep in reports:
        budget = rep.budget
        sizes = ", ".join(f"{m.size:,}" for m in rep.messages)
        outcome = "would send" if dry_run else (f"sent {rep.sent}" if rep.ok else "failed")
        table.add_row(
            rep.channel, rep.kind, rep.target, budget.describe() if budget else "-", budget.form if budget else "-",
            str(len(rep.messages)), f"{sizes} {budget.unit if budget else ''}".strip(), rep.note, outcome,
        )  # fmt: skip
    console.print(table)
    for rep in reports:  # one line each, whatever the terminal width did to the table
        if rep.error:
            err_console.print(f"failed: channel {rep.channel}: {rep.error}")
            continue
        unit = rep.budget.unit if rep.budget else ""
        sizes = ", ".join(f"{m.size:,}" for m in rep.messages)
        limit = rep.budget.describe() if rep.budget else "-"
        outcome = "would send" if dry_run else f"sent {rep.sent}"
        console.print(f"{rep.channel}: {len(rep.messages)} message(s) of {sizes} {unit} (budget {limit}, "
                      f"{rep.note}): {outcome}" + (f"; {rep.detail}" if rep.detail else ""))  # fmt: skip
    if any(rep.error for rep in reports):
        raise typer.Exit(3 if any(rep.ok for rep in reports) else 1)


def register(app: typer.Typer) -> None:
    app.command()(deliver)
