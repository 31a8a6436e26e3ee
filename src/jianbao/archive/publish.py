"""Publish an issue: mark it published in the store and write its Markdown into the archive folder.

This is the minimal path shared by ``jianbao publish`` and the web desk's Publish button; marking an issue
published is what makes the clustering stage treat its stories as already covered.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jianbao.config import Config
from jianbao.records import Issue
from jianbao.store import Store


def archive_path(issue: Issue, *, config: Config) -> Path:
    """``<archive_dir>/YYYY/AI简报YYYYMMDD.md``, the archive's own naming (both formats use it)."""
    from jianbao.archive.files import archive_path as layout

    return layout(config.resolve(config.output.archive_dir), issue.date)


def publish_issue(store: Store, issue: Issue, *, config: Config, expected_version: int | None = None) -> Path:
    """Save ``issue`` as published (refusing a stale ``expected_version``) and write its Markdown file."""
    from jianbao.render import get_renderer

    published = dataclasses.replace(issue, state="published")
    markdown = get_renderer("markdown").render(published, other_name=config.weekly.other_name)
    store.save_issue(published, markdown=markdown, expected_version=expected_version)
    path = archive_path(published, config=config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(markdown, encoding="utf-8")
    tmp.replace(path)
    return path
