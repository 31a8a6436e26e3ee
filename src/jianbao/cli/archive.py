"""Commands over the archive of issues: issues (list)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened


def issues(
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Only weekly or daily.")] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List stored issues: date, format, state, item count and top sources.

    Example: jianbao issues --format weekly
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        rows = st.list_issues(fmt=fmt)
        table = Table()
        for col in ("date", "format", "state", "items", "top sources"):
            table.add_column(col)
        for row in rows:
            table.add_row(str(row["date"]), row["format"], row["state"], str(row["items"]),
                          "、".join(st.top_sources(row["id"])))
    console.print(table)
    console.print(f"{len(rows)} issues")


def register(app: typer.Typer) -> None:
    app.command()(issues)
