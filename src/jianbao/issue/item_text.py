"""An item's text, chosen in one place: the editor's edit over the LLM's text over the extractive text.

Every item starts with the **extractive** text its edition's rule gives. Both rules read the story as its
item tells it — its best Chinese report first (``chinese_first``), since both editions are Chinese
briefings — and both read that report's article **cleaned** (``summarize.article``: the author's bold
kept, publisher boilerplate and Markdown/HTML debris out), never ``Entry.content`` raw:

- ``weekly_extractive``: the article's lead (``summarize.lead.lead``): its standfirst and opening
  paragraphs, contiguous, 2–4 of them within the budget (``[weekly] summary_paragraphs`` and
  ``summary_chars``), cut only at a sentence end; TextRank over the article's body only when the
  article has no lead; the next report when one gives nothing.
- ``daily_extractive``: one line of whole sentences from the same lead (``lead_line``); TextRank over the
  body when there is no lead; the feed summary trimmed to whole sentences when there is no article.

Both read an entry's text through ``entry_text`` (the cleaned article is made from it): its content,
else its feed summary — except that an aggregator's metadata line (Hacker News's "Score: 146 Comments: 135
By: …") is never an item's text: an aggregator's entry is told by the linked article, which ingest
fetched into its content (``ingestion.articles``); without that article it offers no text at all.

**A Chinese voice for every item**: a story with no Chinese report is never worded by its English text.
Its extractive text is a short Chinese gloss of its facts (``gloss``: what it is about, where from, paper,
code, stars); without an LLM the edition's ``english_only`` setting says whether it is printed so or goes to the
其他 list (``is_voiced``). With an LLM, ``llm_texts`` replaces each item's title and summary with
the LLM's Chinese ones (English stories translated) **after a number check** (``summarize.numbers``):
every number the LLM wrote must be one its source has, or the item keeps its extractive text; the check is
kept on the item (``Item.number_check``) for ``--explain`` and the desk. The **editor's edit** in the
desk (``edit_text``) replaces whatever is there and is never overwritten by a build. The desk can offer new
text for an item — the extractive text again (its "regenerate"), or the LLM's rewrite, translation or
shortening of the editor's words (``rework_text``, number-checked the same way) — but only offers it: the
editor's words change when the editor takes the offer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from jianbao.errors import LLMError
from jianbao.ingestion.sources.aggregator import read_metadata
from jianbao.issue.compose import chinese_first, display_source, entity_of, entry_url, story_links
from jianbao.records import Entry, Issue, Item, NumberCheck, Source, Story
from jianbao.render.sanitize import clean_text
from jianbao.render.text import format_stars
from jianbao.urls import link_kind

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.clean import CleanArticle
    from jianbao.summarize.lead import Lead
    from jianbao.summarize.llm import ItemRequest, ItemSummary, LLMClient

__all__ = [
    "REWORKS",
    "Budget",
    "ExtractiveRule",
    "ItemText",
    "Summarize",
    "Summarizer",
    "daily_extractive",
    "edit_text",
    "entry_text",
    "first_sentence",
    "gloss",
    "has_chinese_report",
    "is_voiced",
    "llm_texts",
    "rework_text",
    "source_text",
    "summarize_article",
    "trim_sentences",
    "use_llm_text",
    "weekly_extractive",
]

_SENTENCE_RE = re.compile(r".+?(?:[。！？!?]|[.;](?=\s|$)|$)", re.DOTALL)
# How many of an article's removals --explain prints before "… and N more".
_EXPLAIN_REMOVALS = 12


@dataclass(frozen=True, slots=True)
class Budget:
    """How long an edition's summaries are: reader characters, and paragraphs where it prints several."""

    min_chars: int
    max_chars: int
    min_paragraphs: int = 2
    max_paragraphs: int = 4


How = Literal["lead", "textrank", "feed summary", "gloss", "none"]


@dataclass(slots=True)
class ItemText:
    """An item's extractive text and how it was made: the report it comes from, the cleaned article and
    the lead's paragraphs (for ``--explain`` and the desk)."""

    summary: str
    how: How
    entry: Entry | None = None
    article: CleanArticle | None = None
    lead: Lead | None = None

    def explain(self) -> list[str]:
        """Where the text comes from, which paragraphs make it, and what cleaning removed."""
        if self.entry is None:
            return [f"text: {self.how}"]
        lines = [f"text: {self.how} of {self.entry.canonical_url or self.entry.url}"]
        if self.lead:
            standfirst = " (standfirst first)" if self.lead.standfirst else ""
            cut = ", last one cut at a sentence end" if self.lead.cut else ""
            lines.append(f"  paragraphs {list(self.lead.indices)}{standfirst}{cut}")
        if self.article is not None:
            removed = self.article.explain()
            if self.article.publishers:
                lines.append(f"  publisher rules: {', '.join(self.article.publishers)}")
            lines += [f"  removed {line}" for line in removed[:_EXPLAIN_REMOVALS]]
            if len(removed) > _EXPLAIN_REMOVALS:
                lines.append(f"  … and {len(removed) - _EXPLAIN_REMOVALS} more removals")
        return lines


class ExtractiveRule(Protocol):
    """An edition's extractive rule: the story's text within ``budget``; ``sources`` name the publishers."""

    def __call__(self, story: Story, *, budget: Budget, sources: Mapping[str, Source]) -> ItemText: ...


# ------------------------------------------------------------------------------------ an entry's text
def entry_text(entry: Entry) -> str:
    """The text an entry offers its item: its content, else its feed summary; for an aggregator's entry
    (``extra["aggregator"]``) only the words that are not the aggregator's metadata line, often none."""
    return entry.content if entry.content.strip() else _summary_of(entry)


def _summary_of(entry: Entry) -> str:
    """The feed summary, without an aggregator's metadata line."""
    if entry.extra.get("aggregator") or entry.extra.get("hn_id"):
        return read_metadata(entry.summary).text
    return entry.summary


# ------------------------------------------------------------------------------------ the extractive rules
def _publisher(entry: Entry, sources: Mapping[str, Source]) -> str:
    """The names the publishers' rule files are matched against: the source's name and display name."""
    shown = display_source(entry, sources)
    return entry.source if shown == entry.source else f"{entry.source} {shown}"


def _article(entry: Entry, sources: Mapping[str, Source]) -> CleanArticle:
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.article import article_of

    return article_of(entry, source=_publisher(entry, sources), text=entry_text(entry))


def _textrank(article: CleanArticle, entry: Entry, budget: Budget) -> str:
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.extractive import summarize

    return summarize(
        article.body(), title=entry.title, lang=entry.language or None,
        min_chars=budget.min_chars, max_chars=budget.max_chars,
    )  # fmt: skip


def weekly_extractive(story: Story, *, budget: Budget, sources: Mapping[str, Source]) -> ItemText:
    """The weekly's rule: the lead of the first report with an article (TextRank over its body when it has
    no lead); "" when no report has text."""
    from jianbao.summarize.lead import lead  # lazy: jianbao.summarize loads numpy and the LLM client

    for entry in chinese_first(story).entries:
        article = _article(entry, sources)
        found = lead(
            article, min_paragraphs=budget.min_paragraphs, max_paragraphs=budget.max_paragraphs,
            max_chars=budget.max_chars,
        )  # fmt: skip
        if found:
            return ItemText(found.text, "lead", entry, article, found)
        if text := _textrank(article, entry, budget):
            return ItemText(text, "textrank", entry, article)
    return ItemText("", "none")


def daily_extractive(story: Story, *, budget: Budget, sources: Mapping[str, Source]) -> ItemText:
    """The daily's rule: one line of whole sentences from the best report's lead, else TextRank over its
    body, else its feed summary trimmed to whole sentences."""
    from jianbao.summarize.lead import lead_line  # lazy: jianbao.summarize loads numpy and the LLM client

    best = chinese_first(story).entries[0]
    article = _article(best, sources)
    found = lead_line(article, max_chars=budget.max_chars)
    if found:
        return ItemText(found.text, "lead", best, article, found)
    if text := _textrank(article, best, budget):
        return ItemText(clean_text(text), "textrank", best, article)
    trimmed = trim_sentences(_summary_of(best), max_chars=budget.max_chars)
    return ItemText(trimmed, "feed summary" if trimmed else "none", best if trimmed else None)


# ------------------------------------------------------------------------------------ a Chinese voice
def has_chinese_report(story: Story) -> bool:
    """Whether any report of the story is in Chinese (its title and lead then speak for it)."""
    return any(e.language.startswith("zh") for e in story.entries)


_NOUNS = {"paper": "论文", "code": "开源项目"}


def _about(title: str) -> str:
    """The name an English headline leads with: its head before a colon ("Genie 4: real-time …"), else its
    first run of capitalised words when it is plainly a name (a digit, an inner capital or several words:
    "GPT-5", "DeepSeek", "Google DeepMind"; not "Built" of "Meet the winners of Built with …"); else ""."""
    head, colon, _rest = clean_text(title).partition(":")
    if colon and 0 < len(head.split()) <= 5 and len(head) <= 40:
        return head.strip()
    name = entity_of(title)
    plainly = " " in name or any(c.isdigit() for c in name) or any(c.isupper() for c in name[1:])
    return name if plainly else ""


def gloss(story: Story, sources: Mapping[str, Source]) -> ItemText:
    """A short Chinese line for a story that has no Chinese report, from its facts only: what it is about
    (the name its headline leads with), what the report is and where it is from, its paper and code, stars
    and Hacker News points — "关于 Genie 4 的英文文章，来自 Google DeepMind Blog。"."""
    best = story.entries[0]
    kind = link_kind(entry_url(best))
    source = display_source(best, sources)
    about = _about(best.title)
    noun = f"英文{_NOUNS.get(kind, '文章')}"
    facts = [f"关于 {about} 的{noun}，来自 {source}" if about else f"来自 {source} 的{noun}"]
    kinds = {link.kind for link in story_links(story)}
    if "paper" in kinds and kind != "paper":
        facts.append("附论文")
    if "code" in kinds and kind != "code":
        facts.append("代码已开源")
    stars = max(
        [int(e.extra.get("stars") or 0) for e in story.entries]
        + [int(link.meta.get("stars") or 0) for e in story.entries for link in e.links],
        default=0,
    )
    if stars:
        facts.append(f"GitHub ⭐ {format_stars(stars)}")
    points = max((int(e.extra.get("points") or 0) for e in story.entries), default=0)
    if points:
        facts.append(f"Hacker News {points} 分")
    return ItemText("，".join(facts) + "。", "gloss", best)


@dataclass(slots=True)
class Summarizer:
    """An edition's extractive rule at its budget, as its compose step and the desk call it.

    Calling it gives a story's summary; a story with no Chinese report gets its ``gloss``. ``voiced`` says
    whether a story will read in Chinese in this build (a Chinese report, or an LLM that translates);
    ``texts`` keeps how each summary was made, by story id, for ``--explain``.
    """

    rule: ExtractiveRule
    budget: Budget
    sources: Mapping[str, Source] = field(default_factory=dict)
    translates: bool = False  # an LLM will write Chinese titles and summaries for the items
    texts: dict[str, ItemText] = field(default_factory=dict)

    def __call__(self, story: Story) -> str:
        return self.text(story).summary

    def text(self, story: Story) -> ItemText:
        if has_chinese_report(story):
            made = self.rule(story, budget=self.budget, sources=self.sources)
        else:
            made = gloss(story, self.sources)
        self.texts[story.id] = made
        return made

    def voiced(self, story: Story) -> bool:
        return self.translates or has_chinese_report(story)


Summarize = Callable[[Story], str]  # what compose steps call for an item's summary: a Summarizer, or any function


def is_voiced(summarize: Summarize, story: Story) -> bool:
    """Whether ``story`` will read in Chinese (``Summarizer.voiced``); a plain function's words are its own."""
    return summarize.voiced(story) if isinstance(summarize, Summarizer) else True


# -------------------------------------------------------------------------------------- sentences, cut
def trim_sentences(text: str, *, max_chars: int) -> str:
    """Whole sentences from the start of ``text``, as many as fit in ``max_chars``; when not even the first
    fits, it is cut at the last word (or clause) that does and ends in "…"."""
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    if len(text) <= max_chars:
        return text
    # lazy: the feed parsers' helpers load lxml; rendering an issue needs none of them
    from jianbao.ingestion.sources._text import cut_words

    out = ""
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0).strip()
        if len(out) + len(sentence) + 1 > max_chars:
            break
        out = f"{out} {sentence}".strip() if out and re.search(r"[.!?;]$", out) else out + sentence
    return out or cut_words(text, max_chars)


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` as written (its end mark kept), "" for an empty text."""
    return next(iter(_SENTENCE_RE.findall(clean_text(text).strip())), "")


# ------------------------------------------------------------------------------------------ the LLM's text
def source_text(story: Story, sources: Mapping[str, Source] | None = None) -> tuple[Entry, str]:
    """The report the LLM words an item from (the one its extractive text reads: its best Chinese report)
    and that report's cleaned text; the title when no report has text."""
    told = chinese_first(story)
    for entry in told.entries:
        text = _article(entry, sources or {}).text
        if text.strip():
            return entry, text
    best = told.entries[0]
    return best, _summary_of(best).strip() or best.title


def use_llm_text(item: Item, summary: ItemSummary, *, source: str) -> NumberCheck:
    """Give ``item`` the LLM's title and summary when every number in them is in ``source``; otherwise the
    item keeps its text. The check is kept on the item (``Item.number_check``) and returned."""
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.numbers import check_numbers

    title, text = summary.title_zh.strip(), summary.summary_zh.strip()
    check = check_numbers(title, text, source=source)
    if check.passed:
        item.title, item.summary = title, text
    else:
        check.title, check.summary = title, text
    item.number_check = check
    return check


def _request(
    story: Story, entry: Entry, text: str, *, style: Literal["weekly", "daily"], source: str, budget: Budget | None
) -> ItemRequest:
    from jianbao.summarize.llm import ItemRequest  # lazy: the LLM client loads only when one is configured

    return ItemRequest(
        id=story.id, title=entry.title, text=text, url=entry.url, source=source, language=entry.language,
        format=style, chars=(budget.min_chars, budget.max_chars) if budget else None,
    )  # fmt: skip


def llm_texts(
    issue: Issue,
    stories: Mapping[str, Story],
    client: LLMClient,
    *,
    style: Literal["weekly", "daily"],
    sources: Mapping[str, Source] | None = None,
    source_name: Callable[[str], str] = str,
    budget: Budget | None = None,
) -> list[str]:
    """Replace each item's title and summary with the LLM's Chinese ones, written in the edition's ``style``
    (its lengths: ``budget``, else the style's) from the report its extractive text reads (English-only
    stories translated); an item the
    LLM fails on, or whose LLM text has a number its source does not, keeps the extractive text. Returns
    one warning line per such item."""
    requests: list[ItemRequest] = []
    checked: dict[str, str] = {}  # story id → the source the LLM's numbers must come from
    for item in issue.items:
        story = stories.get(item.story_id or "")
        if story is None or not story.entries:
            continue
        entry, text = source_text(story, sources)
        checked[story.id] = "\n".join((entry.title, text, _summary_of(entry)))
        requests.append(_request(story, entry, text, style=style, source=source_name(entry.source), budget=budget))
    results = {r.id: r for r in client.summarize_items_sync(requests)}
    warnings: list[str] = []
    for item in issue.items:
        result = results.get(item.story_id or "")
        if result is None:
            continue
        if result.summary is None:
            warnings.append(
                f"LLM summary failed for {item.title[:40]!r} ({result.error}); extractive summary used"
            )
            continue
        check = use_llm_text(item, result.summary, source=checked[result.id])
        if not check.passed:
            warnings.append(
                f"LLM text for {item.title[:40]!r} has numbers its source does not "
                f"({'、'.join(check.unsupported)}); extractive summary used"
            )
    return warnings


REWORKS: dict[str, tuple[str, str]] = {
    # action → (the desk's label, the instruction the LLM gets)
    "rewrite": ("改写", "把标题和摘要改写得更通顺、更紧凑，像编辑亲手写的一样。"),
    "translate": ("翻译", "把标题和摘要翻译成自然流畅的简体中文（已是中文的部分润色即可）。"),
    "shorten": ("缩短", "把摘要压缩到一半左右、不超过 $max_chars 字，只留最重要的事实和数字；标题也精简。"),
}


def rework_text(
    item: Item, source: str, action: str, client: LLMClient, *, summary_chars: tuple[int, int]
) -> tuple[str, str, NumberCheck]:
    """The LLM's new title and summary for an item on the editor's request (``action``, a key of ``REWORKS``),
    from the item's current words and ``source`` (its report's text), with the number check of the new words
    against the source and the editor's words; raises LLMError when the LLM cannot answer. The item is not
    changed: the desk offers the words and the check, the editor decides."""
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.numbers import check_numbers

    _label, instruction = REWORKS[action]
    low, high = summary_chars
    if action == "shorten":
        high = max(low // 2, min(high, len(item.summary) // 2 or high))
        low = min(low, high) // 2
    answer = client.rework_sync(
        instruction.replace("$max_chars", str(high)),
        title=item.title,
        summary=item.summary,
        text=source,
        min_chars=low,
        max_chars=high,
    )
    title, summary = answer.title_zh.strip(), answer.summary_zh.strip()
    check = check_numbers(title, summary, source="\n".join((source, item.title, item.summary)))
    return title, summary, check


# ------------------------------------------------------------------------------------------ one article
def summarize_article(
    entry: Entry,
    summarize: Summarizer,
    *,
    client: LLMClient | None = None,
    style: Literal["weekly", "daily"] = "weekly",
) -> tuple[Item, ItemText]:
    """One article worded as a build words an item (``jianbao summarize``): its extractive text by
    ``summarize`` (an edition's ``Summarizer``), then the LLM's, number-checked, when ``client`` is given.
    Returns the item (title, summary, paper/code/project links, ``number_check``) and how its text was made;
    raises ``LLMError`` when the LLM fails."""
    story = Story(id="article", entries=[entry], keys=entry.keys, title=entry.title)
    made = summarize.text(story)
    item = Item(title=clean_text(entry.title).strip(), url=entry_url(entry), summary=made.summary,
                links=story_links(story), story_id=story.id)  # fmt: skip
    if client is not None:
        told, text = source_text(story, summarize.sources)
        request = _request(story, told, text, style=style, source=told.source, budget=summarize.budget)
        [result] = client.summarize_items_sync([request])
        if result.summary is None:
            raise LLMError(f"LLM summary failed ({result.error})")
        use_llm_text(item, result.summary, source="\n".join((told.title, text, _summary_of(told))))
    return item, made


# --------------------------------------------------------------------------------------- the editor's edit
EDITABLE = ("title", "tags", "summary")
_TAG_SPLIT = re.compile(r"[,，、\s]+")


def edit_text(item: Item, name: str, value: str) -> None:
    """The editor's words for one field of an item (title, tags or summary); raises ValueError with a message
    for the editor when the edit cannot be made."""
    if name == "title":
        if not value.strip():
            raise ValueError("标题不能为空")
        item.title = value.strip()
    elif name == "tags":
        item.tags = [tag.strip("【】[] ") for tag in _TAG_SPLIT.split(value) if tag.strip("【】[] ")]
    elif name == "summary":
        item.summary = value.strip()
    else:
        raise ValueError(f"不能编辑 {name}")
