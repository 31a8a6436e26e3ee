"""Cleaning an article: every rule on real text from the corpus, the edges on small hand-written cases."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from _articles import RealArticle, articles, boilerplate_in
from jianbao.errors import ConfigError
from jianbao.summarize.clean import (
    HEAD_BLOCKS,
    TAIL_BLOCKS,
    CleanArticle,
    Rule,
    RuleBook,
    _blocks,
    clean,
    load_rules,
    parse_rules,
)

FORMS = ("plain", "markdown")
RULES = load_rules().rules


def texts(article: CleanArticle) -> list[str]:
    return [p.text for p in article.paragraphs]


def removed_by(article: CleanArticle, name: str) -> list[str]:
    return [r.text for r in article.removed if r.rule.endswith("/" + name)]


# --- the rule files -------------------------------------------------------------------------------------


def test_shipped_rule_files_load_with_a_generic_set_and_publishers():
    book = load_rules()
    generic = [s for s in book.sets if not s.names]
    assert len(generic) == 1 and len(generic[0].rules) >= 30
    publishers = {s.name for s in book.sets if s.names}
    assert {"量子位", "机器之心", "36氪", "虎嗅", "极客公园"} <= publishers
    assert load_rules() is book  # loaded once
    for rule in book.rules:
        assert rule.comment and rule.category, rule.qualified
        assert rule.max_chars <= 2000, rule.qualified


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


GOOD = """
[[rules]]
name = "end"
category = "end"
comment = "An end mark."
action = "truncate"
pattern = '^— 完 —$'
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD.replace("'^— 完 —$'", "'^(完$'"), "bad regular expression in pattern"),
        (GOOD.replace('comment = "An end mark."', ""), "comment is required"),
        (GOOD + 'colour = "red"\n', "unknown keys ['colour']"),
        (GOOD.replace('"truncate"', '"erase"'), "action must be one of"),
        (GOOD + GOOD, "'end' is defined twice"),
        (GOOD + "after = 'x'\n", 'before/after need action = "block"'),
        (GOOD.replace('name = "end"', 'name = "End Mark"'), "name must be lower-case"),
        (GOOD + "max_chars = 0\n", "max_chars must be a positive integer"),
        (GOOD.replace('action = "truncate"', 'action = "block"') + "require_after = true\n", "require_after"),
        ("[[rules]\n", "not valid TOML"),
    ],
)
def test_a_bad_rule_file_is_an_error_naming_the_file_and_the_rule(tmp_path, body, message):
    _write(tmp_path, "generic.toml", body)
    with pytest.raises(ConfigError) as error:
        load_rules(tmp_path)
    assert message in str(error.value)
    assert str(tmp_path / "generic.toml") in str(error.value)


def test_a_bad_signature_is_named_and_a_publisher_needs_names(tmp_path):
    with pytest.raises(ConfigError, match="signatures\\[0\\]"):
        parse_rules('[publisher]\nnames = ["X"]\nsignatures = ["("]\n' + GOOD, path="x.toml", stem="x")
    with pytest.raises(ConfigError, match="at least one name"):
        parse_rules('[publisher]\nname = "X"\n' + GOOD, path="x.toml", stem="x")


def test_a_rule_folder_needs_a_generic_file(tmp_path):
    _write(tmp_path, "pub.toml", '[publisher]\nnames = ["X"]\n' + GOOD)
    with pytest.raises(ConfigError, match="no generic rule file"):
        load_rules(tmp_path)


def test_a_rule_folder_of_ones_own_replaces_the_shipped_rules(tmp_path):
    book = load_rules(_write(tmp_path, "generic.toml", GOOD))
    article = clean("故事开头。\n\n故事继续。\n\n再继续。\n\n— 完 —\n\n点亮星标", rules=book)
    assert texts(article) == ["故事开头。", "故事继续。", "再继续。"]
    assert removed_by(article, "end") == ["— 完 —", "点亮星标"]


def test_publisher_rules_apply_by_source_name_or_by_their_marks_in_the_text():
    story = "正文第一段。\n\n正文第二段。\n\n正文第三段。\n\n正文第四段。\n\n科技前沿进展日日相见 ~"
    assert clean(story, source="量子位").publishers == ("量子位",)
    assert "科技前沿进展日日相见 ~" not in texts(clean(story, source="量子位"))
    assert clean(story).publishers == ()
    marked = "某某 发自 凹非寺\n\n" + story
    assert clean(marked).publishers == ("量子位",)  # a repost carries the origin's marks
    assert clean(marked, source="pub1a2b3c").publishers == ("量子位",)


# --- every rule on real text ------------------------------------------------------------------------------


@functools.cache
def _lines(corpus: tuple[RealArticle, ...]) -> tuple[tuple[str, int, int, str], ...]:
    """(form, block index, block count, line) for every line of every article, after debris removal."""
    found: list[tuple[str, int, int, str]] = []
    for article in corpus:
        for form in FORMS:
            blocks = _blocks(article.text(form), [])
            found.extend((form, b.index, len(blocks), line) for b in blocks for line in b.lines)
    return tuple(found)


def _in_scope(rule: Rule, index: int, count: int) -> bool:
    if rule.where == "head":
        return index < HEAD_BLOCKS
    if rule.where == "tail":
        return index >= max(count // 2, count - TAIL_BLOCKS)
    if rule.where == "body":
        return index >= 3
    return True


@pytest.mark.parametrize("rule", RULES, ids=[r.qualified for r in RULES])
def test_every_rule_describes_lines_of_real_articles(shared_dir, rule):
    """Each rule matches real lines of the corpus where it applies (its scope and length)."""
    lines = _lines(articles(shared_dir))
    hits = [
        line
        for _form, index, count, line in lines
        if len(line) <= rule.max_chars
        and _in_scope(rule, index, count)
        and (rule.pattern.search(line) or rule.pattern.search(line.replace("**", "")))
    ]
    assert hits, f"{rule.qualified} matches no line of the corpus"


@functools.cache
def _cleaned(corpus: tuple[RealArticle, ...]) -> tuple[tuple[RealArticle, str, CleanArticle], ...]:
    return tuple((a, form, clean(a.text(form), source=a.publisher)) for a in corpus for form in FORMS)


def cleaned(shared_dir: Path) -> tuple[tuple[RealArticle, str, CleanArticle], ...]:
    return _cleaned(articles(shared_dir))


def test_the_corpus_keeps_its_stories(shared_dir):
    """Cleaning never empties an article and keeps most of its prose (boilerplate is a small share)."""
    for article, form, result in cleaned(shared_dir):
        kept = sum(len(p.text) for p in result.paragraphs if p.kind in ("text", "quote", "standfirst"))
        assert kept >= 300, (article.name, form)
    total_kept = sum(len(r.text) for _a, _f, r in cleaned(shared_dir))
    total_in = sum(len(a.text(f)) for a, f, _r in cleaned(shared_dir))
    assert total_kept / total_in > 0.7


def test_no_boilerplate_is_left_at_the_head_of_the_corpus(shared_dir):
    """The first paragraphs a lead reads carry no byline, prompt, card or credit (≤ 2% of articles)."""
    results = cleaned(shared_dir)
    left = [(a.name, f, boilerplate_in("\n".join(texts(r)[:6]))) for a, f, r in results]
    left = [x for x in left if x[2]]
    assert len(left) / len(results) <= 0.02, left


def test_removals_are_short_lines_never_long_prose(shared_dir):
    """Drop rules take lines up to their max_chars; only a truncation may take a long paragraph."""
    rules = {r.qualified: r for r in RULES}
    for _article, _form, result in cleaned(shared_dir):
        for removal in result.removed:
            rule = rules.get(removal.rule)
            if rule is not None and rule.action in ("drop", "block"):
                assert len(removal.text) <= rule.max_chars


def test_paragraphs_keep_their_block_order_and_index(shared_dir):
    for _article, _form, result in cleaned(shared_dir):
        indices = [p.index for p in result.paragraphs]
        assert indices == sorted(set(indices))
        assert all(0 <= i < result.blocks for i in indices)


def test_the_publishers_own_summaries_are_found_in_the_corpus(shared_dir):
    standfirsts = [r for _a, f, r in cleaned(shared_dir) if f == "plain" and r.standfirst]
    assert len(standfirsts) >= 20
    assert all(
        "导读】" not in r.standfirst and not r.standfirst.startswith(("编者按", "导读")) for r in standfirsts
    )


# --- hand-written edges, rule by rule ---------------------------------------------------------------------

STORY = "这是一篇真正的报道，讲的是一件事情的来龙去脉，长度足够像正文。"


def story(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_bylines_and_outlet_lines_go_but_sentences_about_authors_stay():
    article = clean(
        story(
            "张三 李四 发自 凹非寺",
            "量子位 | 公众号 QbitAI",
            "作者｜王五",
            "编辑 赵六 钱七",
            "文 / 孙八",
            STORY,
            "作者认为，这个模型在很多任务上都表现得更好。",
        )
    )
    assert texts(article) == [STORY, "作者认为，这个模型在很多任务上都表现得更好。"]
    assert {r.category for r in article.removed} == {"byline"}


def test_a_daodu_marker_goes_and_its_sentence_becomes_the_standfirst():
    article = clean(
        story("某某报道", "编辑：某某", "**【新智元导读】**OpenAI 发布了新模型，价格降了四成。", STORY)
    )
    assert article.paragraphs[0].kind == "standfirst"
    assert article.standfirst == "OpenAI 发布了新模型，价格降了四成。"


def test_a_bare_standfirst_label_hands_over_to_the_next_paragraph():
    article = clean(story("编辑注：", "这篇文章讲的是一个高中生做应用的故事。", STORY))
    assert [p.kind for p in article.paragraphs] == ["standfirst", "text"]


def test_a_reprint_note_is_not_taken_for_an_editors_note():
    article = clean(story("编者按：本文来自微信公众号“某某”（ID:abc），作者 某某，经授权转载。", STORY))
    assert texts(article) == [STORY]


def test_a_dek_above_the_byline_is_a_standfirst_and_an_epigraph_is_one_paragraph():
    article = clean(
        story("「如果所有人都觉得你正常，", "你的理想就是大家都能想到的。」", "作者：某某", STORY)
    )
    assert [p.kind for p in article.paragraphs] == ["standfirst", "text"]
    assert article.paragraphs[0].text == "「如果所有人都觉得你正常，你的理想就是大家都能想到的。」"


def test_prompts_go_but_the_same_words_in_prose_stay():
    article = clean(
        story(
            STORY,
            "这一观点引发广泛关注。",
            "用户纷纷点头称赞。",
            "点击上方蓝字关注我们",
            "记得标星哦～",
            "一键三连「分享」、「点赞」和「在看」",
            "欢迎在评论区留言！",
            "GitHub 项目两天收获了两千多个星标。",
        )
    )
    assert texts(article) == [
        STORY,
        "这一观点引发广泛关注。",
        "用户纷纷点头称赞。",
        "GitHub 项目两天收获了两千多个星标。",
    ]


def test_invitations_go_but_scanning_and_groups_in_a_story_stay():
    article = clean(
        story(
            STORY,
            "戴着它扫码时有点不方便。",
            "每个客人都可以加入同一个群。",
            "扫码加入交流群，与 5000 位从业者交流",
            "后台回复关键词【入群】",
            "长按识别二维码",
        )
    )
    assert texts(article) == [STORY, "戴着它扫码时有点不方便。", "每个客人都可以加入同一个群。"]


def test_footers_go_but_reprinting_and_submitting_in_a_story_stay():
    article = clean(
        story(
            STORY,
            "这条消息被大量转载，引发讨论。",
            "很多人用它写小说去投稿赚钱。",
            STORY,
            STORY,
            STORY,
            "转载请联系本公众号获得授权",
            "投稿或寻求报道：someone@example.com",
            "本文为作者独立观点，不代表本站立场。",
        )
    )
    assert texts(article) == [
        STORY,
        "这条消息被大量转载，引发讨论。",
        "很多人用它写小说去投稿赚钱。",
        STORY,
        STORY,
        STORY,
    ]


def test_an_end_mark_ends_the_article_but_not_at_its_top():
    body = story(STORY, STORY, STORY, STORY, "— 完 —", "点这里关注我", "这一段也是页脚。")
    assert texts(clean(body)) == [STORY] * 4
    assert len(removed_by(clean(body), "end-mark")) == 3
    assert "完" in texts(clean(story("完", STORY, STORY, STORY)))  # the first blocks are never an end mark


def test_player_labels_and_cards_go():
    article = clean(
        story(
            STORY,
            "已关注",
            "关注\n重播 分享 赞",
            "关闭",
            "观看更多",
            "00:00/01:30",
            "视频加载失败，请刷新页面再试",
            "某某科技",
            "一句话介绍这个账号。",
            "321篇原创内容",
            "公众号",
            "某某频道",
            "，赞 98",
            STORY,
        )
    )
    assert texts(article) == [STORY, STORY]
    assert {r.category for r in article.removed} == {"player", "card"}


def test_a_card_takes_only_its_own_lines_above_the_count():
    long_paragraph = "上一段是正文，它比账号名片的介绍长，并且以句号结尾，所以不会被当成名片。" * 3
    article = clean(story(STORY, long_paragraph, "321篇原创内容", "公众号", STORY))
    assert long_paragraph in texts(article)


def test_captions_and_credits_go_and_a_figure_sentence_stays():
    figure_sentence = "图 2.1 展示了模型规模与成本的关系，规模越大成本越高。"
    article = clean(
        story(
            STORY,
            "图片来源：视觉中国",
            "主播正在直播｜图片来源：视觉中国",
            "▲模型结构示意",
            "图 2.1",
            "这是正文（图片来源：网络），接着说。",
            figure_sentence,
            "Photo by Someone on Unsplash",
        )
    )
    assert texts(article) == [STORY, "这是正文，接着说。", figure_sentence]


def test_references_related_reading_and_discussion_boxes_end_the_tail():
    body = story(*[STORY] * 6, "参考资料：", "https://example.com/a", "[1] https://example.com/b")
    assert texts(clean(body)) == [STORY] * 6
    body = story(*[STORY] * 6, "推荐阅读", "另一篇文章的标题", "又一篇文章的标题")
    assert texts(clean(body)) == [STORY] * 6
    body = story(*[STORY] * 6, "每日话题", "你怎么看？")
    assert texts(clean(body)) == [STORY] * 6


def test_link_lines_go_a_label_goes_only_with_its_url():
    article = clean(
        story(
            STORY,
            "论文地址：https://arxiv.org/abs/2401.00001",
            "项目地址：",
            "https://github.com/a/b",
            "开源的未来：",
            "这是访谈里的一段回答，讲开源的未来。",
        )
    )
    assert texts(article) == [STORY, "开源的未来：", "这是访谈里的一段回答，讲开源的未来。"]


def test_a_table_of_contents_key_points_and_transitions_go():
    article = clean(
        story(
            "丨划重点",
            "①第一点。",
            "②第二点。",
            STORY,
            "以下为本文目录，建议结合要点阅读。",
            "01 缘起",
            "02 做法",
            "以下为对话实录：",
            "主持人：第一个问题是什么？",
        )
    )
    assert texts(article) == [STORY, "主持人：第一个问题是什么？"]
    assert {r.category for r in article.removed} >= {"keypoints", "toc", "furniture"}


# --- Markdown and HTML debris ----------------------------------------------------------------------------


def test_markdown_debris_goes_and_bold_stays_balanced():
    text = story(
        "## 一个小标题",
        "![图片](https://img.example.com/a.png)",
        "*这是图片的说明*",
        "正文里有[一个链接](https://example.com)和**加粗的句子。**还有\\*转义\\*。",
        "| 模型 | 得分 |\n| --- | --- |\n| A | 1 |",
        "```python\nprint('hi')\n```",
        "* 第一项\n* 第二项",
        "> 引用的一段话。",
        "<center><b>居中的字</b></center>",
        "*** ** * ** ***",
        "郑玄****说**了一句",
        "张三------李四",
    )
    article = clean(text)
    assert [(p.kind, p.text) for p in article.paragraphs] == [
        ("heading", "一个小标题"),
        ("text", "正文里有一个链接和**加粗的句子。**还有*转义*。"),
        ("item", "第一项"),
        ("item", "第二项"),
        ("quote", "引用的一段话。"),
        ("heading", "居中的字"),
        ("heading", "郑玄说了一句"),
        ("heading", "张三——李四"),
    ]
    kinds = {r.rule for r in article.removed}
    assert {"debris/image", "debris/caption", "debris/table", "debris/code", "debris/rule"} <= kinds


def test_a_setext_heading_a_numbered_title_and_a_drop_cap():
    article = clean(
        "谷歌害怕被抢饭碗\n--------\n\n一、什么是模型，为什么重要？\n\n就 在一年以前，事情发生了。"
    )
    assert [(p.kind, p.text) for p in article.paragraphs] == [
        ("heading", "谷歌害怕被抢饭碗"),
        ("heading", "一、什么是模型，为什么重要？"),
        ("text", "就在一年以前，事情发生了。"),
    ]


def test_adjacent_bold_runs_join_and_stray_marks_go():
    article = clean("今天我们**把债务落在城市头上，** **看看为什么。**\n\n这里**不成对。")
    assert texts(article) == ["今天我们**把债务落在城市头上， 看看为什么。**", "这里不成对。"]


def test_plain_text_from_html_keeps_its_paragraphs_and_line_breaks_join():
    article = clean("第一行\n接着的一行。\n\nA line\nthat continues.")
    assert texts(article) == ["第一行接着的一行。", "A line that continues."]


def test_empty_and_markup_only_input_give_nothing():
    assert clean("").paragraphs == ()
    assert clean("![](https://a.example/b.png)\n\n---\n\n**").paragraphs == ()


def test_clean_is_deterministic_and_reports_every_removal_with_its_rule():
    text = story("某某 发自 凹非寺", STORY, "— 完 —", "点亮星标")
    first, second = clean(text), clean(text)
    assert first == second
    assert all("/" in r.rule and r.category for r in first.removed)
    assert first.explain()[0] == "[0] generic/sent-from (byline): 某某 发自 凹非寺"


def test_a_rule_book_can_be_given_explicitly():
    book = RuleBook(sets=tuple(s for s in load_rules().sets if not s.names))
    assert clean(story(STORY, "科技前沿进展日日相见 ~"), source="量子位", rules=book).publishers == ()
