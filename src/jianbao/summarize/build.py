"""The LLM path of a build: Chinese titles and summaries for a composed issue, section choices for stories the
rules were unsure about, and the issue's one-liner, insights and 朋友圈 text — each falling back to what the
extractive path already produced, with one warning line, whenever the LLM fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jianbao.config import Config
from jianbao.errors import ConfigError, LLMError
from jianbao.issue.section import Placement, story_text
from jianbao.records import Issue, Story
from jianbao.summarize.llm import Cache, LLMClient, LLMSettings, from_env


def settings_from_config(config: Config) -> LLMSettings | None:
    """The client settings from ``[llm]`` with ``JIANBAO_LLM_BASE_URL`` / ``JIANBAO_LLM_MODEL`` applied; None
    when no endpoint and model are configured."""
    llm = config.llm
    base = LLMSettings(
        base_url=llm.base_url, model=llm.model, api_key_env=llm.api_key_env, concurrency=llm.concurrency,
        timeout=llm.timeout, retries=llm.retries, price_input=llm.price_input, price_output=llm.price_output,
    )  # fmt: skip
    return from_env(base)


def client_for(config: Config, *, use_llm: bool | None, cache: Cache | None) -> LLMClient | None:
    """None when the LLM is off (``use_llm=False``, or None and not configured); ``use_llm=True`` without a
    configuration is a usage error."""
    if use_llm is False:
        return None
    settings = settings_from_config(config)
    if settings is None:
        if use_llm:
            raise ConfigError(
                "--llm: no LLM configured",
                hint="set llm.base_url and llm.model in jianbao.toml, or JIANBAO_LLM_BASE_URL and JIANBAO_LLM_MODEL",
            )
        return None
    return LLMClient(settings, cache=cache)


@dataclass(slots=True)
class SectionDecider:
    """Asks the LLM where a story goes when the rules are unsure; remembers failures as warnings."""

    client: LLMClient
    sections: Sequence[str]
    other_name: str
    warnings: list[str] = field(default_factory=list)

    def __call__(self, story: Story, placement: Placement) -> Placement:
        if not placement.unsure:
            return placement
        choices = [*self.sections, self.other_name]
        try:
            choice = self.client.choose_section_sync(story.title, story_text(story), sections=choices)
        except LLMError as error:
            self.warnings.append(f"LLM section choice failed for {story.title[:40]!r} ({error}); rules kept")
            return placement
        section = None if choice.section == self.other_name else choice.section
        return Placement(section, f"llm:{choice.section} ({choice.confidence:.2f}); rules: {placement.reason}",
                         placement.scores)  # fmt: skip


def rewrite_extras(issue: Issue, client: LLMClient) -> list[str]:
    """The one-liner, three insights (daily 💡) and 朋友圈 text from the LLM; the computed ones stay on failure."""
    if not issue.items:
        return []
    try:
        extras = client.issue_extras_sync(issue.items, date=issue.date, format=issue.format)
    except LLMError as error:
        return [f"LLM issue texts failed ({error}); computed one-liner and 朋友圈 text used"]
    issue.one_liner = extras.one_liner.strip()
    issue.moments = extras.moments.strip()
    if issue.format == "daily":
        issue.insights = [s.strip() for s in extras.insights]
    return []
