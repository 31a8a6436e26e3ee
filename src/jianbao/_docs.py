"""Generate the reference docs from the code (settings and CLI help), so docs cannot drift from it.

``python -m jianbao._docs`` rewrites docs/configuration.md and docs/cli.md; tests/test_docs.py fails when a
committed file differs from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer.main
from pydantic import BaseModel
from typer._click.core import Command  # typer 0.29 vendors click
from typer.core import TyperGroup
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.config import ChannelSettings, Config, SectionRule, SourceSettings, TagRule, _toml_value


def _rows(model: type[BaseModel], prefix: str, instance: BaseModel) -> list[str]:
    rows: list[str] = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        value = getattr(instance, name)
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, BaseModel):
            rows.extend(_rows(type(value), key, value))
            continue
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            shown = f"{len(value)} tables (see `jianbao init`)"
        else:
            shown = f"`{_toml_value(value)}`" if value not in ("", [], {}) else "(empty)"
        shown = shown.replace("|", "\\|")
        rows.append(f"| `{key}` | {shown} | {field.description or ''} |")
    return rows


def configuration_md() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Generated from `jianbao/config.py` by `python -m jianbao._docs`; do not edit by hand.",
        "`jianbao init` writes the same settings, commented, into `jianbao.toml`.",
        "",
        "| key | default | meaning |",
        "| --- | --- | --- |",
        *_rows(Config, "", Config()),
        "",
    ]
    for title, model in (("`[[sources]]`", SourceSettings), ("`[[channels]]`", ChannelSettings),
                         ("`[[weekly.sections]]`", SectionRule),
                         ("`[[weekly.tags]]`", TagRule)):
        lines += [f"## {title}", "", "| key | meaning |", "| --- | --- |"]
        lines += [f"| `{name}` | {field.description or ''} |" for name, field in model.model_fields.items()]
        lines.append("")
    return "\n".join(lines)


def _commands() -> list[tuple[list[str], Command]]:
    """The top-level commands and groups; a group's own --help lists its subcommands."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    return [([name], cmd) for name, cmd in root.commands.items()]


def cli_md() -> str:
    runner = CliRunner()
    lines = ["# CLI reference", "", "Generated from the commands' own `--help` by `python -m jianbao._docs`.", ""]
    for path, _cmd in _commands():
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
                               terminal_width=100, prog_name="jianbao")
        lines += [f"## jianbao {' '.join(path)}", "", "```", result.stdout.rstrip(), "```", ""]
    return "\n".join(lines)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")
    root.mkdir(exist_ok=True)
    (root / "configuration.md").write_text(configuration_md(), encoding="utf-8")
    (root / "cli.md").write_text(cli_md(), encoding="utf-8")


if __name__ == "__main__":
    main()
