"""The docs that come from the code must match it (regenerate with `python -m jianbao._docs`)."""

from __future__ import annotations

from pathlib import Path

from jianbao import _docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_configuration_reference_is_current() -> None:
    assert (DOCS / "configuration.md").read_text(encoding="utf-8") == _docs.configuration_md(), (
        "docs/configuration.md is stale: run `python -m jianbao._docs`"
    )


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == _docs.cli_md(), (
        "docs/cli.md is stale: run `python -m jianbao._docs`"
    )


def test_every_command_is_in_the_readme() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for path, _cmd in _docs._commands():
        assert f"jianbao {path[0]}" in readme, f"README does not mention `jianbao {path[0]}`"
