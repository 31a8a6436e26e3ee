"""The ``jianbao`` command line: a thin layer that reads options, calls one stage, and prints what happened.

Errors a user can cause arrive here as ``JianbaoError`` and leave as one line on stderr (plus a hint line
where one helps) and a non-zero exit status; that translation happens in one place, ``_Group.invoke``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer._click.core import Context  # typer 0.29 vendors click; TyperGroup's methods take this Context
from typer.core import TyperGroup

from jianbao import __version__
from jianbao.cli import archive, build, db, plugins, sources
from jianbao.cli._common import err_console
from jianbao.errors import JianbaoError


class _Group(TyperGroup):
    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except JianbaoError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
            if exc.hint:
                err_console.print(f"hint: {exc.hint}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; everything stored so far is kept")
            raise typer.Exit(130) from None

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # registration order, which groups related commands in --help


app = typer.Typer(
    cls=_Group,
    help="jianbao (简报): build the weekly AI 简报 and the daily AI 早报 from your sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jianbao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """jianbao (简报): build the weekly AI 简报 and the daily AI 早报 from your sources."""


def _register() -> None:
    for module in (build, sources, archive, db):
        module.register(app)
    for optional in ("summarize", "web", "llm", "enrich", "publish", "stories", "run", "deliver", "mcp"):
        # Command groups whose stage may be absent in a trimmed install register themselves if present.
        try:
            module = __import__(f"jianbao.cli.{optional}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"jianbao.cli.{optional}":
                raise
            continue
        module.register(app)
    plugins.register(app)  # last in --help: it lists what extends all the others


_register()


def main() -> None:
    app(prog_name="jianbao")


if __name__ == "__main__":  # pragma: no cover
    main()
