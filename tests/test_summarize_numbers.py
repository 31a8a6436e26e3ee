"""The number check on an LLM's words: every number it writes must be one its source has."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jianbao.summarize.numbers import check_numbers, numbers_in

SOURCE = (
    "Tencent's Hunyuan-T3 combines Mamba and Transformer layers and activates 52 billion of its 1.2 trillion "
    "parameters. It tops C-Eval with 93.6 points and costs 40% less than T2. Released on Nov 20, it reads a "
    "ten-million-token context twice as fast, 9,120 stars on GitHub, v2.1.3 of the SDK."
)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("SWE-bench 达 81.4%，价格下调 40%", ["81.4", "40"]),
        ("总参数 1.2 万亿，激活 52B，9,120 星", ["1200000000000.0", "52000000000", "9120"]),
        ("三万人，十二亿，百分之四十，六个百分点", ["30000", "1200000000", "40", "6"]),
        ("GPT-5.7 和 Qwen3.9", ["5.7", "3.9"]),
        ("60k H100 小时，4.2M 条轨迹", ["60000", "100", "4200000.0"]),
    ],
)
def test_numbers_are_read_as_values(text: str, values: list[str]) -> None:
    assert [str(n.value) for n in numbers_in(text)] == values


def test_words_that_look_like_numbers_are_not_numbers() -> None:
    assert numbers_in("十分重要，千万不要错过，数十万人，一些模型，统一接口，提升一倍") == []
    assert numbers_in("5Mbps 与 7Bit") == [numbers_in("5")[0], numbers_in("7")[0]]  # a letter scale ends a word


def test_english_number_words_count_only_in_the_source() -> None:
    assert [n.value for n in numbers_in("ten-million tokens, twice, November", words=True)] == [
        Decimal(10_000_000), Decimal(2), Decimal(11)
    ]
    assert numbers_in("ten-million tokens") == []


@pytest.mark.parametrize(
    "llm",
    [
        "腾讯 Hunyuan-T3 激活 520 亿参数，总参数 1.2 万亿。",  # scales translated
        "C-Eval 得分 93.6，价格便宜 40%。",
        "C-Eval 约 94 分。",  # rounded, and close
        "11 月 20 日发布，上下文 1000 万 token，速度是两倍。",  # month names and number words
        "GitHub 星标 9120，SDK 版本 2.1.3。",
        "没有任何数字的摘要。",
    ],
)
def test_numbers_the_source_has_pass(llm: str) -> None:
    check = check_numbers(llm, source=SOURCE)
    assert check.passed, check.unsupported


@pytest.mark.parametrize(
    ("llm", "unsupported"),
    [
        ("激活 52 亿参数。", ["52 亿"]),  # 52 billion is 520 亿: a scale slip
        ("C-Eval 得分 93.7。", ["93.7"]),
        ("价格下调百分之四十五。", ["百分之四十五"]),
        ("总参数 1 万亿。", ["1 万亿"]),  # too coarse to be a rounding of 1.2 万亿
        ("SDK 版本 2.1.4，T3 比 T2 快 5 倍。", ["2.1.4", "5"]),
    ],
)
def test_numbers_the_source_lacks_are_named(llm: str, unsupported: list[str]) -> None:
    check = check_numbers("标题", llm, source=SOURCE)
    assert not check.passed and check.unsupported == unsupported


def test_each_unsupported_number_is_named_once_across_title_and_summary() -> None:
    check = check_numbers("GPT-5.8 发布", "GPT-5.8 的得分为 88%。", source="GPT-5.7 scores 81.4%.")
    assert check.unsupported == ["5.8", "88"]
