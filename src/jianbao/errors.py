"""The errors jianbao raises, all under ``JianbaoError``, so the CLI can turn any of them into one line.

    JianbaoError            anything jianbao itself reports (never a bug)
    ├── ConfigError         a bad key or value in jianbao.toml; carries file, line and key
    ├── SourceError         a source that cannot be read or parsed; carries the source name
    ├── FetchError          an HTTP failure after retries; carries the URL and the reason
    ├── StoreError          the store cannot be opened, migrated or written
    ├── ImportFileError     a Markdown file that is not an issue or cannot be decoded
    ├── LLMError            the LLM endpoint failed or answered outside the schema
    ├── DeliveryError       a channel refused or could not take a message; carries the channel name
    ├── RunLocked           another `jianbao run` holds the run lock (exit status 75, "try again later")
    └── EmbedError          the embedding backend cannot load or its endpoint failed

Each carries enough context (``source``, ``key``, ``path``, ``line``) for the message to stand alone; the
CLI prints ``str(error)`` and exits with ``error.exit_code``. A batch (fetch, import) catches these per
item, reports them and carries on.
"""

from __future__ import annotations


class JianbaoError(Exception):
    """Base for every error jianbao reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(JianbaoError):
    """A configuration file or value is wrong; exit status 2 like any usage error."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(f"{where}{message}", hint=hint)
        self.path = path
        self.line = line
        self.key = key


class SourceError(JianbaoError):
    """A source that cannot be read or parsed; the batch reports it by name and goes on."""

    def __init__(self, source: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"source {source!r}: {message}", hint=hint)
        self.source = source
        self.reason = message


class FetchError(JianbaoError):
    """An HTTP failure after retries, or a URL refused (private address, bad scheme)."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.status = status


class StoreError(JianbaoError):
    """The store cannot be opened, migrated or written, or an edit lost a race (stale version)."""


class ImportFileError(JianbaoError):
    """A Markdown file that is not an issue or cannot be decoded."""

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class LLMError(JianbaoError):
    """The LLM endpoint failed or answered outside the schema; callers fall back to extractive text."""


class DeliveryError(JianbaoError):
    """A channel refused or could not take a message; a delivery reports it by channel name and goes on."""

    def __init__(self, channel: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"channel {channel!r}: {message}", hint=hint)
        self.channel = channel
        self.reason = message


class RunLocked(JianbaoError):
    """Another run holds the run lock; exit status 75 (EX_TEMPFAIL: try again later)."""

    exit_code = 75


class EmbedError(JianbaoError):
    """The embedding backend cannot load (local model) or its endpoint failed after retries."""
