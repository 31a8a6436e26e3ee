"""Turn the bytes of an archive file into normalised text, or a one-line reason why it is not text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

_SNIFF = 8192


@dataclass(slots=True)
class Decoded:
    """Decoded text (LF line endings) plus what had to be guessed, or ``refused`` when it is not text."""

    text: str = ""
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    refused: str | None = None


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR both become LF, so line numbers mean the same in every editor."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (BOM or not) first, then GB18030 (a superset of GBK); refuse what is clearly binary."""
    if _looks_binary(data[:_SNIFF]):
        return Decoded(refused="binary file (NUL or control bytes), not Markdown")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return Decoded(text=normalise_newlines(data.decode("utf-8")), encoding="utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        return Decoded(text=normalise_newlines(data.decode("gb18030")), encoding="gb18030")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    line = data[:first_bad].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    return Decoded(
        text=normalise_newlines(text),
        encoding="utf-8",
        warnings=[f"{line}: invalid UTF-8/GB18030 bytes replaced by U+FFFD"],
    )
