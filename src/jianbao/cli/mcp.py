"""The mcp command: jianbao's archive and builder as an MCP server, over stdio or streamable HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from jianbao.cli._common import ConfigOpt, StoreOpt, load, store_url
from jianbao.errors import JianbaoError


def mcp(
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP instead of stdio.")] = False,
    host: Annotated[str, typer.Option("--host", help="Address to listen on with --http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on with --http.")] = 8765,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Serve the MCP tools: search the archive, list stories, check repeats, build an issue, read Markdown.

    Over stdio (the default) nothing but protocol is written to stdout. With --http the endpoint is
    http://HOST:PORT/mcp; it binds to 127.0.0.1 unless told otherwise.

    Example: jianbao mcp --store sqlite:///jianbao.db
    """
    from jianbao.mcp import serve_mcp  # lazy: the MCP SDK loads only for this command

    cfg = load(config)
    if http and host not in ("127.0.0.1", "localhost", "::1"):
        raise JianbaoError(
            f"refusing to serve MCP on {host}: it has no access control",
            hint="keep it on 127.0.0.1 and put an authenticating proxy in front",
        )
    serve_mcp(cfg, store_url(cfg, store), transport="http" if http else "stdio", host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command()(mcp)
