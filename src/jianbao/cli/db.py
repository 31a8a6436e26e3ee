"""Commands about the store itself: db info, db upgrade."""

from __future__ import annotations

import typer

from jianbao.cli._common import ConfigOpt, StoreOpt, console, load, opened, store_url

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
        console.print(f"{store_url(cfg, store)}: schema version {st.schema_version}"
                      + (f", applied {', '.join(ran)}" if ran else ", already up to date"))


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
