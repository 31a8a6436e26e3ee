"""An entry's text is stored once: content that repeats the summary is not written twice, raw HTML not at all."""

from __future__ import annotations

from sqlalchemy import text

from jianbao.records import Entry
from jianbao.store import Store


def _entry(n: int, *, summary: str, content: str) -> Entry:
    url = f"https://example.com/{n}"
    return Entry(
        source="s", url=url, canonical_url=url, title=f"标题 {n}", summary=summary, content=content,
        html=f"<p>{content}</p>",
    )  # fmt: skip


def test_content_that_repeats_the_summary_is_stored_once_and_read_back_whole(any_store: Store) -> None:
    entries = [
        _entry(1, summary="同一段正文", content="同一段正文"),
        _entry(2, summary="摘要", content="不同的正文"),
        _entry(3, summary="只有摘要", content=""),
    ]
    ids = any_store.upsert_entries(entries).ids
    back = any_store.get_entries(ids)
    assert [(e.summary, e.content) for e in back] == [(e.summary, e.content) for e in entries]
    assert all(e.html == "" for e in back)  # raw HTML is not kept
    with any_store.engine.connect() as conn:
        rows = conn.execute(text("SELECT content, html FROM entries ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("", ""), ("不同的正文", ""), ("", "")]


def test_unchanged_entries_stay_unchanged_on_a_second_write(any_store: Store) -> None:
    entries = [_entry(1, summary="同一段正文", content="同一段正文")]
    any_store.upsert_entries(entries)
    again = any_store.upsert_entries([_entry(1, summary="同一段正文", content="同一段正文")])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
