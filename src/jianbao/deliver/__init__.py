"""Delivery: an issue sent where readers are — chat and push services through Apprise, an email newsletter,
the 公众号 draft box — each channel within its own length budget; one failing channel never stops the others.

    budget      the issue as units (head, items) fitted to a budget: whole, split at items, or a digest
    channels    Channel, the ChannelKind protocol, secrets from the environment, the Apprise kind
    email       the newsletter: inline-styled HTML plus a plain-text part, through SMTP
    wechat_mp   the Official Account draft box: token, image uploads, cover material, draft/add

Kinds register here (``register_channel_kind``), from every plugin's ``register_channels`` hook on first use;
the built-ins come through the same door.
``deliver_issue`` is what `jianbao deliver`, `jianbao run` and the MCP server share.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jianbao import plugins
from jianbao.config import Config
from jianbao.deliver.budget import Budget, Message
from jianbao.deliver.channels import (
    AppriseKind,
    Channel,
    ChannelKind,
    Prepared,
    expand_secrets,
    redact,
    target_of,
)
from jianbao.deliver.email import EmailKind
from jianbao.deliver.wechat_mp import WechatDraftKind
from jianbao.errors import ConfigError, JianbaoError
from jianbao.hookspecs import hookimpl
from jianbao.records import Issue
from jianbao.store import Store
from jianbao.store.runs import DeliveryState

__all__ = [
    "Channel",
    "ChannelKind",
    "ChannelReport",
    "channel_kind",
    "channel_kinds",
    "configured_channels",
    "deliver_issue",
    "register_channel_kind",
]

log = logging.getLogger(__name__)

_KINDS: list[ChannelKind] = []


def _load_plugins() -> None:
    plugins.register_all("register_channels", register_channel_kind)


@hookimpl
def register_channels(register: Callable[[ChannelKind], None]) -> None:
    """The built-in kinds, registered through the same hook as a plugin's."""
    register(AppriseKind())
    register(EmailKind())
    register(WechatDraftKind())


def register_channel_kind(kind: ChannelKind) -> None:
    """Add (or replace, by name) a kind of channel. Kinds registered later are asked first, so a plugin can
    claim a scheme Apprise also knows; Apprise, the catch-all, is asked last."""
    _load_plugins()
    _KINDS[:] = [k for k in _KINDS if k.name != kind.name]
    _KINDS.insert(0 if kind.name != "apprise" else len(_KINDS), kind)


def channel_kinds() -> list[ChannelKind]:
    """Every registered kind, in the order they are asked."""
    _load_plugins()
    return list(_KINDS)


def channel_kind(channel: Channel) -> ChannelKind:
    """The kind that takes this channel's URL; ConfigError naming the channel otherwise."""
    _load_plugins()
    for kind in _KINDS:
        if kind.claims(channel):
            return kind
    raise ConfigError(
        f"channel {channel.name!r}: no channel kind understands {channel.scheme or 'this URL'}://",
        hint="use an Apprise URL (json://, tgram://, dingtalk://, …), smtp://, smtps:// or wxmp://",
    )




def configured_channels(config: Config, *, names: Sequence[str] = ()) -> list[Channel]:
    """The ``[[channels]]`` of the config (only ``names`` when given; an unknown name is a ConfigError)."""
    channels = [Channel.from_settings(c) for c in config.channels]
    seen = [c.name for c in channels]
    dupes = sorted({n for n in seen if seen.count(n) > 1})
    if dupes:
        raise ConfigError(f"channel {dupes[0]!r} is defined twice")
    if names:
        unknown = [n for n in names if n not in seen]
        if unknown:
            raise ConfigError(f"unknown channel {unknown[0]!r}", hint=f"configured: {', '.join(seen) or 'none'}")
        channels = [c for c in channels if c.name in names]
    return channels


@dataclass(slots=True)
class ChannelReport:
    """What happened (or, dry, would happen) on one channel: the messages and their sizes, and the outcome."""

    channel: str
    kind: str
    target: str  # scheme and host, safe to print
    budget: Budget | None
    messages: list[Message] = field(default_factory=list)
    note: str = ""
    sent: int = 0
    skipped: int = 0  # already delivered by an earlier run
    uncertain: int = 0  # a killed run was sending these: not sent again (at most once)
    error: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def deliver_issue(
    issue: Issue,
    channels: Sequence[Channel],
    *,
    config: Config,
    markdown: str,
    store: Store | None = None,
    run_id: int | None = None,
    resume: bool = False,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> list[ChannelReport]:
    """Send ``issue`` to each channel (or, ``dry_run``, only say what would go where, with sizes).

    With a ``store`` every message is recorded (sending → sent or failed); with ``resume`` messages recorded
    as sent are skipped, and those a killed run was sending are not sent again but reported: delivery is at
    most once, since a message that reached a chat cannot be taken back. A channel's failure is reported by
    name in its ``ChannelReport`` and the others go on.
    """
    reports = []
    for channel in channels:
        report = ChannelReport(channel.name, "?", target_of(channel), None)
        reports.append(report)
        try:
            kind = channel_kind(channel)
            report.kind = kind.name
            prepared = kind.prepare(issue, channel, config=config, markdown=markdown)
        except JianbaoError as exc:
            report.error = exc.message
            continue
        report.budget, report.messages, report.note = prepared.budget, prepared.messages, prepared.note
        if not dry_run:
            _send(prepared, report, issue=issue, config=config, store=store, run_id=run_id, resume=resume, env=env)
    return reports


def _send(
    prepared: Prepared,
    report: ChannelReport,
    *,
    issue: Issue,
    config: Config,
    store: Store | None,
    run_id: int | None,
    resume: bool,
    env: Mapping[str, str] | None,
) -> None:
    channel, kind = prepared.channel, prepared.kind
    secrets: list[str] = []
    try:
        url, secrets = expand_secrets(channel.url, env)
        states = store.delivery_states(issue.id, channel.name) if store is not None and resume else {}
        todo = []
        for message in prepared.messages:
            state = states.get(message.part)
            if state == "sent":
                report.skipped += 1
            elif state == "sending":
                report.uncertain += 1
            else:
                todo.append(message)
        batches = [todo] if kind.atomic and todo else [[m] for m in todo]
        for batch in batches:
            _record(store, issue, channel, batch, "sending", run_id=run_id)
            try:
                detail = kind.send(prepared, batch, url=url, config=config, issue=issue)
            except Exception as exc:
                reason = exc.message if isinstance(exc, JianbaoError) else f"internal error: {exc!r}"
                if not isinstance(exc, JianbaoError):
                    log.exception("channel %s failed unexpectedly", channel.name)
                reason = redact(getattr(exc, "reason", reason), secrets)
                _record(store, issue, channel, batch, "failed", run_id=run_id, detail=reason)
                report.error = reason
                return
            report.detail = redact(detail, secrets)
            _record(store, issue, channel, batch, "sent", run_id=run_id, detail=report.detail or None)
            report.sent += len(batch)
    except JianbaoError as exc:
        report.error = redact(exc.message, secrets)
    if report.uncertain:
        report.detail = (report.detail + "; " if report.detail else "") + (
            f"{report.uncertain} message(s) were being sent when a run was killed: not sent again, check the "
            f"channel (`jianbao deliver` sends on request)"
        )


def _record(
    store: Store | None,
    issue: Issue,
    channel: Channel,
    batch: Sequence[Message],
    state: DeliveryState,
    *,
    run_id: int | None,
    detail: str | None = None,
) -> None:
    if store is None:
        return
    for message in batch:
        store.record_delivery(
            issue.id, channel.name, part=message.part, parts=message.parts, state=state,
            size=message.size, detail=detail, run_id=run_id,
        )  # fmt: skip
