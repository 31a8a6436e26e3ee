"""An entry's article as summaries read it: the author's bold from the stored HTML, then cleaned; and the whole
corpus through the path a build takes (feed HTML → stored entry → the weekly's and the daily's rules)."""

from __future__ import annotations

import functools
from pathlib import Path

import markdown_it

from _articles import articles, boilerplate_in, debris_in
from jianbao.ingestion.sources._text import html_to_text
from jianbao.issue.item_text import Budget, daily_extractive, weekly_extractive
from jianbao.records import Entry, Source, Story
from jianbao.summarize.article import article_of, article_text, bold_text


def _entry(html: str, **kw: str) -> Entry:
    fields = {"source": "s", "url": "https://e.example/1", "title": "t", "content": html_to_text(html), "html": html,
              **kw}  # fmt: skip
    return Entry(**fields)  # type: ignore[arg-type]


def test_bold_comes_back_from_the_html_where_the_author_put_it() -> None:
    html = "<p>第一段，<strong>关键的一句。</strong>后面。</p><p><b>整段加粗</b></p><p>没有加粗。</p>"
    assert bold_text(html) == "第一段，**关键的一句。**后面。\n\n**整段加粗**\n\n没有加粗。"
    assert article_text(_entry(html)) == bold_text(html)


def test_bold_marks_sit_on_words_and_never_span_paragraphs() -> None:
    assert bold_text("<p>a<strong> spaced </strong>b</p>") == "a **spaced** b"
    assert bold_text("<p><strong><b>nested</b> bold</strong></p>") == "**nested bold**"
    assert bold_text("<strong><p>one</p><p>two</p></strong>") == "**one**\n\n**two**"
    assert bold_text("<p>x<strong> </strong>y</p>") == "x y"
    assert bold_text("<p>no bold here</p>") is None


def test_the_stored_text_wins_when_the_html_says_something_else() -> None:
    html = "<p><strong>页面</strong>的全部内容，导航和页脚也在里面。</p>"
    entry = _entry(html, content="正文是另一段抽取出来的文字。")
    assert article_text(entry) == "正文是另一段抽取出来的文字。"
    assert article_text(Entry(source="s", url="u", title="t", summary="只有摘要。")) == "只有摘要。"


def test_the_article_is_cleaned_with_its_publishers_rules_once() -> None:
    html = "<p>克雷西 发自 凹非寺</p><p>量子位 | 公众号 QbitAI</p><p>正文第一句。</p><p>点亮星标，科技前沿进展每日见。</p>"
    entry = _entry(html, source="qbitai")
    article = article_of(entry, source="qbitai 量子位")
    assert article.text == "正文第一句。" and "量子位" in article.publishers
    assert article_of(entry, source="qbitai 量子位") is article  # cached by text and source


# --- the corpus, the way a build reads it ------------------------------------------------------------------


@functools.cache
def _rows(shared: Path) -> tuple[tuple[str, Entry, str, str], ...]:
    md = markdown_it.MarkdownIt()
    out = []
    for real in articles(shared):
        html = md.render(real.markdown)  # what real-check's feeds carry in content:encoded
        entry = Entry(source="pub", url=f"https://e.example/{real.name}", title=real.name, content=html_to_text(html),
                      html=html, language="zh")  # fmt: skip
        story = Story(id=real.name, entries=[entry])
        sources = {"pub": Source(name="pub", url="x", title=real.publisher)}
        made = weekly_extractive(story, budget=Budget(100, 300), sources=sources)
        if made.lead is not None and made.article is not None:  # contiguous paragraphs of the cleaned article
            position = {p.index: i for i, p in enumerate(made.article.paragraphs)}
            story_at = [position[i] for i in made.lead.story]
            assert story_at == list(range(story_at[0], story_at[0] + len(story_at))) if story_at else True, real.name
        daily = daily_extractive(story, budget=Budget(40, 100), sources=sources).summary
        out.append((real.name, entry, made.summary, daily))
    return tuple(out)


def test_corpus_summaries_through_the_build_path_are_clean_and_keep_bold(shared_dir: Path) -> None:
    rows = _rows(shared_dir)
    for kind, column in (("weekly", 2), ("daily", 3)):
        summaries = [row[column] for row in rows]
        dirty = [s for s in summaries if boilerplate_in(s)]
        debris = [s for s in summaries if debris_in(s)]
        print(f"\n{kind}: {len(summaries)} summaries; boilerplate {len(dirty) / len(summaries):.1%}, "
              f"debris {len(debris) / len(summaries):.1%}")  # fmt: skip
        assert len(dirty) / len(summaries) <= 0.02, dirty
        assert len(debris) / len(summaries) <= 0.02, debris
        assert sum(bool(s) for s in summaries) / len(summaries) >= 0.98
    assert sum("**" in weekly for _n, _e, weekly, _d in rows) >= 10  # the authors' bold reaches the weekly
    assert not any("**" in daily for _n, _e, _w, daily in rows)  # the daily's line is plain


def test_the_bold_text_is_the_stored_text_for_nearly_every_feed_entry(shared_dir: Path) -> None:
    rows = _rows(shared_dir)
    marked = [entry for _n, entry, _w, _d in rows if bold_text(entry.html) is not None]
    used = [entry for entry in marked if article_text(entry) != entry.content]
    assert len(used) >= 0.95 * len(marked)
