"""Turn the bytes of an archive file into normalised text, or a one-line reason why it is not text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

_SNIFF = 8192
_MOSTLY_UTF8 = 0.05  # share of broken characters below which a file is still UTF-8


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
    except UnicodeDecodeError:
        pass
    lenient = normalise_newlines(data.decode("utf-8", errors="replace"))
    bad = lenient.count("\ufffd")
    non_ascii = sum(1 for ch in lenient if ord(ch) > 127)
    if bad / max(non_ascii, 1) < _MOSTLY_UTF8:
        # a UTF-8 file with a few broken bytes (often a truncated last character): keep it UTF-8
        return Decoded(text=lenient, encoding="utf-8", warnings=_replacement_warnings(lenient))
    try:
        return Decoded(text=normalise_newlines(data.decode("gb18030")), encoding="gb18030")
    except UnicodeDecodeError:
        return Decoded(text=lenient, encoding="utf-8", warnings=_replacement_warnings(lenient))


def _replacement_warnings(text: str, *, limit: int = 20) -> list[str]:
    """One ``line: problem`` per line that holds undecodable bytes, capped so a bad file stays readable."""
    lines = [n for n, line in enumerate(text.split("\n"), 1) if "\ufffd" in line]
    warnings = [f"{n}: undecodable bytes replaced by U+FFFD" for n in lines[:limit]]
    if len(lines) > limit:
        warnings.append(f"{lines[limit]}: {len(lines) - limit} more lines with undecodable bytes")
    return warnings
