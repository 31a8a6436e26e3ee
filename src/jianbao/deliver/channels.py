"""Delivery channels: the kinds of channel (a registry any plugin can add to), secrets from the environment, and
the built-in kind that reaches most services through Apprise.

A ``[[channels]]`` table names a channel and its URL. The URL's scheme picks the kind: ``smtp://``/``smtps://``
is the email newsletter (``deliver.email``), ``wxmp://`` the 公众号 draft box (``deliver.wechat_mp``), and
anything Apprise understands (``json://``, ``tgram://``, ``dingtalk://``, ``wecombot://``, ``feishu://``,
``ntfy://``, ``mailto://`` …) goes through Apprise. Secrets are written ``${ENV_VAR}`` and only ever expanded
at the moment of sending; what is printed or stored is the URL as written.

A kind says its budget (size, unit, text form), prepares an issue's messages (``budget.fit``) and sends them.
Kinds register in ``jianbao.deliver`` (``register_channel_kind``), the door the plugin hooks will use.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from jianbao.config import ChannelSettings, Config
from jianbao.deliver.budget import Budget, Form, Message, SizeUnit, fit, split_units
from jianbao.errors import ConfigError, DeliveryError
from jianbao.records import Issue

__all__ = [
    "APPRISE_BUDGETS",
    "AppriseKind",
    "Channel",
    "ChannelKind",
    "Prepared",
    "expand_secrets",
    "issue_link",
    "prepare_text",
    "redact",
    "target_of",
]

_SECRET_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Per Apprise service: the platform's own message limit, its unit and the form it renders best. Apprise's
# plugins know a limit too (``body_maxlen``), used for any service not listed here.
APPRISE_BUDGETS: dict[str, Budget] = {
    "tgram": Budget(4096, "utf16", "markdown"),  # Telegram counts UTF-16 code units after entity parsing
    "wecombot": Budget(4096, "bytes", "markdown"),  # WeCom group bot: markdown content ≤ 4096 bytes UTF-8
    "dingtalk": Budget(20000, "bytes", "markdown"),  # DingTalk robot: markdown text ≤ 20000 bytes
    "feishu": Budget(20000, "bytes", "text"),  # Feishu/Lark bots: request body ≤ 20 KB
    "lark": Budget(20000, "bytes", "text"),
    "slack": Budget(35000, "chars", "markdown"),
    "discord": Budget(2000, "chars", "markdown"),
    "ntfy": Budget(4096, "bytes", "markdown"),  # ntfy turns longer messages into attachments
    "json": Budget(30000, "chars", "markdown"),
    "form": Budget(30000, "chars", "markdown"),
    "xml": Budget(30000, "chars", "markdown"),
    "mailto": Budget(0, "bytes", "html"),
    "mailtos": Budget(0, "bytes", "html"),
}


@dataclass(frozen=True, slots=True)
class Channel:
    """One configured channel (or the one-off ``--to URL``)."""

    name: str
    url: str  # as written, with ${VAR} placeholders
    form: Form | None = None
    budget: int = 0
    long: str = "split"
    max_messages: int = 6
    editions: tuple[str, ...] = ()
    enabled: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: ChannelSettings) -> Channel:
        return cls(
            name=settings.name, url=settings.url, form=settings.form or None, budget=settings.budget,
            long=settings.long, max_messages=settings.max_messages, editions=tuple(settings.editions),
            enabled=settings.enabled, options=dict(settings.options),
        )  # fmt: skip

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0].lower() if "://" in self.url else ""

    def receives(self, edition: str) -> bool:
        return self.enabled and (not self.editions or edition in self.editions)


@dataclass(slots=True)
class Prepared:
    """What a channel would send of an issue: its messages within the budget, and how they were made."""

    channel: Channel
    kind: ChannelKind
    budget: Budget
    messages: list[Message]
    note: str = ""


class ChannelKind(Protocol):
    """A kind of channel: which URLs it takes, its budget, how it words an issue and how it sends."""

    name: str
    atomic: bool  # True: all messages go in one send (a draft of several articles); False: one by one

    def claims(self, channel: Channel) -> bool: ...

    def budget(self, channel: Channel) -> Budget: ...

    def prepare(self, issue: Issue, channel: Channel, *, config: Config, markdown: str) -> Prepared: ...

    def send(
        self, prepared: Prepared, messages: Sequence[Message], *, url: str, config: Config, issue: Issue
    ) -> str:
        """Send messages to the expanded ``url``; returns a detail line for the report (may be empty), raises
        ``DeliveryError`` with a reason otherwise."""
        ...


def expand_secrets(url: str, env: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """The URL with every ``${VAR}`` replaced from the environment, and the values put in (to redact them from
    any message); a missing variable is a ConfigError naming it, never its value."""
    env = os.environ if env is None else env
    missing = [name for name in _SECRET_RE.findall(url) if not env.get(name)]
    if missing:
        raise ConfigError(f"environment variable {missing[0]} is not set", hint="export it before running")
    values = [env[name] for name in _SECRET_RE.findall(url)]
    return _SECRET_RE.sub(lambda m: env[m.group(1)], url), values


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret value replaced by ****, and any password in a URL's userinfo too."""
    for value in sorted(secrets, key=len, reverse=True):
        if value:
            text = text.replace(value, "****")
    return re.sub(r"(://[^/:@\s]*:)[^@\s/]+@", r"\1****@", text)


def issue_link(issue: Issue, config: Config) -> str:
    """The issue's page on the published site, where a digest points; empty while the issue is a draft (the
    site holds published issues only) or while ``[output] site_url`` is still the placeholder default."""
    site_url = config.output.site_url
    if issue.state != "published" or site_url == type(config.output).model_fields["site_url"].default:
        return ""
    return f"{site_url.rstrip('/')}/issues/{issue.date.isoformat()}-{issue.format}.html"


def issue_title(issue: Issue) -> str:
    """The title a message carries: the edition's title of the date (AI 早报 2026-11-20)."""
    from jianbao.render.wechat import issue_title as title_of  # lazy: css-inline and lxml load on first send

    return title_of(issue)


def prepare_text(issue: Issue, channel: Channel, budget: Budget, *, config: Config, markdown: str) -> list[Message]:
    """The issue's Markdown fitted to a text channel's budget: whole, split at items, or the digest."""
    return fit(
        issue_title(issue), split_units(markdown), budget, link=issue_link(issue, config),
        max_messages=channel.max_messages, prefer_digest=channel.long == "digest",
    )  # fmt: skip


class AppriseKind:
    """Every service Apprise knows: one message per part, in the channel's form, with the title."""

    name = "apprise"
    atomic = False

    def claims(self, channel: Channel) -> bool:
        return bool(channel.scheme) and _apprise_plugin(channel.scheme) is not None

    def budget(self, channel: Channel) -> Budget:
        known = APPRISE_BUDGETS.get(channel.scheme)
        if known is None:
            plugin = _apprise_plugin(channel.scheme)
            limit = int(getattr(plugin, "body_maxlen", 0) or 0)
            formats = getattr(plugin, "notify_format", "text")
            first = str(formats[0] if isinstance(formats, tuple) else formats)
            known = Budget(limit, "chars", first if first in ("markdown", "html", "text") else "text")  # type: ignore[arg-type]  # checked just before
        return _override(known, channel)

    def prepare(self, issue: Issue, channel: Channel, *, config: Config, markdown: str) -> Prepared:
        budget = self.budget(channel)
        messages = prepare_text(issue, channel, budget, config=config, markdown=markdown)
        return Prepared(channel, self, budget, messages, note=_note(messages, link=issue_link(issue, config)))

    def send(
        self, prepared: Prepared, messages: Sequence[Message], *, url: str, config: Config, issue: Issue
    ) -> str:
        import apprise  # lazy: Apprise loads its plugins on first use, not at CLI start-up

        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            raise DeliveryError(prepared.channel.name, "Apprise cannot use this URL (check its form)")
        for message in messages:
            with _AppriseWarnings() as warnings:
                ok = plugin.notify(
                    body=message.body, title=message.title, body_format=apprise.NotifyFormat(prepared.budget.form)
                )
            if not ok:
                raise DeliveryError(prepared.channel.name, warnings.lines[-1] if warnings.lines else
                                    "Apprise reported a failure")  # fmt: skip
        return ""


class _AppriseWarnings(logging.Handler):
    """Apprise says why a notification failed only in its log: keep those lines while one is sent."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def __enter__(self) -> _AppriseWarnings:
        logging.getLogger("apprise").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("apprise").removeHandler(self)


def _override(budget: Budget, channel: Channel) -> Budget:
    """The channel's own ``budget`` and ``form`` settings over the kind's."""
    limit = channel.budget or budget.limit
    unit: SizeUnit = budget.unit
    return Budget(limit, unit, channel.form or budget.form)


def _note(messages: Sequence[Message], *, link: str) -> str:
    if len(messages) == 1 and messages[0].digest:
        return "digest of titles with a link" if link else "digest of titles (no link: not on the site yet)"
    return f"split at item boundaries into {len(messages)}" if len(messages) > 1 else "whole"


def _apprise_plugin(scheme: str) -> object | None:
    from apprise.manager_plugins import NotificationManager  # lazy: see AppriseKind.send

    try:
        plugin: object = NotificationManager()[scheme]  # type: ignore[no-untyped-call]  # Apprise's manager is unannotated
        return plugin
    except KeyError:
        return None


def target_of(channel: Channel) -> str:
    """Where a channel sends, safe to print: scheme and host, never the path, user or secrets."""
    parts = urlsplit(channel.url)
    host = parts.hostname or ""
    if _SECRET_RE.search(host):
        host = "…"
    return f"{parts.scheme}://{host}{':' + str(parts.port) if _has_port(parts) else ''}"


def _has_port(parts: Any) -> bool:
    try:
        return parts.port is not None
    except ValueError:
        return False
