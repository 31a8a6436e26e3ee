"""Commands that run the whole job: run (once, or as a service on the [schedule]) and runs (the record)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jianbao.cli._common import ConfigOpt, StoreOpt, console, err_console, load, opened, parse_date
from jianbao.errors import RunLocked

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.config import Config
    from jianbao.run import RunReport
    from jianbao.schedule import Firing

# Each command imports its stage when it runs (``# lazy``): ``jianbao --help`` loads none of them.


def run(
    once: Annotated[bool, typer.Option("--once", help="Run the job once and exit (for cron, timers and CI).")] = False,
    date: Annotated[str | None, typer.Option("--date", "-d", help="Issue date (default: today in [schedule] timezone).")] = None,
    edition: Annotated[list[str] | None, typer.Option("--edition", "-e", help="Only this edition (repeatable; default: [run] editions).")] = None,
    fetch: Annotated[bool, typer.Option("--fetch/--no-fetch", help="Fetch the sources first.")] = True,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Fetch, build each edition, check repeats, publish or leave drafts, deliver; record the run.

    Without --once, stays up and runs on the [schedule] table's cron expressions. Exit status (--once):
    0 all good, 3 done with some sources or channels failing, 1 failed, 75 another run holds the lock.

    Example: jianbao run --once --date 2026-11-20
    """
    cfg = load(config)
    if once:
        report = _run_once(cfg, store, day=parse_date(date) if date else None, editions=edition, fetch=fetch)
        raise typer.Exit(report.exit_code)
    _serve(cfg, store)


def _run_once(
    cfg: Config,
    store: str | None,
    *,
    day: dt.date | None,
    editions: list[str] | None,
    fetch: bool,
    trigger: str = "once",
) -> RunReport:
    from jianbao.run import run_once  # lazy

    with opened(cfg, store) as st:
        report = run_once(st, cfg, day=day, editions=editions, fetch=fetch, trigger=trigger)
    _print_report(report)
    return report


def _print_report(report: RunReport) -> None:
    run_ = report.run
    counts = run_.counts
    fetched = counts.get("fetch")
    if fetched:
        console.print(f"fetch    {fetched['sources']} sources, {fetched['new']} new entries, {fetched['failed']} failed")
    for built in counts.get("build", {}).values():
        items = f", {built['items']} items, {built.get('repeats', 0)} repeating" if "items" in built else ""
        console.print(f"build    {built['issue']}: {built['state']}{items}")
    for name, state in counts.get("publish", {}).items():
        console.print(f"publish  {name}: {state}")
    for channel, per in counts.get("deliver", {}).items():
        for name, summary in per.items():
            console.print(f"deliver  {channel} ← {name}: {summary}")
    for warning in run_.warnings:
        err_console.print(f"warning: {warning}")
    for error in run_.errors:
        err_console.print(f"failed: {error}")
    console.print(f"run {run_.id}: {run_.state}" + (f" (resumed run {run_.resumed_from})" if run_.resumed_from else ""))


def _serve(cfg: Config, store: str | None) -> None:
    from jianbao.schedule import next_firing, scheduled_jobs, serve  # lazy

    jobs = scheduled_jobs(cfg)
    if not jobs:
        raise typer.BadParameter("the [schedule] table has no cron expression", param_hint="[schedule]")
    upcoming = next_firing(jobs, timezone=cfg.schedule.timezone, after=dt.datetime.now(dt.UTC))
    err_console.print(f"scheduler up: {', '.join(f'{j.name} {j.cron!r}' for j in jobs)} ({cfg.schedule.timezone})")
    if upcoming:
        err_console.print(f"next run {upcoming.at.isoformat()}: {', '.join(upcoming.editions) or 'fetch only'}")

    def fire(firing: Firing) -> None:
        try:
            _run_once(cfg, store, day=None, editions=firing.editions, fetch=True, trigger="schedule")
        except RunLocked as exc:
            err_console.print(f"skipped the {firing.at.isoformat()} run: {exc}")

    serve(cfg, fire)


def runs(
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many runs, newest first.")] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """List recent runs: when, what they built and delivered, warnings and errors.

    Example: jianbao runs --limit 5
    """
    cfg = load(config)
    with opened(cfg, store) as st:
        records = st.latest_runs(limit)
    if json_out:
        out = [
            {
                "id": r.id, "state": r.state, "trigger": r.trigger, "day": r.day.isoformat() if r.day else None,
                "started_at": r.started_at.isoformat(), "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                "editions": r.editions, "counts": r.counts, "warnings": r.warnings, "errors": r.errors,
                "resumed_from": r.resumed_from,
            }
            for r in records
        ]  # fmt: skip
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    if not records:
        console.print("no runs yet: try `jianbao run --once`")
        return
    table = Table()
    for col in ("run", "started (UTC)", "took", "state", "day", "fetched", "built", "delivered", "warnings", "errors"):
        table.add_column(col, overflow="fold")
    for r in records:
        fetched = r.counts.get("fetch", {})
        built = ", ".join(f"{k} {v.get('items', '-')}" for k, v in r.counts.get("build", {}).items())
        delivered = sum(1 for per in r.counts.get("deliver", {}).values() for s in per.values() if "failed" not in s)
        table.add_row(
            str(r.id), r.started_at.strftime("%Y-%m-%d %H:%M"), f"{r.seconds:.0f} s" if r.seconds is not None else "-",
            r.state, str(r.day or "-"), f"{fetched.get('new', 0)} new" if fetched else "-", built or "-",
            str(delivered), str(len(r.warnings)), str(len(r.errors)),
        )  # fmt: skip
    console.print(table)
    latest = records[0]
    for line in latest.errors:
        console.print(f"run {latest.id} failed: {line}")


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(runs)
