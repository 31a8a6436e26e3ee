"""The shortcuts of ``jianbao.ingestion.extract`` agree with the slow, obvious computation they replace."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from jianbao.ingestion.extract import (
    _HAN_RE,
    _HANGUL_RE,
    _KANA_RE,
    _LATIN_RE,
    _count,
    _href,
    _letters,
    _parse_html,
    _text_of,
    _tidy,
    detect_language,
    html_to_text,
)

# Code points on both sides of every block edge the byte counting relies on.
_EDGES = [
    0x40, 0x41, 0x5A, 0x61, 0x7A, 0xBF, 0xC0, 0xD7, 0xFF, 0x100, 0x23F, 0x240, 0x24F, 0x250,
    0x3000, 0x3002, 0x303F, 0x3040, 0x30FF, 0x3100, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00,
    0x9FFF, 0xA000, 0xABFF, 0xAC00, 0xD7AF, 0xD7B0, 0xD800, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFF0C,
    0xFF21, 0xFF66, 0x1F600, 0x1FFFF, 0x20000, 0x2EBEF, 0x2EBF0,
]  # fmt: skip


@pytest.mark.parametrize("point", _EDGES)
def test_letter_counts_match_the_regex_counts_at_block_edges(point: int) -> None:
    for text in (chr(point), f"中文，{chr(point)}abc。", f"Model {chr(point) * 3} 发布 😀"):
        expected = tuple(_count(p, text) for p in (_HAN_RE, _KANA_RE, _HANGUL_RE, _LATIN_RE))
        assert _letters(text) == expected, hex(point)


def test_detect_language_on_rare_blocks() -> None:
    assert detect_language("这是一个测试，𠀀𠀁 扩展汉字") == "zh"
    assert detect_language("東京でモデルが発表された。これはテストです") == "ja"
    assert detect_language("ÀÉÎÕÜ ɀɁɂ façade") == "en"


def test_tidy_collapses_runs_and_splits_paragraphs() -> None:
    pieces = ["\x00", " a \t b\r", "\n c  ", "\x00\x00", "d\n \n e\xa0\u3000f", "\x00", "  ", "\x00"]
    assert _tidy(pieces) == "a b\nc\n\nd\n\ne f"


def test_several_bodies_and_heads_parse_as_lxml_html_does() -> None:
    html = "<head><title>x</title></head><body>甲</body><head>h</head><body>乙<a href='/p'>丙</a></body>"
    rich = _parse_html(html, plain=False)
    assert _text_of(_parse_html(html), base_url="https://e.com/a", marked=True) == _text_of(
        rich, base_url="https://e.com/a", marked=True
    )
    assert html_to_text("<body>一</body><body>二</body>") == "一二"


@pytest.mark.parametrize(
    "value",
    [
        "/p?q=1",
        "../x",
        "https://a.com/b?",
        "http://a.com/b#",
        "HTTPS://A.com/x;p?q#f",
        "//cdn.com/i.png",
        "?q",
    ],
)
@pytest.mark.parametrize("base", ["https://e.com/a/b", "http://e.com/", "https://e.com/a/b;p?q#f"])
def test_href_resolves_as_urljoin(value: str, base: str) -> None:
    joined = urljoin(base, value)
    assert _href(value, base) == (joined if joined.startswith(("http://", "https://")) else None)
