"""Commands about sources: fetch, and the `sources` group (list, check, add, disable, enable, import-opml)."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, err_console, load, opened, progress, stage_bars
from jianbao.config import Config, SourceSettings, parse_config
from jianbao.errors import ConfigError, JianbaoError
from jianbao.records import Source

UNHEALTHY_AFTER = 5  # consecutive failures before `sources list` calls a source unhealthy

sources_app = typer.Typer(help="List, check, add and disable sources.", no_args_is_help=True)


def _configured(cfg: Config) -> list[Source]:
    from jianbao.ingestion.runner import sources_from_config  # lazy: keeps ingestion out of CLI start-up

    return sources_from_config(cfg)


def fetch(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help='Parse and understand on a Dask cluster: a scheduler (tcp://host:8786) or "local" '
            "(overrides [scale] dask).",
        ),
    ] = None,
) -> None:
    """Fetch every enabled source (or the named ones) into the store, politely.

    Example: jianbao fetch --source jiqizhixin
    """
    from jianbao.ingestion.runner import STAGES, ingest  # lazy: keeps ingestion out of CLI start-up

    cfg = load(config)
    if dask is not None:
        cfg = cfg.model_copy(update={"scale": cfg.scale.model_copy(update={"dask": dask})})
    with opened(cfg, store) as st:
        configured = _configured(cfg)
        st.sync_sources(configured)
        known = {s.name: s for s in st.list_sources()}
        names = source or [s.name for s in configured]
        missing = [n for n in names if n not in known]
        if missing:
            raise JianbaoError(f"unknown source {missing[0]!r}", hint="see `jianbao sources list`")
        # A source named with --source is fetched even when disabled: the user asked for it.
        chosen = [dataclasses.replace(known[n], enabled=True) if source else known[n] for n in names]
        chosen = [s for s in chosen if s.enabled]
        if not chosen:
            raise JianbaoError(
                "no enabled sources", hint="add some with `jianbao sources add URL` or in jianbao.toml"
            )
        with progress() as bar:
            report = ingest(st, chosen, config=cfg, progress=stage_bars(bar, STAGES))
    table = Table(title="fetch")
    for col in ("source", "new", "updated", "unchanged", "304", "failed"):
        table.add_column(col, overflow="fold")
    for rep in report.sources:
        table.add_row(
            rep.name,
            str(rep.new),
            str(rep.updated),
            str(rep.unchanged),
            "304" if rep.not_modified else "",
            rep.error or "",
        )
    console.print(table)
    total = sum(r.new + r.updated + r.unchanged for r in report.sources)
    console.print(
        f"{len(report.sources)} sources: {report.new} new entries, {total} seen, "
        f"{sum(r.not_modified for r in report.sources)} not modified, {len(report.failed)} failed"
    )
    for rep in report.sources:
        for problem in rep.problems:
            err_console.print(f"warning: {rep.name}: {problem}")
    for rep in report.failed:  # one line per failed source, whatever the terminal width did to the table
        err_console.print(f"failed: {rep.name}: {rep.error}")
    if report.failed:
        raise typer.Exit(1)


@sources_app.command("list")
def list_sources(config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """List sources with their health.

    Example: jianbao sources list
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        st.sync_sources(_configured(cfg))
        rows = st.list_sources()
    table = Table()
    for col in ("name", "kind", "title", "region", "weight", "enabled", "last success", "health"):
        table.add_column(col, no_wrap=col in ("name", "health"))
    table.add_column("last error", overflow="fold")
    for s in rows:
        table.add_row(
            s.name,
            s.kind,
            s.title,
            s.region,
            f"{s.weight:g}",
            "yes" if s.enabled else "no",
            s.last_success.strftime("%Y-%m-%d %H:%M") if s.last_success else "-",
            _health(s),
            s.last_error if s.failures else "",
        )
    console.print(table)
    for s in rows:  # one line each, so a narrow terminal cannot hide them
        if s.failures >= UNHEALTHY_AFTER:
            console.print(f"unhealthy: {s.name}: {s.failures} failures in a row; last: {s.last_error}")


def _health(source: Source) -> str:
    if source.failures >= UNHEALTHY_AFTER:
        return "unhealthy"
    return f"failing ({source.failures}×)" if source.failures else "ok"


@sources_app.command("check")
def check_sources(
    name: Annotated[list[str] | None, typer.Argument(help="Sources to check (default: all enabled).")] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Fetch and parse sources without storing anything; report what each gives.

    Example: jianbao sources check the-decoder
    """
    # lazy: keeps ingestion (httpx, feedparser, trafilatura) out of CLI start-up
    from jianbao.ingestion import sources as kinds
    from jianbao.ingestion.fetch import FetchRequest, fetch_all_sync
    from jianbao.ingestion.health import Verdict, by_host, verdict
    from jianbao.ingestion.runner import fetch_settings

    cfg = load(config)
    with opened(cfg, store) as st:  # each source's usual rate tells a quiet account from a stalled route
        usual = {h.name: h.entries_per_day for h in st.source_health()}
    now = datetime.now(UTC)
    verdicts: list[Verdict] = []
    configured = [s for s in _configured(cfg) if (name and s.name in name) or (not name and s.enabled)]
    if name:
        unknown = set(name) - {s.name for s in configured}
        if unknown:
            raise JianbaoError(f"unknown source {sorted(unknown)[0]!r}", hint="see `jianbao sources list`")
    table = Table()
    for col in ("source", "entries", "problems", "verdict", "error"):
        table.add_column(col, overflow="fold")
    failed: list[tuple[str, str]] = []
    remote: dict[str, list[FetchRequest]] = {}
    for src in configured:
        if src.url.startswith(("http://", "https://")):
            try:
                urls = kinds.get_kind(src.kind).requests(src)
            except JianbaoError as exc:
                failed.append((src.name, exc.message))
                continue
            kind: Literal["page", "feed"] = "page" if src.kind == "page" else "feed"
            remote[src.name] = [FetchRequest(url=u, source=src.name, kind=kind, configured=True) for u in urls]
    # Every source's URLs in one polite batch (concurrency, robots.txt and timeouts as in `jianbao fetch`).
    flat = [r for reqs in remote.values() for r in reqs]
    results = iter(fetch_all_sync(flat, fetch_settings(cfg)) if flat else [])
    by_source = {name_: [next(results) for _ in reqs] for name_, reqs in remote.items()}
    counted: dict[str, tuple[int, int]] = {}
    for src in configured:
        if any(n == src.name for n, _ in failed):
            reason = next(m for n, m in failed if n == src.name)
            verdicts.append(verdict(src.name, src.url, error=reason, entries=0, newest=None, per_day=0, now=now))
            continue
        entries, problems, errors = 0, 0, []
        newest: datetime | None = None
        if src.name in by_source:
            docs = []
            for result in by_source[src.name]:
                if result.ok:
                    docs.append((result.content, result.final_url or result.url))
                else:
                    errors.append(result.error or f"HTTP {result.status}")
        else:
            try:
                docs = [(kinds.read_local(src), src.url)]
            except JianbaoError as exc:
                docs, errors = [], [exc.message]
        for payload, url in docs:
            try:
                parsed = kinds.parse_source(src, payload, url=url)
            except JianbaoError as exc:
                errors.append(exc.message)
                continue
            entries += len(parsed.entries)
            problems += len(parsed.problems)
            dates = [e.published for e in parsed.entries if e.published]
            newest = max([*dates, *([newest] if newest else [])], default=None)
        error = "; ".join(errors)
        if errors:
            failed.append((src.name, error))
        verdicts.append(verdict(src.name, src.url, error=error or None, entries=entries, newest=newest,
                                per_day=usual.get(src.name, 0.0), now=now))  # fmt: skip
        counted[src.name] = (entries, problems)
    for v in by_host(verdicts):
        entries, problems = counted.get(v.name, (0, 0))
        table.add_row(v.name, str(entries), str(problems), v.state, v.reason if v.state != "ok" else "")
    console.print(table)
    for v in by_host(verdicts):
        if v.state in ("stalled", "quiet", "empty"):
            console.print(f"{v.state}: {v.name}: {v.reason}")
    for src_name, reason in failed:
        err_console.print(f"failed: {src_name}: {reason}")
    if failed:
        raise typer.Exit(1)


_HEADER = re.compile(r"^\s*\[")
_SOURCES_HEADER = re.compile(r"^\s*\[\[\s*sources\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=\s*(.*)$")


def _toml_value(value: object) -> str:
    """A TOML literal for the simple values a source has (JSON strings, numbers and lists are TOML too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _source_block(settings: SourceSettings) -> str:
    lines = ["[[sources]]"]
    defaults = type(settings)(name=settings.name, url=settings.url)
    for key in type(settings).model_fields:
        value = getattr(settings, key)
        if key in ("name", "url") or value != getattr(defaults, key):
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _write_config(cfg: Config, text: str, check: Callable[[Config], bool]) -> None:
    """Write the edited file only if it reads back and the change is what was meant (never a broken config)."""
    path = _config_path(cfg)
    updated = parse_config(text, path=path)
    if not check(updated):
        raise JianbaoError(f"could not edit {path} safely", hint="make the change by hand")
    Path(path).write_text(text, encoding="utf-8")


def _config_path(cfg: Config) -> str:
    if not cfg.path:
        raise JianbaoError("no jianbao.toml to change", hint="run `jianbao init` first")
    return cfg.path


def _config_text(cfg: Config) -> str:
    return Path(_config_path(cfg)).read_text(encoding="utf-8")


def _append_sources(cfg: Config, added: list[SourceSettings]) -> None:
    """Append [[sources]] tables at the end of the file; the rest (comments, layout) is left as written."""
    text = _config_text(cfg)
    blocks = "\n".join(_source_block(s) for s in added)
    new_text = text + ("" if text.endswith("\n") or not text else "\n") + "\n" + blocks
    before = [s.model_dump() for s in cfg.sources]
    wanted = before + [s.model_dump() for s in added]
    _write_config(cfg, new_text, lambda c: [s.model_dump() for s in c.sources] == wanted)


def _set_enabled_in_file(cfg: Config, name: str, enabled: bool) -> None:
    """Set ``enabled`` in the [[sources]] table named ``name``, changing (or adding) that one line only."""
    lines = _config_text(cfg).splitlines(keepends=True)
    value = "true" if enabled else "false"
    i = 0
    while i < len(lines):
        if not _SOURCES_HEADER.match(lines[i]):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not _HEADER.match(lines[end]):
            end += 1
        keys: dict[str, int] = {}
        found = None
        for j in range(i + 1, end):
            m = _KEY.match(lines[j])
            if m:
                keys[m.group(1)] = j
                if m.group(1) == "name":
                    try:
                        found = tomllib.loads(f"v = {m.group(2)}")["v"]
                    except tomllib.TOMLDecodeError:
                        found = None
        if found == name:
            if "enabled" in keys:
                j = keys["enabled"]
                lines[j] = re.sub(r"=\s*(true|false)", f"= {value}", lines[j], count=1)
            else:
                lines.insert(keys["name"] + 1, f"enabled = {value}\n")
            break
        i = end
    want = [s.model_dump() | ({"enabled": enabled} if s.name == name else {}) for s in cfg.sources]
    _write_config(cfg, "".join(lines), lambda c: [s.model_dump() for s in c.sources] == want)


@sources_app.command("add")
def add_source(
    url: Annotated[str, typer.Argument(help="Feed URL or local file.")],
    name: Annotated[str | None, typer.Option("--name", help="Identifier (default: from the URL).")] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="rss, arxiv, hackernews, github_trending, page or a plugin's.")
    ] = "rss",
    title: Annotated[str, typer.Option("--title", help="Display name, e.g. 机器之心.")] = "",
    region: Annotated[str, typer.Option("--region", help="国际 or 中文圈.")] = "国际",
    weight: Annotated[float, typer.Option("--weight", help="Editorial trust, 0–5.")] = 1.0,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Add a source to jianbao.toml.

    Example: jianbao sources add https://the-decoder.com/feed/ --title "The Decoder"
    """
    # lazy: keeps ingestion out of CLI start-up
    from jianbao.ingestion.boundary import check_source_url
    from jianbao.ingestion.sources import is_local, kinds
    from jianbao.ingestion.sources.defaults import slug_for

    if kind not in kinds():  # the registry's kinds: jianbao's own and any installed plugin's
        raise ConfigError(f"--kind must be one of {', '.join(kinds())}, not {kind!r}")
    if not is_local(url):  # a path is a file source; a URL must be one the fetch boundary could ever take
        check_source_url(url)
    cfg = load(config)
    ident = name or slug_for(url, {s.name for s in cfg.sources})
    if any(s.name == ident for s in cfg.sources):
        raise JianbaoError(f"a source named {ident!r} exists already", hint="pick another with --name")
    # Validated like a [[sources]] table from the file: a --region other than 国际 or 中文圈 is refused there.
    new = SourceSettings.model_validate(
        {"name": ident, "url": url, "kind": kind, "title": title, "region": region, "weight": weight}
    )
    _append_sources(cfg, [new])
    _sync(config, store)
    console.print(f"added {ident} to {cfg.path}")


def _sync(config: str | None, store: str | None) -> None:
    """Mirror the edited config into the store, so `sources list` and the web desk see the change at once."""
    cfg = load(config)
    with opened(cfg, store) as st:
        st.sync_sources(_configured(cfg))


def _set_enabled(name: str, enabled: bool, config: str | None, store: str | None) -> None:
    cfg = load(config)
    if not any(s.name == name for s in cfg.sources):
        raise JianbaoError(f"unknown source {name!r}", hint="see `jianbao sources list`")

    _set_enabled_in_file(cfg, name, enabled)
    _sync(config, store)
    if enabled:  # a source a run switched off for failing comes back with a clean slate
        with opened(load(config), store) as st:
            st.reenable_source(name)
    console.print(f"{'enabled' if enabled else 'disabled'} {name}")


@sources_app.command("disable")
def disable_source(name: str, config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """Stop fetching a source (kept in the config, marked enabled = false).

    Example: jianbao sources disable hn
    """
    _set_enabled(name, False, config, store)


@sources_app.command("enable")
def enable_source(name: str, config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """Fetch a disabled source again.

    Example: jianbao sources enable hn
    """
    _set_enabled(name, True, config, store)


@sources_app.command("import-opml")
def import_opml(
    file: Annotated[Path, typer.Argument(help="An OPML feed list.")],
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Add every feed of an OPML file to jianbao.toml (feeds already present are skipped).

    Example: jianbao sources import-opml feeds.opml
    """
    from jianbao.ingestion.sources.opml import parse_opml  # lazy: keeps ingestion out of CLI start-up

    cfg = load(config)
    try:
        payload = file.read_bytes()
    except OSError as exc:
        raise JianbaoError(f"{file}: {exc.strerror}") from None
    found, refused = _fetchable(parse_opml(payload))
    for src, reason in refused:  # an OPML file is content: its feeds are URLs, never local files
        err_console.print(f"skipped: {src.name}: {reason}")
    have_urls = {s.url for s in cfg.sources}
    have_names = {s.name for s in cfg.sources}
    added = []
    for src in found:
        if src.url in have_urls:
            continue
        name = src.name
        n = 2
        while name in have_names:
            name, n = f"{src.name}-{n}", n + 1
        have_names.add(name)
        added.append(
            SourceSettings(
                name=name, url=src.url, kind=src.kind, title=src.title, region=src.region, weight=src.weight
            )
        )
    if added:
        _append_sources(cfg, added)
        _sync(config, store)
    console.print(f"added {len(added)} of {len(found)} feeds to {cfg.path}")


def _fetchable(found: list[Source]) -> tuple[list[Source], list[tuple[Source, str]]]:
    """The OPML feeds the fetch boundary could take (http(s), no metadata address), and the others with why."""
    from jianbao.ingestion.boundary import check_source_url  # lazy: keeps ingestion out of CLI start-up

    kept, refused = [], []
    for src in found:
        try:
            check_source_url(src.url, resolve=False)  # hundreds of feeds: no DNS here, the fetch checks
        except JianbaoError as exc:
            refused.append((src, getattr(exc, "reason", exc.message)))
        else:
            kept.append(src)
    return kept, refused


def register(app: typer.Typer) -> None:
    app.command()(fetch)
    app.add_typer(sources_app, name="sources")
