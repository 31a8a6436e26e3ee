"""The ``jianbao serve`` command: run the editor's desk web UI on this machine."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from typing import Annotated

import typer

from jianbao.cli._common import ConfigOpt, StoreOpt, err_console, load, store_url

ENV_TOKEN = "JIANBAO_WEB_TOKEN"
MIN_TOKEN = 16  # characters, as the desk itself requires (jianbao.web.app.MIN_TOKEN)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1 and ``localhost``."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (non-loopback needs a token).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar=ENV_TOKEN,
            show_envvar=True,
            help="Access token, required when listening beyond loopback.",
        ),
    ] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Open the editor's desk: pick candidates, edit the draft, preview and publish in the browser.

    Example: jianbao serve --port 8765   then open http://127.0.0.1:8765/
    """
    token = token or os.environ.get(ENV_TOKEN) or None
    if token is not None and len(token) < MIN_TOKEN:
        err_console.print(
            f"error: the token is too short ({len(token)} characters; {MIN_TOKEN} or more), "
            f"e.g. --token {secrets.token_urlsafe(24)}"
        )
        raise typer.Exit(2)
    if not is_loopback(host) and not token:
        err_console.print(
            f"error: refusing to listen on {host} without a token; pass --token or set {ENV_TOKEN}"
        )
        raise typer.Exit(2)
    # lazy: uvicorn and the desk (FastAPI, Starlette, Jinja2) take about half a second to import, and
    # only this command needs them, so every other command starts without them.
    import uvicorn

    from jianbao.web import create_app

    cfg = load(config)
    app = create_app(cfg, store_url(cfg, store), token=token)
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"editor's desk on http://{shown}:{port}/" + ("?token=…" if token else ""))
    latest = app.state.desk.store.latest_published()
    if latest is not None and latest < dt.date.today() - dt.timedelta(days=cfg.weekly.window_days):
        # The desk opens on today; a store of older entries (the demo's) is found at its own date.
        err_console.print(f"the latest entries are of {latest}: http://{shown}:{port}/?date={latest}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
