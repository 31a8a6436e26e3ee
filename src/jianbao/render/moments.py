"""The 朋友圈 output: the issue's 朋友圈 text (``issue.moments``) in its edition's style, one file."""

from __future__ import annotations

from typing import Any

from jianbao.editions import get_edition
from jianbao.issue.moments import moments_text
from jianbao.records import Issue
from jianbao.render import Renderer, register
from jianbao.safety import gate_issue


def render_moments(issue: Issue, **_: Any) -> str:
    """The issue's own 朋友圈 text when it fits, else one built from its items in its edition's style."""
    return moments_text(gate_issue(issue), get_edition(issue.format).moments) + "\n"


register(Renderer("moments", ".txt", render_moments))
