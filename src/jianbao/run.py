"""`jianbao run`: the whole morning job as configured, in one call that cron, a systemd timer, CI or the
scheduler makes.

``run_once`` reads top to bottom; each stage is one call into its home:

  lock          store.acquire_run_lock      two runs never overlap (SQLite and PostgreSQL alike)
  record        store.start_run             a run killed earlier is marked interrupted; this one resumes it
  fetch         ingestion.ingest            every enabled source; health counted per run, flagged, disabled
  build         issue.build                 each edition; a published issue or an editor's draft is kept
  check         issue.repeats               items repeating a published story become warnings
  publish       archive.publish             the editions configured to publish at once (site link live)
  deliver       deliver.deliver_issue       every channel that takes the edition; resumed, never twice

Each stage writes the run record as it ends, so a killed run leaves what it did, and a rerun duplicates
nothing: entries are upserted, issues replaced by id, messages recorded before and after they go.
Exit codes: 0 all good, 3 done with some sources or channels failing, 1 failed, 75 another run holds the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.archive.publish import publish_issue
from jianbao.config import Config
from jianbao.deliver import ChannelReport, configured_channels, deliver_issue
from jianbao.editions import Edition, get_edition
from jianbao.errors import JianbaoError, RunLocked
from jianbao.ingestion.runner import IngestReport, ingest, sources_from_config
from jianbao.issue.build import NothingToBuild, build
from jianbao.issue.repeats import find_issue_repeats
from jianbao.records import Issue
from jianbao.store import RunRecord, Store

__all__ = ["EXIT_FAILED", "EXIT_LOCKED", "EXIT_OK", "EXIT_PARTIAL", "RunReport", "run_once", "today_in"]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_PARTIAL = 3  # done, with some sources or channels failing (systemd: SuccessExitStatus=3)
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is in progress; try again later


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """The date in ``timezone`` (Asia/Shanghai by default): a 06:30 run builds that morning's issue."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(zoneinfo.ZoneInfo(timezone)).date()


@dataclass(slots=True)
class RunReport:
    """What a run did: its record (as stored), the issues it built or kept, and each channel's outcome."""

    run: RunRecord
    issues: dict[str, Issue] = field(default_factory=dict)
    ingest: IngestReport | None = None
    deliveries: dict[str, list[ChannelReport]] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(self.run.state, EXIT_FAILED)


def run_once(
    store: Store,
    config: Config,
    *,
    day: dt.date | None = None,
    editions: Sequence[str] | None = None,
    trigger: str = "once",
    fetch: bool = True,
    out_dir: Path | None = None,
    now: dt.datetime | None = None,
    env: Mapping[str, str] | None = None,
) -> RunReport:
    """Run the configured job once: fetch, build each edition, check repeats, publish, deliver.

    ``editions`` defaults to ``[run] editions`` (none: a fetch-only run); ``day`` to today in the schedule's
    time zone. Raises ``RunLocked`` when another run holds the lock. Stage failures are recorded and turn the
    run ``partial`` or ``failed`` (see the module docstring); an interruption marks it ``interrupted``.
    """
    names = list(config.run.editions if editions is None else editions)
    chosen = [get_edition(name) for name in names]  # an unknown edition is a ConfigError before anything runs
    lock = store.acquire_run_lock()
    if lock is None:
        raise RunLocked(_locked_message(store), hint="runs never overlap; this one can be retried later")
    with lock:
        day = day or today_in(config.schedule.timezone, now)
        run = store.start_run(trigger=trigger, day=day, editions=names, now=now)
        job = _Job(store, config, RunReport(run), day=day, out_dir=out_dir, env=env)
        try:
            if fetch:
                job.fetch()
            for edition in chosen:
                job.build(edition)
            job.publish()
            job.deliver()
        except JianbaoError as exc:
            run.errors.append(exc.message)
            run.state = "failed"
        except BaseException:
            run.state = "interrupted"  # Ctrl-C or a signal: the next run resumes it
            raise
        finally:
            if run.state == "running":
                run.state = "failed" if job.failed else ("partial" if run.errors else "ok")
            run.ended_at = now or dt.datetime.now(dt.UTC)
            store.save_run(run)
    return job.report


class _Job:
    """One run's stages, each writing its counts, warnings and errors into the run record."""

    def __init__(
        self,
        store: Store,
        config: Config,
        report: RunReport,
        *,
        day: dt.date,
        out_dir: Path | None,
        env: Mapping[str, str] | None,
    ) -> None:
        self.store, self.config, self.report, self.day, self.env = store, config, report, day, env
        self.run = report.run
        self.out_dir = out_dir or config.resolve(config.output.dir)
        self.failed = False  # a stage failed outright (not one source or one channel)

    def _save(self, stage: str, counts: Any) -> None:
        self.run.counts[stage] = counts
        self.store.save_run(self.run)

    def fetch(self) -> None:
        """Fetch every enabled source not switched off by earlier runs; count each source's outcome."""
        configured = sources_from_config(self.config)
        self.store.sync_sources(configured)
        off = self.store.disabled_by_runs()
        sources = [s for s in self.store.list_sources() if s.name in {c.name for c in configured}]
        chosen = [s for s in sources if s.enabled and s.name not in off]
        report = ingest(self.store, chosen, config=self.config)
        self.report.ingest = report
        outcomes = {rep.name: rep.error for rep in report.sources}
        settings = self.config.run
        change = self.store.record_run_health(
            outcomes, flag_after=settings.flag_after, disable_after=settings.disable_after
        )
        for rep in report.failed:
            self.run.errors.append(f"source {rep.name}: {rep.error}")
        flagged = [h for h in self.store.source_health() if h.flagged and h.name in outcomes]
        for h in flagged:
            self.run.warnings.append(f"source {h.name} flagged: failed {h.failed_runs} runs in a row")
        for name in change.disabled:
            self.run.warnings.append(f"source {name} disabled after {settings.disable_after} failed runs "
                                     f"(`jianbao sources enable {name}` turns it back on)")  # fmt: skip
        if report.sources and len(report.failed) == len(report.sources):
            self.failed = True
        self._save("fetch", {
            "sources": len(report.sources), "failed": len(report.failed), "new": report.new,
            "updated": sum(r.updated for r in report.sources), "skipped": sorted(off & {s.name for s in sources}),
            "flagged": [h.name for h in flagged], "disabled": change.disabled,
        })  # fmt: skip

    def build(self, edition: Edition) -> None:
        """Build the edition's issue of the day, unless it is published or an editor changed the draft."""
        issue_id = f"{edition.name}:{self.day.isoformat()}"
        counts: dict[str, Any] = self.run.counts.setdefault("build", {})
        stored = self.store.get_issue(issue_id)
        state = "built"
        if stored is not None and stored[0].state == "published":
            issue, state = stored[0], "published before"
        elif stored is not None and self.store.built_version(issue_id) != stored[1]:
            issue, state = stored[0], "kept"
            self.run.warnings.append(f"{issue_id}: kept the draft on the desk (changed since a run built it)")
        else:
            try:
                result = build(self.store, self.config, self.day, edition, out_dir=self.out_dir)
            except NothingToBuild as exc:
                self.run.errors.append(f"{issue_id}: {exc.message}")
                counts[edition.name] = {"issue": issue_id, "state": "nothing to build"}
                self._save("build", counts)
                return
            except JianbaoError as exc:
                self.failed = True
                self.run.errors.append(f"{issue_id}: {exc.message}")
                counts[edition.name] = {"issue": issue_id, "state": "failed"}
                self._save("build", counts)
                return
            issue = result.issue
            self.run.warnings += [f"{issue_id}: {w}" for w in result.warnings]
            saved = self.store.get_issue(issue_id)
            if saved is not None:
                self.store.record_build(issue_id, run_id=self.run.id, version=saved[1])
        self.report.issues[edition.name] = issue
        repeats, _compared = find_issue_repeats(self.store, issue, config=self.config)
        for r in repeats:
            self.run.warnings.append(
                f"{issue_id} #{r.index + 1} {r.title[:40]} repeats {r.earlier_date} #{r.earlier_index + 1}"
            )
        counts[edition.name] = {"issue": issue_id, "state": state, "items": len(issue.items),
                                "repeats": len({r.index for r in repeats})}  # fmt: skip
        self._save("build", counts)

    def publish(self) -> None:
        """Publish the editions configured to go out at once; the others stay drafts for the desk."""
        counts: dict[str, str] = {}
        for name, issue in self.report.issues.items():
            if name not in self.config.run.publish:
                counts[name] = "draft" if issue.state != "published" else "published before"
                continue
            if issue.state == "published":
                counts[name] = "published before"
                continue
            if not issue.items:
                self.run.errors.append(f"{issue.id}: not published: it has no items")
                counts[name] = "empty"
                continue
            try:
                publish_issue(self.store, issue, config=self.config, markdown=self.store.get_markdown(issue.id))
            except JianbaoError as exc:
                self.run.errors.append(f"{issue.id}: not published: {exc.message}")
                counts[name] = "failed"
                continue
            got = self.store.get_issue(issue.id)
            self.report.issues[name] = got[0] if got else issue
            counts[name] = "published"
        self._save("publish", counts)

    def deliver(self) -> None:
        """Each issue to every channel that takes its edition; what a killed run sent is not sent again."""
        channels = configured_channels(self.config)
        counts: dict[str, dict[str, str]] = {}
        for name, issue in self.report.issues.items():
            if issue.state != "published" and not self.config.run.deliver_drafts:
                continue
            takers = [c for c in channels if c.receives(name)]
            if not takers:
                continue
            markdown = self.store.get_markdown(issue.id) or ""
            reports = deliver_issue(issue, takers, config=self.config, markdown=markdown, store=self.store,
                                    run_id=self.run.id, resume=True, env=self.env)  # fmt: skip
            self.report.deliveries[name] = reports
            for rep in reports:
                counts.setdefault(rep.channel, {})[name] = _delivery_summary(rep)
                if rep.error:
                    self.run.errors.append(f"channel {rep.channel} ({name}): {rep.error}")
                elif rep.uncertain:
                    self.run.warnings.append(f"channel {rep.channel} ({name}): {rep.detail}")
        self._save("deliver", counts)


def _delivery_summary(rep: ChannelReport) -> str:
    total = len(rep.messages)
    parts = [f"{rep.sent}/{total} sent"]
    if rep.skipped:
        parts.append(f"{rep.skipped} sent before")
    if rep.uncertain:
        parts.append(f"{rep.uncertain} uncertain")
    if rep.error:
        parts.append("failed")
    return ", ".join(parts)


def _locked_message(store: Store) -> str:
    running = store.running_run()
    if running is None:
        return "another run is in progress"
    since = running.started_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"another run is in progress (run {running.id}, started {since}, pid {running.pid} on {running.host})"
