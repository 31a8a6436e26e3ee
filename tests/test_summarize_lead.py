"""Lead summaries: sentence ends, the weekly's 2–4 paragraphs, the daily's line, and the whole corpus."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from _articles import RealArticle, articles, boilerplate_in, debris_in
from jianbao.ingestion.sources.rss import parse_feed
from jianbao.issue.intro import count_chars
from jianbao.records import Source
from jianbao.summarize.clean import CleanArticle, Paragraph, clean, ends_sentence
from jianbao.summarize.lead import Lead, lead, lead_line, sentence_ends, sentences, summarize_lead

FORMS = ("plain", "markdown")
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jianbao" / "samples"


# --- sentence ends ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        (
            "准确率达到 90.45%。GPT-4.1 和 v2.1 都发布了。",
            ["准确率达到 90.45%。", "GPT-4.1 和 v2.1 都发布了。"],
        ),
        ("See e.g. the U.S. report. Then stop.", ["See e.g. the U.S. report.", "Then stop."]),
        ("详见 https://example.com/a.b?x=1。然后呢", ["详见 https://example.com/a.b?x=1。", "然后呢"]),
        ("**加粗的一句。**接着一句。", ["**加粗的一句。**", "接着一句。"]),
        ("Prices fell 3.5 percent. Dr. Smith agreed.", ["Prices fell 3.5 percent.", "Dr. Smith agreed."]),
        ("太好了！！真的吗？！", ["太好了！！", "真的吗？！"]),
        ("", []),
    ],
)
def test_sentences_end_only_at_real_sentence_ends(text, expected):
    assert sentences(text) == expected
    if text:
        assert sentence_ends(text)[-1] == len(text)


# --- the weekly's lead ------------------------------------------------------------------------------------


def article(*paragraphs: str) -> CleanArticle:
    return clean("\n\n".join(paragraphs))


ONE = "第一段讲发生了什么：某公司今天发布了一个新模型，价格降了四成。"
TWO = "第二段讲为什么重要：它在多个基准上超过了此前最好的模型。"
THREE = "第三段补充背景，说明这家公司过去一年做了哪些事情。"
FOUR = "第四段给出更多细节，包括上下文长度和推理速度。"
FIVE = "第五段已经是正文的深处了，不应该出现在摘要里。"


def test_the_lead_is_the_opening_paragraphs_in_order_within_the_paragraph_limit():
    result = lead(article(ONE, TWO, THREE, FOUR, FIVE))
    assert result.text == "\n\n".join([ONE, TWO, THREE, FOUR])
    assert result.story == (0, 1, 2, 3) and not result.cut


def test_the_standfirst_opens_the_lead_when_asked():
    text = ("某某报道", "编辑：某某", "【新智元导读】一句话说清这件事。", ONE, TWO, THREE, FOUR)
    with_it = lead(article(*text))
    assert with_it.standfirst and with_it.text.startswith("一句话说清这件事。\n\n" + ONE)
    assert len(with_it.indices) == 4  # the standfirst counts towards the paragraphs
    without = lead(article(*text), standfirst=False)
    assert not without.standfirst and without.text.startswith(ONE)


def test_the_lead_stops_at_a_heading_a_list_and_a_removed_card():
    assert lead(article(ONE, "## 小标题", TWO)).text == ONE
    assert lead(article(ONE, "* 列表项", TWO)).text == ONE
    card = ("某某账号", "账号的一句话介绍。", "123篇原创内容", "公众号")
    assert lead(article(ONE, *card, TWO)).text == ONE


def test_the_lead_skips_what_comes_before_the_story():
    result = lead(article("## 标题重复一遍", "写在前面：", ONE, TWO))
    assert result.text == "\n\n".join([ONE, TWO])
    assert result.skipped


def test_a_long_paragraph_is_cut_at_a_sentence_end_only_while_the_lead_is_short():
    long = "这一句很长，" * 5 + "终于结束了。" + "第二句接着说，还没有完。" * 10
    result = lead(article(ONE, long, THREE), max_chars=120)
    first, second = result.text.split("\n\n")
    assert first == ONE and second.endswith("。") and long.startswith(second) and len(second) < len(long)
    assert result.cut and count_chars(result.text) <= 120
    # with two paragraphs already in, a paragraph that does not fit ends the lead instead
    assert lead(article(ONE, TWO, long), max_chars=120).text == "\n\n".join([ONE, TWO])


def test_the_first_sentence_is_kept_whole_even_over_budget():
    long = "一个没有句号的超长分句，" * 30 + "最后才结束。后面还有。"
    result = lead(article(long), max_chars=50)
    assert result.text == "一个没有句号的超长分句，" * 30 + "最后才结束。"


def test_bold_stays_where_it_falls_and_is_closed_when_a_cut_falls_inside_it():
    text = "**关键的一句话。后面的句子还在加粗里，" + "很长很长，" * 30 + "结束。**"
    result = lead(article(ONE, text), max_chars=40)
    assert result.text.endswith("**关键的一句话。**")
    assert result.text.count("**") % 2 == 0


def test_a_bold_paragraph_never_touches_the_next_paragraphs_bold():
    result = lead(article("**整段加粗的导语。**", "**开头加粗。**后面不加粗。"))
    assert "**\n\n**" not in result.text
    assert not debris_in(result.text)


def test_a_lead_in_joins_only_when_prose_follows():
    assert lead(
        article("这位作者接受采访时，公开承认了：", "他参与了这个项目，是发明者之一。", TWO)
    ).story == (0, 1, 2)
    levels = article(ONE, "等级划分如下：", "L1：聊天机器人。", "L2：推理者。", "L3：智能体。")
    assert lead(levels).text == ONE  # never ends on a "：" and never runs into a list


def test_dialogue_turns_end_the_lead():
    result = lead(article(ONE, "主持人：你好，今天聊什么？", "嘉宾：聊模型。"))
    assert result.text == ONE


def test_nothing_to_lead_gives_an_empty_lead():
    assert not lead(article("## 只有标题", "* 只有列表")) and lead(clean("")).text == ""


# --- the daily's line -------------------------------------------------------------------------------------


def test_the_daily_line_is_whole_sentences_from_the_lead_within_budget():
    result = lead_line(article(ONE, TWO, THREE), max_chars=60)
    assert result.text == ONE + TWO
    assert count_chars(result.text) <= 60 and "\n" not in result.text


def test_the_daily_line_prefers_a_substantial_standfirst_but_not_a_teaser():
    summary = "某公司今天发布了新模型，价格降了四成，上下文长度翻倍，推理速度也更快。"
    result = lead_line(article("【导读】" + summary, ONE, TWO), max_chars=60)
    assert result.standfirst and result.text == summary
    teaser = lead_line(article("一句话的引子。", "文丨某某", ONE, TWO), max_chars=60)
    assert not teaser.standfirst and teaser.text.startswith(ONE)


def test_the_daily_line_drops_bold_and_keeps_a_whole_first_sentence():
    long = "**" + "很长的第一句，" * 20 + "到此为止。**第二句。"
    result = lead_line(article(long), max_chars=30)
    assert result.text == "很长的第一句，" * 20 + "到此为止。" and result.cut


def test_summarize_lead_cleans_then_leads():
    text = "\n\n".join(["某某 发自 凹非寺", ONE, TWO, "— 完 —", "点亮星标"])
    assert summarize_lead(text).text == "\n\n".join([ONE, TWO])
    assert summarize_lead(text, daily=True).text == ONE + TWO


# --- the whole corpus -------------------------------------------------------------------------------------


@functools.cache
def _leads(corpus: tuple[RealArticle, ...]) -> tuple[tuple[str, str, CleanArticle, Lead, Lead], ...]:
    out = []
    for real in corpus:
        for form in FORMS:
            cleaned = clean(real.text(form), source=real.publisher)
            out.append((real.name, form, cleaned, lead(cleaned), lead_line(cleaned)))
    return tuple(out)


def leads(shared_dir: Path) -> tuple[tuple[str, str, CleanArticle, Lead, Lead], ...]:
    return _leads(articles(shared_dir))


@pytest.mark.parametrize("kind", ["weekly", "daily"])
def test_corpus_summaries_carry_at_most_two_percent_boilerplate_and_debris(shared_dir, kind):
    rows = leads(shared_dir)
    summaries = [
        (name, form, (weekly if kind == "weekly" else daily).text) for name, form, _a, weekly, daily in rows
    ]
    with_boilerplate = [(n, f, boilerplate_in(s)) for n, f, s in summaries if boilerplate_in(s)]
    with_debris = [(n, f, debris_in(s)) for n, f, s in summaries if debris_in(s)]
    share_boilerplate = len(with_boilerplate) / len(summaries)
    share_debris = len(with_debris) / len(summaries)
    print(
        f"\n{kind}: {len(summaries)} summaries of real articles; boilerplate in {share_boilerplate:.1%}, "
        f"debris in {share_debris:.1%}"
    )
    assert share_boilerplate <= 0.02, with_boilerplate
    assert share_debris <= 0.02, with_debris


def test_corpus_summaries_are_not_empty(shared_dir):
    rows = leads(shared_dir)
    empty = [(n, f) for n, f, _a, weekly, daily in rows if not weekly or not daily]
    assert len(empty) / len(rows) <= 0.02, empty


def _plain(text: str) -> str:
    return text.replace("**", "")


def _could_open(paragraph: Paragraph) -> bool:
    """A paragraph of prose that ends a sentence or leads into the next (not a short label)."""
    text = paragraph.text.rstrip("* ")
    lead_in = text.endswith(("：", ":")) and len(paragraph.text) > 15
    return paragraph.kind in ("text", "quote") and (ends_sentence(paragraph.text) or lead_in)


def test_every_corpus_summary_is_contiguous_text_from_the_cleaned_articles_lead(shared_dir):
    for name, form, cleaned, weekly, daily in leads(shared_dir):
        where = (name, form)
        paragraphs = list(cleaned.paragraphs)
        position = {p.index: i for i, p in enumerate(paragraphs)}
        story = [position[i] for i in weekly.story]
        # consecutive kept paragraphs, nothing of the story skipped in between
        assert story == list(range(story[0], story[0] + len(story))) if story else True, where
        if story:
            assert story[0] < 12, where
            for skipped in paragraphs[: story[0]]:  # nothing before the start could have opened the story
                assert skipped.index in weekly.indices or not _could_open(skipped), (where, skipped)
        # the text is those paragraphs (the standfirst first), the last one possibly cut at a sentence end
        parts = weekly.text.split("\n\n")
        assert len(parts) == len(weekly.indices), where
        for k, (part, index) in enumerate(zip(parts, weekly.indices, strict=True)):
            source = _plain(paragraphs[position[index]].text)
            if k == len(parts) - 1 and weekly.cut:
                assert source.startswith(_plain(part)), where
            else:
                assert _plain(part) == source or (
                    k == 0 and weekly.standfirst and source.startswith(_plain(part))
                ), where
        # the daily line is whole sentences of the same paragraphs, in order
        joined = "".join(_plain(paragraphs[position[i]].text) for i in daily.indices).replace(" ", "")
        assert joined.startswith(daily.text.replace(" ", "")), where


def test_corpus_weekly_summaries_fit_the_seeds_shape(shared_dir):
    rows = leads(shared_dir)
    counts = [len(weekly.indices) for _n, _f, _a, weekly, _d in rows if weekly]
    sizes = [count_chars(weekly.text) for _n, _f, _a, weekly, _d in rows if weekly]
    assert sum(2 <= c <= 4 for c in counts) / len(counts) >= 0.8
    assert sorted(sizes)[len(sizes) // 2] >= 120  # median summary is a real paragraph or two


# --- the bundled samples, which plant boilerplate on purpose -------------------------------------------------


@pytest.mark.parametrize("feed", ["qbitai.atom", "xinzhiyuan.xml", "jiqizhixin.xml"])
def test_sample_feeds_summaries_are_clean(feed):
    payload = (SAMPLES / feed).read_bytes()
    source = Source(name=feed.split(".")[0], url=str(SAMPLES / feed))
    entries = parse_feed(source, payload, url=str(SAMPLES / feed)).entries
    assert entries
    for entry in entries:
        cleaned = clean(entry.content or entry.summary, source=entry.source)
        for summary in (lead(cleaned).text, lead_line(cleaned).text):
            assert summary, entry.title
            assert not boilerplate_in(summary), (entry.title, summary)
            assert not debris_in(summary), (entry.title, summary)
