"""The ``json`` output: the whole issue as JSON, the shape the store keeps and ``records.issue_from_dict`` reads.

For whatever reads issues as data rather than as an article: a delivery channel, another site, a script.
Keys in the records' field order, Chinese as written (not ``\\u`` escapes), indented for a reader's diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jianbao.hookspecs import hookimpl
from jianbao.records import Issue, to_dict
from jianbao.render import Renderer


def render_json(issue: Issue, **_: Any) -> str:
    """The issue as JSON (``records.to_dict``); the edition's render options change nothing here."""
    return json.dumps(to_dict(issue), ensure_ascii=False, indent=2) + "\n"


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("json", ".json", render_json))
