"""``jianbao plugins``: the installed plugins, the hooks each implements and what each registered."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from jianbao import plugins as plugin_manager
from jianbao.cli._common import ConfigOpt, StoreOpt, console


def list_plugins(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    builtin: Annotated[
        bool, typer.Option("--all", help="Include jianbao's own: the built-in source kinds, formats and editions.")
    ] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List the installed plugins (packages with an entry point in the group `jianbao`), each hook they
    implement and what it registered. Neither the config nor the store is read: this works when a config
    names a plugin's format that is not installed.

    Example: jianbao plugins --all
    """
    # lazy: keeps the registries (the editions import the whole issue stage) out of CLI start-up
    from jianbao.deliver import channel_kinds
    from jianbao.editions import editions
    from jianbao.ingestion.sources import kinds
    from jianbao.render import renderers

    for fill in (kinds, renderers, editions, channel_kinds):  # each registry calls its hook, so every plugin's names are known
        fill()
    found = plugin_manager.plugins(builtin=builtin)
    if json_out:
        rows = [
            {"name": p.name, "version": p.version, "hooks": list(p.hooks), "registered": dict(p.registered),
             "builtin": p.builtin}
            for p in found
        ]  # fmt: skip
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        console.print("no plugins installed (jianbao's own: jianbao plugins --all)")
        return
    for p in found:
        console.print(f"{p.name} {p.version}")
        for hook in p.hooks:
            console.print(f"  {hook}: {', '.join(p.registered.get(hook, [])) or '(nothing)'}")


def register(app: typer.Typer) -> None:
    app.command("plugins")(list_plugins)
