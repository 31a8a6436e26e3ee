"""The LLM as a judge of borderline pairs: "does the later report tell the event the earlier one told?".

Only pairs the merge model finds borderline (``MergeModel.borderline``) are asked, a few per issue; answers
are cached like every LLM answer (prompt ``same_event.v1`` + model + the two texts), so a rebuild asks
nothing again. A failed answer leaves the model's decision standing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from jianbao.config import Config
from jianbao.stories.merge import Judge
from jianbao.summarize.client import client_for
from jianbao.summarize.llm import Cache, LLMClient

__all__ = ["SameEvent", "llm_judge"]

PROMPT = "same_event.v1"


class SameEvent(BaseModel):
    same_event: bool


def judge_with(client: LLMClient) -> Judge:
    """A ``Judge`` asking ``client``: (earlier text, later text) pairs → yes, no, or None where it failed."""

    def judge(pairs: Sequence[tuple[str, str]]) -> list[bool | None]:
        values = [{"earlier": earlier, "later": later} for earlier, later in pairs]
        answers = client.answers_sync(PROMPT, values, SameEvent)
        return [a.same_event if a is not None else None for a in answers]

    return judge


def llm_judge(config: Config, cache: Cache | None) -> Judge | None:
    """The judge of ``[llm]`` when one is configured and ``[embed] llm_judge`` is on, else None."""
    if not config.embed.llm_judge:
        return None
    client = client_for(config, use_llm=None, cache=cache)
    return judge_with(client) if client is not None else None
