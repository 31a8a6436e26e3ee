"""Options every command shares (--config, --store) and the consoles it prints to."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jianbao.config import ENV_STORE, Config, default_store_url, find_config_path, load_config
from jianbao.errors import JianbaoError, StoreNotFound

if TYPE_CHECKING:
    from jianbao.store import Store

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", "-c", envvar="JIANBAO_CONFIG", help="Config file (default: ./jianbao.toml if present).",
                 show_envvar=True),
]
StoreOpt = Annotated[
    str | None,
    typer.Option("--store", "-s", envvar=ENV_STORE, show_envvar=True,
                 help="Store URL, e.g. sqlite:///jianbao.db or postgresql+psycopg://user@host/db."),
]


def load(config_path: str | None) -> Config:
    return load_config(find_config_path(config_path))


def store_url(config: Config, explicit: str | None) -> str:
    """--store / $JIANBAO_STORE beat the config file, which beats the default file in the data folder."""
    return explicit or os.environ.get(ENV_STORE) or config.store.url or default_store_url()


def check_store_folder(url: str) -> None:
    """Refuse (exit 2) a SQLite store whose folder does not exist: a mistyped --store must not create folders.
    Only the data folder's own store is created where it is missing."""
    if url == default_store_url() or not url.startswith("sqlite:///"):  # read as SQLAlchemy would, unimported
        return
    database = url.removeprefix("sqlite:///").split("?", 1)[0]
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        raise StoreNotFound(
            f"no such folder for the store: {folder}", hint="create it first, or leave out --store for the data folder's store"
        )


@contextmanager
def opened(config: Config, explicit_store: str | None) -> Iterator[Store]:
    from jianbao.store import open_store  # lazy: SQLAlchemy is a fifth of start-up, and --help needs no store

    url = store_url(config, explicit_store)
    check_store_folder(url)
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


def parse_date(value: str | None, *, default: dt.date | None = None) -> dt.date:
    """YYYY-MM-DD, YYYYMMDD, 'today' or 'tomorrow'; a bad value is a usage error with one line."""
    if value is None or value == "today":
        return default or dt.date.today()
    if value == "tomorrow":
        return dt.date.today() + dt.timedelta(days=1)
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise JianbaoError(f"not a date: {value!r} (use YYYY-MM-DD)", hint="e.g. --date 2021-03-05")


def progress() -> Progress:
    """A progress bar on stderr that disappears when done, so stdout stays clean for --json."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def stage_bars(bar: Progress, stages: Sequence[str]) -> Callable[[str, int], None]:
    """One bar per stage of a long run (fetch: fetched, parsed, stored), advanced by the callback it returns.

    The run first reports ``("planned", total)``, which sets every bar's total; then ``(stage, n)`` advances
    that stage's bar. A stage the bars do not show is ignored.
    """
    width = max(map(len, stages))
    tasks = {stage: bar.add_task(stage.ljust(width), total=None) for stage in stages}

    def advance(stage: str, n: int) -> None:
        if stage == "planned":
            for task in tasks.values():
                bar.update(task, total=n)
        elif stage in tasks:
            bar.advance(tasks[stage], n)

    return advance


def step_bar(bar: Progress, steps: Sequence[str], *, title: str) -> Callable[[str], None]:
    """One bar through the named steps of a run (build, site): the callback moves it to the given step."""
    task = bar.add_task(title, total=len(steps))

    def step(name: str) -> None:
        done = steps.index(name) if name in steps else 0
        bar.update(task, completed=done, description=f"{title}: {name}")

    return step

