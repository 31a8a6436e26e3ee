"""Commands about the store itself: db info, db upgrade, db copy."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened, progress, store_url

db_app = typer.Typer(help="Inspect and upgrade the store.", no_args_is_help=True)


@db_app.command("info")
def info(config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """Show the store URL, schema version and row counts.

    Example: jianbao db info
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        console.print(f"store   {st.safe_url}")
        console.print(f"schema  version {st.schema_version}")
        for table, n in st.counts().items():
            console.print(f"{table:<12} {n}")


@db_app.command("upgrade")
def upgrade(config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """Apply pending schema migrations (opening a store does this too; this says what ran).

    Example: jianbao db upgrade --store sqlite:///old.db
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        ran = st.migrations_ran
        console.print(
            f"{store_url(cfg, store)}: schema version {st.schema_version}"
            + (f", applied {', '.join(ran)}" if ran else ", already up to date")
        )


@db_app.command("copy")
def copy(
    src: Annotated[str, typer.Argument(help="Store URL to copy from.")],
    dst: Annotated[str, typer.Argument(help="Store URL to copy into (created and migrated if new).")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the rows of a destination that has some.")
    ] = False,
) -> None:
    """Copy every table from one store to another (SQLite ↔ PostgreSQL), verified by per-table checksums.

    Exits 1 when any table's count or checksum differs after the copy.

    Example: jianbao db copy sqlite:///jianbao.db postgresql+psycopg://jianbao@db/jianbao
    """
    from jianbao.store.copy import copy_store  # lazy: only this command needs it

    with progress() as bar:
        tasks: dict[str, TaskID] = {}

        def advance(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        report = copy_store(src, dst, force=force, progress=advance)
    table = Table("table", "rows", "copied", "checksum", title=f"{report.source} → {report.destination}")
    for check in report.tables:
        mark = "[green]match[/]" if check.ok else "[red]MISMATCH[/]"
        table.add_row(check.table, str(check.source_rows), str(check.copied_rows), mark)
    console.print(table)
    if not report.ok:
        console.print("[red]copy does not match the source[/]")
        raise typer.Exit(1)
    console.print(f"all tables match: {report.rows} rows in {report.seconds:.1f}s")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
