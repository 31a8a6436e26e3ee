"""Tests for the reader-visible character count and the reading time of an issue."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from jianbao.issue.intro import Counts, count_chars, count_markdown, reading_minutes

STATED = re.compile(r"本文一共\s*(\d+)\+?\s*字，通篇阅读结束需要\s*(\d+)~(\d+)\s*分钟")


def shared() -> Path:
    root = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if not (root / "archive").is_dir():
        pytest.skip(f"shared archive not found at {root}")
    return root


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("你好，世界。", 6),  # Han and full-width punctuation
        ("《书》“引”……", 8),  # book-title marks, curly quotes, ellipsis
        ("ひらがな한국어", 7),  # kana and hangul
        ("Hello, world!", 2),  # ASCII punctuation does not count
        ("YOLOv4 和 ResNet-50 以及 GPT-5.6", 6),  # joined Latin/digit runs are one word each
        ("圆周率约 3.14，不是 3", 9),  # decimals are one word
        ("见 https://example.com/a?b=1&c=2 说明", 3),  # bare URL
        ("访问 www.example.com/x 即可", 4),
        ("网址https://example.com/中文后缀", 6),  # a URL ends where Chinese text resumes
        ("[机器之心](https://mp.weixin.qq.com/s/zWABfCz4D1XpAlnDAb2i6A)", 4),  # link text only
        ('[标题](https://a.example/x "title")', 2),
        ("<https://example.com/auto>", 0),
        ("![Image](https://gitee.com/x/img/1.webp)", 0),  # images, alt text included
        ('<img src="https://a.example/b.png" alt="图片" width="600">', 0),
        ("[TOC]", 0),
        ("# 标题\n\n> 引用\n\n- 列表\n* **加粗** _斜体_", 10),
        ("```python\nprint(x)\n```", 2),  # fence markers and info string do not count
        ("| 模型 | 参数 |\n|---|---|\n| GPT | 1.5B |", 6),  # pipes and separator rows do not count
        ("<p>你好</p><br/>", 2),
        ("", 0),
    ],
)
def test_count_chars_rules(markdown: str, expected: int) -> None:
    assert count_chars(markdown) == expected


def test_count_markdown_figures() -> None:
    # Per block: the item number 1, 【论文】, 标题 and 来源 (9); the URLs and the image do not count.
    text = "## 1.【论文】[标题](https://a.example/1) | 来源\n\n![Image](https://a.example/i.png)\n\n" * 3
    counts = count_markdown(text)
    assert counts == Counts(chars=3 * 9, images=3, links=3, read_minutes=reading_minutes(27))


def test_archive_20210625_within_one_percent() -> None:
    text = (shared() / "archive" / "2021" / "AI简报20210625.md").read_text(encoding="utf-8")
    stated = int(STATED.search(text).group(1))
    assert stated == 2719
    assert abs(count_chars(text) - stated) <= 0.01 * stated


def test_reading_minutes_monotonic() -> None:
    previous = (0, 0)
    for chars in range(0, 20001, 7):
        lo, hi = reading_minutes(chars)
        assert lo <= hi
        assert lo >= previous[0]
        assert hi >= previous[1]
        previous = (lo, hi)
    assert reading_minutes(0) == (0, 0)
    assert reading_minutes(1) == (1, 1)


@pytest.mark.parametrize(
    ("chars", "expected"),
    [(2300, (5, 8)), (2900, (7, 10)), (3300, (7, 11)), (2500, (6, 9)), (2100, (5, 7)), (2760, (6, 10))],
)
def test_reading_minutes_matches_archive_pairs(chars: int, expected: tuple[int, int]) -> None:
    assert reading_minutes(chars) == expected


def test_reading_minutes_fits_the_whole_archive() -> None:
    pairs = []
    for path in sorted((shared() / "archive").glob("20*/*.md")):
        if match := STATED.search(path.read_text(encoding="utf-8")):
            chars = int(match.group(1))
            pairs.append((chars // 10 if chars > 10000 else chars, int(match.group(2)), int(match.group(3))))
    assert len(pairs) >= 20
    lo_error = sum(abs(reading_minutes(c)[0] - lo) for c, lo, _ in pairs) / len(pairs)
    hi_error = sum(abs(reading_minutes(c)[1] - hi) for c, _, hi in pairs) / len(pairs)
    assert lo_error < 1
    assert hi_error < 1
