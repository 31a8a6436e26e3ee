"""The email newsletter: the issue as inline-styled HTML (``render.email``) with a plain-text alternative
(``render.plain``), one message, sent through SMTP.

The channel URL is ``smtp://USER:${SMTP_PASSWORD}@HOST:PORT?from=ADDR&to=ADDR,ADDR`` (STARTTLS when the
server offers it; ``starttls=no`` for a local relay) or ``smtps://…`` (TLS from the first byte, port 465).
Options: ``unsubscribe`` (a URL or mailto: for the List-Unsubscribe header) and ``reply_to``.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from jianbao.config import Config
from jianbao.deliver.budget import Budget, Message, measure
from jianbao.deliver.channels import Channel, Prepared, issue_title
from jianbao.errors import ConfigError, DeliveryError
from jianbao.records import Issue
from jianbao.render.email import markdown_to_email
from jianbao.render.plain import markdown_to_plain

__all__ = ["EmailKind", "SmtpTarget", "smtp_target"]

TIMEOUT = 30.0  # seconds for the SMTP conversation


class SmtpTarget:
    """An smtp(s):// URL read: server, login, sender and recipients."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.tls = parts.scheme.lower() == "smtps"
        self.host = parts.hostname or ""
        self.port = parts.port or (465 if self.tls else 587)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.sender = query.get("from", self.user if "@" in self.user else "")
        self.recipients = [a.strip() for a in query.get("to", "").split(",") if a.strip()]
        self.starttls = query.get("starttls", "auto").lower()


def smtp_target(url: str, name: str) -> SmtpTarget:
    """Read and check an smtp(s):// URL; ConfigError naming the channel when something is missing."""
    target = SmtpTarget(url)
    if not target.host:
        raise ConfigError(f"channel {name!r}: the smtp URL has no server host")
    if not target.sender or not target.recipients:
        raise ConfigError(f"channel {name!r}: the smtp URL needs ?from=ADDRESS&to=ADDRESS[,ADDRESS]")
    return target


class EmailKind:
    """The newsletter: one multipart/alternative message (plain text, then HTML) per issue."""

    name = "email"
    atomic = False

    def claims(self, channel: Channel) -> bool:
        return channel.scheme in ("smtp", "smtps")

    def budget(self, channel: Channel) -> Budget:
        return Budget(channel.budget, "bytes", "html")  # mail has no practical limit; a budget is a choice

    def prepare(self, issue: Issue, channel: Channel, *, config: Config, markdown: str) -> Prepared:
        smtp_target(channel.url, channel.name)  # refuse a URL without sender or recipients before sending
        title = issue_title(issue)
        html = markdown_to_email(markdown, title=title, footer=str(channel.options.get("footer", "")))
        text = markdown_to_plain(markdown)
        size = measure(html, "bytes") + measure(text, "bytes")
        message = Message(title, html, size, alternative=text)
        return Prepared(channel, self, self.budget(channel), [message], note="HTML with a plain-text part")

    def send(
        self, prepared: Prepared, messages: Sequence[Message], *, url: str, config: Config, issue: Issue
    ) -> str:
        channel = prepared.channel
        target = smtp_target(url, channel.name)
        for message in messages:
            self._send_one(channel, target, message)
        return f"to {len(target.recipients)} recipient(s)"

    def _send_one(self, channel: Channel, target: SmtpTarget, message: Message) -> None:
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = target.sender
        mail["To"] = ", ".join(target.recipients)
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=target.sender.rpartition("@")[2] or None)
        if unsubscribe := channel.options.get("unsubscribe"):
            mail["List-Unsubscribe"] = f"<{unsubscribe}>"
        if reply_to := channel.options.get("reply_to"):
            mail["Reply-To"] = str(reply_to)
        mail.set_content(message.alternative or message.body)
        mail.add_alternative(message.body, subtype="html")
        try:
            _send(target, mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(channel.name, f"SMTP {target.host}:{target.port}: {_reason(exc)}") from None


def _send(target: SmtpTarget, mail: EmailMessage) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if target.tls:
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
    with smtp:
        smtp.ehlo()
        if not target.tls and target.starttls != "no" and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif not target.tls and target.starttls == "yes":
            raise smtplib.SMTPNotSupportedError("the server does not offer STARTTLS")
        if target.user and target.password:
            smtp.login(target.user, target.password)
        smtp.send_message(mail, from_addr=target.sender, to_addrs=target.recipients)


def _reason(exc: BaseException) -> str:
    """One line, without anything the server echoed of the login (SMTP errors quote commands)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text.splitlines()[0] if text else ''}".strip()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
