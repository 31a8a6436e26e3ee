"""The 朋友圈 output: the issue's 朋友圈 text (``issue.moments``) in its edition's style, one file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jianbao.editions import get_edition
from jianbao.hookspecs import hookimpl
from jianbao.issue.moments import moments_text
from jianbao.records import Issue
from jianbao.render import Renderer


def render_moments(issue: Issue, **_: Any) -> str:
    """The issue's own 朋友圈 text when it fits, else one built from its items in its edition's style."""
    return moments_text(issue, get_edition(issue.format).moments) + "\n"


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("moments", ".txt", render_moments))
