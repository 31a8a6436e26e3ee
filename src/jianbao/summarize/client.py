"""The LLM client a build uses, from ``[llm]`` in jianbao.toml and the ``JIANBAO_LLM_*`` environment.

What the LLM writes goes to its home: item titles and summaries to ``issue/item_text.py``, section choices to
``issue/section.py`` (``SectionDecider``), the one-liner, insights and 朋友圈 text to ``issue/build.py``.
"""

from __future__ import annotations

from jianbao.config import Config
from jianbao.errors import ConfigError
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
