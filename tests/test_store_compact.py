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


def _texts() -> list[tuple[str, str]]:
    long_zh = "长" * 2500  # longer than the search document's lead (SEARCH_LEAD_CHARS)
    return [
        (long_zh, long_zh),  # a description that is the whole body
        ("摘要在正文里", "开头：摘要在正文里，然后" + "续" * 3000),  # a teaser inside the content
        ("短摘要", "不同的正文" * 700),  # summary, then content, in the lead
        ("  前后有空白的摘要  ", "正文"),  # the lead strips the summary: no shared head
        ("", "只有正文" * 10),
        ("只有摘要", ""),
    ]


def test_the_search_documents_lead_is_not_stored_again_in_the_entry(any_store: Store) -> None:
    entries = [_entry(n, summary=s, content=c) for n, (s, c) in enumerate(_texts())]
    ids = any_store.upsert_entries(entries).ids
    back = any_store.get_entries(ids)
    assert [(e.summary, e.content) for e in back] == _texts()
    with any_store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT summary, content, summary_head, content_head FROM entries ORDER BY id")
        ).all()
    # The lead is the summary, then the content, stripped and cut at 2,000 characters: a text it begins with
    # is stored from there on (a summary with surrounding spaces, or an empty one, shares nothing).
    assert [(r.summary_head, r.content_head) for r in rows] == [
        (2000, 0),
        (0, 2000),
        (3, 0),
        (0, 0),
        (0, 0),
        (4, 0),
    ]
    assert (rows[0].summary, rows[0].content) == ("长" * 500, "")  # the rest beyond the lead
    # A replaced text writes its row and its document together; reading back stays whole.
    changed = [_entry(n, summary=c, content=s) for n, (s, c) in enumerate(_texts())]
    assert any_store.upsert_entries(changed).updated == len(changed) - 1  # the first is its own swap
    assert [(e.summary, e.content) for e in any_store.get_entries(ids)] == [(c, s) for s, c in _texts()]


def test_stored_entries_are_converted_in_place(store_url: str) -> None:
    from jianbao.store import open_store

    with open_store(store_url) as store:
        ids = store.upsert_entries([_entry(n, summary=s, content=c) for n, (s, c) in enumerate(_texts())]).ids
        with store.begin() as conn:  # as a store from before m015 kept them: whole
            for n, (summary, content) in enumerate(_texts()):
                conn.execute(
                    text(
                        "UPDATE entries SET summary = :s, content = :c, summary_head = 0, content_head = 0 "
                        "WHERE id = :i"
                    ),
                    {"s": summary, "c": "" if summary == content else content, "i": ids[n]},
                )
            conn.execute(text("DELETE FROM migrations WHERE name = 'm015_entry_text_once'"))
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m015_entry_text_once"]
        assert [(e.summary, e.content) for e in store.get_entries(ids)] == _texts()
        with store.engine.connect() as conn:
            heads = conn.execute(text("SELECT summary_head FROM entries ORDER BY id")).scalars().all()
    assert heads[0] == 2000
