"""``jianbao llm``: check that the configured OpenAI-compatible endpoint answers."""

from __future__ import annotations

import typer

from jianbao.cli._common import ConfigOpt, console, load
from jianbao.errors import ConfigError, LLMError


def check(config: ConfigOpt = None) -> None:
    """Send one tiny request to the configured LLM and report its latency, model and answer.

    Example: JIANBAO_LLM_BASE_URL=http://127.0.0.1:8000/v1 JIANBAO_LLM_MODEL=qwen3 jianbao llm check
    """
    # lazy: the openai client takes about a second to import; only this command needs it
    from jianbao.summarize.client import settings_from_config
    from jianbao.summarize.llm import check as check_endpoint

    settings = settings_from_config(load(config))
    if settings is None:
        raise ConfigError(
            "no LLM configured",
            hint="set llm.base_url and llm.model in jianbao.toml, or JIANBAO_LLM_BASE_URL and JIANBAO_LLM_MODEL",
        )
    try:
        result = check_endpoint(settings)
    except LLMError as error:
        raise LLMError(f"LLM check failed: {error}") from None
    console.print(f"{settings.base_url}  model {result.model}  {result.latency_s * 1000:.0f} ms")
    console.print(f"answer: {result.answer}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The optional LLM: check the endpoint.", no_args_is_help=True)
    group.command("check")(check)
    app.add_typer(group, name="llm")
