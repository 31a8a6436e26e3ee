"""Commands that make an issue: init, config, build, demo, render, almanac, count."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jianbao.cli._common import (
    ConfigOpt,
    StoreOpt,
    console,
    err_console,
    load,
    opened,
    parse_date,
    progress,
    step_bar,
    store_url,
)
from jianbao.errors import ConfigError, JianbaoError
from jianbao.render import renderers

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.config import Config
    from jianbao.editions import Edition
    from jianbao.issue.build import BuildResult

# Each command imports its stage when it runs (``# lazy``): ``jianbao --help`` loads none of them.

# The choices come from the registries (jianbao.plugins), so a plugin's edition or format is accepted too.
EDITION_HELP = "An edition: weekly, daily or a plugin's."
FORMATS_HELP = "Output format(s): markdown, wechat, moments, json or a plugin's (see `jianbao plugins`)."


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to set up.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing jianbao.toml.")] = False,
    config: Annotated[str | None, typer.Option("--config", "-c", help="Write the config here instead of DIR/jianbao.toml.")] = None,
    store: Annotated[str | None, typer.Option("--store", "-s", help="Store URL to write into [store] url.")] = None,
) -> None:
    """Write a commented jianbao.toml and create the data folder.

    Example: jianbao init my-briefing --store postgresql+psycopg://editor@db/jianbao
    """
    from jianbao.config import data_dir, render_toml
    from jianbao.ingestion.sources.defaults import default_config

    directory.mkdir(parents=True, exist_ok=True)
    path = Path(config) if config else directory / "jianbao.toml"
    if path.exists() and not force:
        raise JianbaoError(f"{path} already exists", hint="use --force to overwrite it")
    settings = default_config()
    if store:
        from jianbao.store import make_engine

        make_engine(store).dispose()  # a URL the store cannot use is refused before it is written down
        settings.store.url = store
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_toml(settings), encoding="utf-8")
    data = data_dir()
    data.mkdir(parents=True, exist_ok=True)
    console.print(f"wrote {path}")
    console.print(f"data folder {data}")


def config_cmd(config: ConfigOpt = None, store: StoreOpt = None) -> None:
    """Validate the configuration and show where everything is.

    Example: jianbao config --config jianbao.toml
    """
    cfg = load(config)
    console.print(f"config  {cfg.path or '(built-in defaults)'}")
    console.print(f"store   {store_url(cfg, store)}")
    console.print(f"output  {cfg.resolve(cfg.output.dir)}")
    console.print(f"sources {len(cfg.sources)} ({sum(s.enabled for s in cfg.sources)} enabled)")
    console.print(f"llm     {cfg.llm.model + ' @ ' + cfg.llm.base_url if cfg.llm.base_url else 'not configured'}")


def build(
    date: Annotated[str | None, typer.Option("--date", "-d", help="Issue date, YYYY-MM-DD (default: today).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=EDITION_HELP)] = "weekly",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default: [output] dir).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each pick's score and its parts, and where each item's text comes from.")] = False,
    llm: Annotated[bool | None, typer.Option("--llm/--no-llm", help="Use the configured LLM (default: if configured).")] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Build an issue from the stored entries and write its files.

    Example: jianbao build --date 2026-11-20 --format weekly --out out/
    """
    from jianbao.issue.build import BUILD_STEPS  # lazy
    from jianbao.issue.build import build as build_issue
    from jianbao.issue.gather import latest_hint

    edition = edition_option(fmt)
    cfg = load(config)
    day = parse_date(date)
    out_dir = out or cfg.resolve(cfg.output.dir)
    with opened(cfg, store) as st, progress() as bar:
        steps = step_bar(bar, BUILD_STEPS, title=f"{edition.name} {day}")
        result = build_issue(st, cfg, day, edition, out_dir=out_dir, use_llm=llm, progress=steps)
        if not result.issue.items:  # nothing for this date: say which date has something
            result.warnings.append(latest_hint(st))
    _report(result, cfg, explain=explain)


def formats_option(names: list[str]) -> list[str]:
    """The output formats ``--as`` names, checked before any work; a usage error listing the known ones."""
    known = renderers()
    for name in names:
        if name not in known:
            raise ConfigError(f"--as must be one of {', '.join(known)}, not {name!r}")
    return names


def edition_option(fmt: str) -> Edition:
    """The edition ``--format`` names; a usage error listing the editions otherwise."""
    from jianbao.editions import editions  # lazy

    known = editions()
    if fmt not in known:
        raise ConfigError(f"--format must be {' or '.join(known)}, not {fmt!r}")
    return known[fmt]


def _report(result: BuildResult, cfg: Config, *, explain: bool = False) -> None:
    issue = result.issue
    for warning in result.warnings:
        err_console.print(f"warning: {warning}")
    if explain:
        table = Table(title=f"picks for {issue.id}")
        for col in ("#", "section", "score", "relevance", "parts", "reason", "title"):
            table.add_column(col)
        for pick in result.picks:
            parts = " ".join(f"{k}={v:g}" for k, v in pick.parts.items() if v and k != "relevance")
            number = str(pick.item.number) if pick.item and pick.item.number else "-"
            section = "—" if pick.left_out else pick.section or cfg.weekly.other_name
            relevance = pick.story.relevance.describe() if pick.story.relevance else ""
            table.add_row(
                number, section, f"{pick.story.score:.2f}", relevance, parts, pick.reason, pick.story.title[:40],
            )  # fmt: skip
        console.print(table)
        _explain_texts(result)
    console.print(f"{issue.id}: {len(issue.items)} items in {len(issue.sections)} sections, {len(issue.other)} in {cfg.weekly.other_name}")
    if result.usage:
        console.print(result.usage)
    for path in result.files.values():
        console.print(str(path))


def _explain_texts(result: BuildResult) -> None:
    """Each item's text: the report and paragraphs it comes from, what cleaning removed, the number check."""
    for n, item in enumerate(result.issue.items, 1):
        console.print(f"\n{item.number or n}. {item.title}", markup=False)
        made = result.texts.get(item.story_id or "")
        for line in made.explain() if made is not None else ["text: the editor's or imported"]:
            console.print(f"  {line}", markup=False)
        check = item.number_check
        if check is not None:
            verdict = "passed" if check.passed else f"failed: {'、'.join(check.unsupported)} not in the source"
            console.print(f"  LLM number check {verdict}", markup=False)
            if not check.passed:
                console.print(f"  LLM's rejected title: {check.title}", markup=False)


def demo(
    date: Annotated[str | None, typer.Option("--date", "-d", help="Issue date (default: the snapshot's date).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="An edition (weekly, daily, a plugin's) or all.")] = "all",
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Build issues from the bundled offline samples into the store the next commands open (the data folder's
    by default; demo.db beside it when that store holds your own sources), unless --store names one.

    Example: jianbao demo --out out/
    """
    from jianbao.config import Config  # lazy
    from jianbao.demo import sample_sources
    from jianbao.editions import editions
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build as build_issue

    cfg = load(config) if config or os.environ.get("JIANBAO_CONFIG") else Config()
    snapshot, sources = sample_sources()
    day = parse_date(date, default=snapshot) if date else snapshot
    chosen = list(editions().values()) if fmt == "all" else [edition_option(fmt)]
    target = store or os.environ.get("JIANBAO_STORE") or _demo_store({s.name for s in sources})
    with opened(cfg, target) as st:
        st.sync_sources(sources)
        with progress() as bar:
            task = bar.add_task("reading samples", total=len(sources))
            report = ingest(
                st, sources, config=cfg, progress=lambda stage, n: bar.advance(task, n if stage == "stored" else 0)
            )
        for rep in report.sources:
            if rep.error:
                err_console.print(f"warning: source {rep.name}: {rep.error}")
        console.print(f"read {len(report.sources)} sample sources, {report.new} new entries")
        for edition in chosen:
            _report(build_issue(st, cfg, day, edition, out_dir=out), cfg)
    flag = "" if target == store_url(load(None), None) else f" --store {target}"
    console.print(f"the samples are stored in {target}; explore them with")
    console.print(f"  jianbao stories --date {day}{flag}    jianbao search OpenAI{flag}    jianbao serve{flag}")


def _demo_store(sample_names: set[str]) -> str:
    """Where the demo keeps its store: the one the next commands open by default (so `jianbao stories` finds
    the samples), unless that store holds the editor's own sources; then ``demo.db`` in the data folder."""
    from jianbao.config import data_dir  # lazy

    default = store_url(load(None), None)
    try:
        with opened(load(None), None) as st:
            own = {s.name for s in st.list_sources()} - sample_names
    except JianbaoError:
        own = {"unusable"}
    if not own:
        return default
    data_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir() / 'demo.db'}"


def render(
    date: Annotated[str, typer.Argument(help="Date of a stored issue, YYYY-MM-DD.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=EDITION_HELP)] = "weekly",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    formats: Annotated[list[str] | None, typer.Option("--as", help=FORMATS_HELP)] = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Re-render a stored issue (built or imported) in jianbao's canonical layout.

    Example: jianbao render 2021-03-05 --format weekly --out out/
    """
    from jianbao.archive.files import write_issue  # lazy
    from jianbao.issue.intro import finalize_intro
    from jianbao.render import render as render_as

    edition = edition_option(fmt)
    chosen = formats_option(formats or ["markdown"])
    cfg = load(config)
    day = parse_date(date)
    with opened(cfg, store) as st:
        found = st.get_issue(f"{edition.name}:{day.isoformat()}")
    if found is None:
        raise JianbaoError(f"no {fmt} issue stored for {day}", hint="see `jianbao issues`")
    issue, _version = found
    if edition.computes_intro:
        # The canonical layout states a computed 导读; an imported issue keeps its editor's remark.
        options = edition.render_options(cfg)
        remark = issue.intro.remark if issue.intro else None
        finalize_intro(issue, lambda i: render_as(i, "markdown", **options), remark=remark)
    files = write_issue(issue, edition, out, chosen, config=cfg)  # the edition's own file name
    for path in files.values():
        console.print(str(path))


def almanac(
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD, 'today' or 'tomorrow'.")] = "today",
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Print the almanac line of the 导读 for a date (the config is validated; the store is not used).

    Example: jianbao almanac 2021-03-05   →   今日惊蛰，一候桃始华
    """
    from jianbao.issue.intro import almanac as almanac_line  # lazy

    load(config)
    console.print(almanac_line(parse_date(date)))


def count(
    file: Annotated[Path, typer.Argument(help="A Markdown issue.")],
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Print the 字数 and the reading-time range of a Markdown file, as the 导读 states them (the config is
    validated; the store is not used).

    Example: jianbao count AI简报20210625.md
    """
    from jianbao.issue.intro import count_chars, reading_minutes  # lazy

    load(config)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise JianbaoError(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise JianbaoError(f"{file}: not UTF-8 text") from None
    except OSError as exc:
        raise JianbaoError(f"{file}: {exc.strerror}") from None
    chars = count_chars(text)
    lo, hi = reading_minutes(chars)
    console.print(f"本文一共 {chars} 字，通篇阅读结束需要 {lo}~{hi} 分钟")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command("config")(config_cmd)
    app.command()(build)
    app.command()(demo)
    app.command()(render)
    app.command()(almanac)
    app.command()(count)
