"""Schema migrations: small functions run in order once per store, recorded in the ``migrations`` table.

A migration must be safe on any older file: it checks before it adds, so a store created by any earlier
jianbao upgrades in place and nothing stored is lost. Append new ones; never edit an applied one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from sqlalchemy import (
    Column,
    Connection,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    inspect,
    select,
    text,
    update,
)

from jianbao.store import schema, search_index
from jianbao.store.search_docs import bigram_columns, latin_columns, text_heads

Migration = Callable[[Connection], None]

# Tables of earlier layouts that a later migration replaces (not in ``schema.metadata``, so a new
# store never creates them and ``db copy`` never copies them).
_legacy = MetaData()
_story_signatures = Table(
    "story_signatures",
    _legacy,
    Column("hash", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)


def m001_initial(conn: Connection) -> None:
    """Every table of the first schema (create_all skips tables that exist)."""
    schema.metadata.create_all(conn, checkfirst=True)


def m002_search_index(conn: Connection) -> None:
    """Full-text index over search_docs: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL.

    Trigram matching gives substring-exact search for CJK (no word segmentation to disagree with the
    editor's query); queries shorter than three characters fall back to a LIKE scan in the search code.
    """
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                "title, body, source, content='search_docs', content_rowid='id', tokenize='trigram')"
            )
        )
        for stmt in (
            "CREATE TRIGGER IF NOT EXISTS search_docs_ai AFTER INSERT ON search_docs BEGIN "
            "INSERT INTO search_fts(rowid, title, body, source) VALUES (new.id, new.title, new.body, new.source); END",
            "CREATE TRIGGER IF NOT EXISTS search_docs_ad AFTER DELETE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body, source) "
            "VALUES ('delete', old.id, old.title, old.body, old.source); END",
            "CREATE TRIGGER IF NOT EXISTS search_docs_au AFTER UPDATE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body, source) "
            "VALUES ('delete', old.id, old.title, old.body, old.source); "
            "INSERT INTO search_fts(rowid, title, body, source) VALUES (new.id, new.title, new.body, new.source); END",
        ):
            conn.execute(text(stmt))
        # Index rows that existed before this migration.
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    elif dialect == "postgresql":
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_search_docs_trgm ON search_docs USING gin "
                "((coalesce(title,'') || ' ' || coalesce(body,'') || ' ' || coalesce(source,'')) gin_trgm_ops)"
            )
        )


def m003_unbounded_text(conn: Connection) -> None:
    """Outside text columns become TEXT on PostgreSQL, where VARCHAR(n) rejects what SQLite let through.

    SQLite ignores declared lengths, so it has nothing to change. On PostgreSQL VARCHAR→TEXT is a catalog
    change (binary-compatible, no table rewrite).
    """
    if conn.dialect.name != "postgresql":
        return
    inspector = inspect(conn)
    for table in schema.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        current = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if (
                isinstance(column.type, Text)
                and isinstance(current.get(column.name), String)
                and not isinstance(current[column.name], Text)
            ):
                conn.execute(text(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column.name}" TYPE text'))


def m004_cjk_bigram_index(conn: Connection) -> None:
    """CJK bigram index over search_docs, so two-character queries such as 开源 are indexed, not scanned.

    Adds ``title_bigrams``/``body_bigrams`` (written with each row from now on) and fills them for the rows
    already stored. SQLite: an FTS5 table over them kept in sync by triggers; the trigram update trigger is
    narrowed to the text columns so writing bigrams does not re-index trigrams. PostgreSQL: a generated
    weighted ``tsvector`` (title weight A) with a GIN index.
    """
    dialect = conn.dialect.name
    present = {c["name"] for c in inspect(conn).get_columns("search_docs")}
    for name in ("title_bigrams", "body_bigrams"):
        if name not in present:
            conn.execute(text(f"ALTER TABLE search_docs ADD COLUMN {name} TEXT"))
    if dialect == "sqlite":
        conn.execute(text("DROP TRIGGER IF EXISTS search_docs_au"))
        conn.execute(
            text(
                "CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, source ON search_docs BEGIN "
                "INSERT INTO search_fts(search_fts, rowid, title, body, source) "
                "VALUES ('delete', old.id, old.title, old.body, old.source); "
                "INSERT INTO search_fts(rowid, title, body, source) VALUES (new.id, new.title, new.body, new.source); END"
            )
        )
    _fill(conn, "title_bigrams", bigram_columns)
    if dialect == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_cjk USING fts5(title_bigrams, body_bigrams, "
                "content='search_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
            )
        )
        for stmt in (
            "CREATE TRIGGER IF NOT EXISTS search_docs_cjk_ai AFTER INSERT ON search_docs BEGIN "
            "INSERT INTO search_cjk(rowid, title_bigrams, body_bigrams) "
            "VALUES (new.id, new.title_bigrams, new.body_bigrams); END",
            "CREATE TRIGGER IF NOT EXISTS search_docs_cjk_ad AFTER DELETE ON search_docs BEGIN "
            "INSERT INTO search_cjk(search_cjk, rowid, title_bigrams, body_bigrams) "
            "VALUES ('delete', old.id, old.title_bigrams, old.body_bigrams); END",
            "CREATE TRIGGER IF NOT EXISTS search_docs_cjk_au AFTER UPDATE OF title_bigrams, body_bigrams "
            "ON search_docs BEGIN "
            "INSERT INTO search_cjk(search_cjk, rowid, title_bigrams, body_bigrams) "
            "VALUES ('delete', old.id, old.title_bigrams, old.body_bigrams); "
            "INSERT INTO search_cjk(rowid, title_bigrams, body_bigrams) "
            "VALUES (new.id, new.title_bigrams, new.body_bigrams); END",
        ):
            conn.execute(text(stmt))
        conn.execute(text("INSERT INTO search_cjk(search_cjk) VALUES ('rebuild')"))
    elif dialect == "postgresql":
        conn.execute(
            text(
                "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS bigram_tsv tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple', coalesce(title_bigrams, '')), 'A') || "
                "to_tsvector('simple', coalesce(body_bigrams, ''))) STORED"
            )
        )
        conn.execute(
            text("CREATE INDEX IF NOT EXISTS ix_search_docs_bigrams ON search_docs USING gin (bigram_tsv)")
        )


def m005_title_trigram_index(conn: Connection) -> None:
    """PostgreSQL: a trigram index on titles alone, so the title-hit phase of a frequent term (GitHub,
    OpenAI) no longer rechecks every body candidate (measured 31 → 3 ms at 20k items). SQLite's FTS5
    table already indexes the title column on its own."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_search_docs_title_trgm ON search_docs USING gin (title gin_trgm_ops)"
            )
        )


def m006_latin_trigram_index(conn: Connection) -> None:
    """SQLite: the trigram index reads only the non-CJK text, since CJK is already indexed as bigrams (m004).

    Adds ``title_latin``/``body_latin`` (CJK runs replaced by a line break, written with each row from now
    on), fills them for the rows already stored, and rebuilds ``search_fts`` over them: CJK text was indexed
    twice, and its trigrams were most of the store's write cost. Mixed queries are read from the index
    where their part is rarest and checked by substring (see jianbao.store.search); ``*_terms``
    (fts5vocab) give the document counts that choice needs. PostgreSQL keeps its trigram index over the
    full text; the columns are added there only so both backends share one table shape, and stay NULL.
    """
    present = {c["name"] for c in inspect(conn).get_columns("search_docs")}
    for name in ("title_latin", "body_latin"):
        if name not in present:
            conn.execute(text(f"ALTER TABLE search_docs ADD COLUMN {name} TEXT"))
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text("DROP TABLE IF EXISTS search_fts"))
    _fill(conn, "title_latin", latin_columns)
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title_latin, body_latin, "
            "content='search_docs', content_rowid='id', tokenize='trigram')"
        )
    )
    for stmt in (
        "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
        "INSERT INTO search_fts(rowid, title_latin, body_latin) VALUES (new.id, new.title_latin, new.body_latin); END",
        "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title_latin, body_latin) "
        "VALUES ('delete', old.id, old.title_latin, old.body_latin); END",
        "CREATE TRIGGER search_docs_au AFTER UPDATE OF title_latin, body_latin ON search_docs BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title_latin, body_latin) "
        "VALUES ('delete', old.id, old.title_latin, old.body_latin); "
        "INSERT INTO search_fts(rowid, title_latin, body_latin) VALUES (new.id, new.title_latin, new.body_latin); END",
    ):
        conn.execute(text(stmt))
    conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    # Each term's document count, so a mixed query is read from the index where its part is rarest.
    for index in ("search_fts", "search_cjk"):
        conn.execute(
            text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {index}_terms USING fts5vocab({index}, 'row')")
        )


def m007_title_latin_index(conn: Connection) -> None:
    """SQLite: a trigram index over ``title_latin`` alone (``search_title``), kept in sync by triggers.

    The title-hit phase of a Latin query asked ``search_fts`` for ``title_latin : "…"``, and FTS5 answers a
    column filter by reading the position lists of every row the phrase matches in any column: for
    GitHub, nineteen body matches per title match. Titles are short, so the index costs little to write.
    PostgreSQL has had its title trigram index since m005; nothing to do there.
    """
    if conn.dialect.name != "sqlite":
        return
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_title USING fts5(title_latin, "
            "content='search_docs', content_rowid='id', tokenize='trigram')"
        )
    )
    for stmt in (
        "CREATE TRIGGER IF NOT EXISTS search_docs_title_ai AFTER INSERT ON search_docs BEGIN "
        "INSERT INTO search_title(rowid, title_latin) VALUES (new.id, new.title_latin); END",
        "CREATE TRIGGER IF NOT EXISTS search_docs_title_ad AFTER DELETE ON search_docs BEGIN "
        "INSERT INTO search_title(search_title, rowid, title_latin) VALUES ('delete', old.id, old.title_latin); END",
        "CREATE TRIGGER IF NOT EXISTS search_docs_title_au AFTER UPDATE OF title_latin ON search_docs BEGIN "
        "INSERT INTO search_title(search_title, rowid, title_latin) VALUES ('delete', old.id, old.title_latin); "
        "INSERT INTO search_title(rowid, title_latin) VALUES (new.id, new.title_latin); END",
    ):
        conn.execute(text(stmt))
    conn.execute(text("INSERT INTO search_title(search_title) VALUES ('rebuild')"))


def m008_runs(conn: Connection) -> None:
    """The runs of `jianbao run`, the issue versions they saved, their deliveries and each source's health."""
    for table in (schema.runs, schema.run_builds, schema.deliveries, schema.source_health):
        table.create(conn, checkfirst=True)


def m009_compact_entries(conn: Connection) -> None:
    """Each entry's text stored once: a content that repeats the summary is kept only as the summary
    (``content_is_summary``), and raw HTML is no longer kept (nothing reads it after ingest; the text,
    images and links derived from it are stored). Together they were half of a feed store's bytes."""
    if "content_is_summary" not in {c["name"] for c in inspect(conn).get_columns("entries")}:
        conn.execute(text("ALTER TABLE entries ADD COLUMN content_is_summary BOOLEAN NOT NULL DEFAULT false"))
    conn.execute(
        text(
            "UPDATE entries SET content_is_summary = (content <> '' AND content = summary), "
            "content = CASE WHEN content <> '' AND content = summary THEN '' ELSE content END, html = ''"
        )
    )


def m010_embeddings(conn: Connection) -> None:
    """The embeddings cache (``embeddings``: model, text hash → vector) of the semantic story signal."""
    schema.embeddings.create(conn, checkfirst=True)


def m011_issue_versions(conn: Connection) -> None:
    """The table of a draft's saved versions (the desk's history and undo)."""
    schema.issue_versions.create(conn, checkfirst=True)


def m012_change_mark_indexes(conn: Connection) -> None:
    """Indexes that make ``Store.change_marks`` (what the desk's caches are keyed by) answer in microseconds:
    without them its max(updated_at) reads every entry, 50 ms at 50,000 entries, on every page."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_entries_updated_at ON entries (updated_at)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_issues_state_published ON issues (state, published_at)"))


def m013_source_scope(conn: Connection) -> None:
    """``sources.scope``: what a source publishes (lab, topical, general, or ``auto``: judged from its
    entries), read by the build's topical relevance. Stores created before it get the column, ``auto``."""
    if "scope" in {c["name"] for c in inspect(conn).get_columns("sources")}:
        return  # created by m001 from the current schema
    conn.execute(text("ALTER TABLE sources ADD COLUMN scope TEXT NOT NULL DEFAULT 'auto'"))


def m014_contentless_search_index(conn: Connection) -> None:
    """SQLite: the full-text indexes keep only their index, written by the store (``store.search_index``).

    ``search_fts``, ``search_cjk`` and ``search_title`` read their texts from four columns of every
    search_docs row (``title_latin``, ``body_latin``, ``title_bigrams``, ``body_bigrams``), copied there by
    triggers: a quarter of a feed store's bytes. They become contentless FTS5 tables, filled from the rows'
    title, body and source, and the columns are emptied. The new tables keep columns, not positions
    (``detail=column``): the search checks each candidate for the query itself. PostgreSQL keeps its bigram
    columns (its generated ``tsvector`` reads them); nothing changes there.
    """
    if conn.dialect.name != "sqlite":
        return
    for prefix in ("search_docs", "search_docs_cjk", "search_docs_title"):
        for event in ("ai", "ad", "au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {prefix}_{event}"))
    for name in ("search_fts_terms", "search_cjk_terms", *search_index.FTS_TABLES):
        conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    search_index.create_tables(conn)
    search_index.reindex(conn)
    empty = ", ".join(f"{column} = NULL" for column in search_index.INDEX_COLUMNS)
    conn.execute(text(f"UPDATE search_docs SET {empty}"))


def m015_entry_text_once(conn: Connection) -> None:
    """An entry's text is not stored twice: the head of its summary (or content) that its search document's
    body holds already is left out of the entries row (``summary_head``/``content_head`` say how long it is;
    ``search_docs.text_heads``). A feed's description is usually short enough to be the whole body, so
    this was a second copy of nearly every entry's text. Stored entries are converted in batches."""
    present = {c["name"] for c in inspect(conn).get_columns("entries")}
    for name in ("summary_head", "content_head"):
        if name not in present:
            conn.execute(text(f"ALTER TABLE entries ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0"))
    entries, docs = schema.entries, schema.search_docs
    pending = (
        select(entries.c.id, entries.c.summary, entries.c.content, docs.c.body)
        .join(docs, (docs.c.kind == "entry") & (docs.c.ref == cast(entries.c.id, Text)))
        .where(entries.c.summary_head == 0, entries.c.content_head == 0)
        .order_by(entries.c.id)
        .limit(2000)
    )
    last = 0
    while batch := conn.execute(pending.where(entries.c.id > last)).all():
        changes = []
        for row in batch:
            summary_head, content_head = text_heads(row.summary, row.content, row.body or "")
            if summary_head or content_head:
                changes.append(
                    {"entry_id": row.id, "summary": row.summary[summary_head:], "content": row.content[content_head:],
                     "summary_head": summary_head, "content_head": content_head}
                )  # fmt: skip
        if changes:
            conn.execute(update(entries).where(entries.c.id == bindparam("entry_id")), changes)
        last = batch[-1].id


def m016_story_signatures(conn: Connection) -> None:
    """The story index (``story_signatures``: text hash → packed signature) that ingest fills and builds read."""
    _story_signatures.create(conn, checkfirst=True)


def m017_title_bigram_index(conn: Connection) -> None:
    """PostgreSQL: a GIN index over the title's CJK bigrams alone, so the title-hit phase of a frequent CJK
    term reads its title hits, not every match of the term (3,608 of 数据's 18,063 rows at 100k items);
    two-character queries have no trigram for the title trigram index (m005) to find. SQLite's bigram
    FTS5 table already indexes the title column on its own."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_search_docs_title_bigrams ON search_docs USING gin "
                "(to_tsvector('simple', coalesce(title_bigrams, '')))"
            )
        )


def m018_relevance_evidence(conn: Connection) -> None:
    """The stored relevance evidence (``relevance_evidence``: entry reading hash → packed evidence) that
    ingest fills and builds read."""
    schema.relevance_evidence.create(conn, checkfirst=True)


# The search indexes of search_docs that are GIN (PostgreSQL): each search reads at least one of them.
SEARCH_GIN_INDEXES = (
    "ix_search_docs_trgm",
    "ix_search_docs_bigrams",
    "ix_search_docs_title_trgm",
    "ix_search_docs_title_bigrams",
)
GIN_PENDING_KB = 256  # the most of a search GIN index's pending list a search reads (m019)


def m019_search_pending_lists(conn: Connection) -> None:
    """PostgreSQL: a GIN index keeps new rows in a pending list (fastupdate) until it holds
    ``gin_pending_list_limit`` (4 MB) and merges them then; every scan reads the whole list, in no order.
    After a bulk import the title trigram index's list held 388 pages (5,259 rows): each Latin title phase
    read them all. The search indexes' lists are kept to ``GIN_PENDING_KB``, so ingest still merges rows in
    batches but no search reads more than that. (``Store.analyze`` also merges them after a bulk import.)"""
    if conn.dialect.name == "postgresql":
        for name in SEARCH_GIN_INDEXES:
            conn.execute(
                text(f"ALTER INDEX IF EXISTS {name} SET (gin_pending_list_limit = {GIN_PENDING_KB:d})")
            )


def m020_compact_story_index(conn: Connection) -> None:
    """The story index in 16-byte keys and compact signatures (``story_index``, rowless on SQLite): the LSH
    band keys instead of the whole MinHash row, and no copy of what the entry has (headline, keys, text
    shingles), a fifth of the bytes of ``story_signatures`` (which took a quarter of the feed bytes).

    The old rows are dropped, not converted: a new key is the hash of the report a signature was computed
    from, which only the entry and the clustering settings give, and the store knows neither. The index is
    a cache of what entries give, so this is ``jianbao stories --recluster``: the next clustering computes
    the signatures of its window again (the same stories) and keeps them."""
    schema.story_index.create(conn, checkfirst=True)
    _story_signatures.drop(conn, checkfirst=True)


def m021_search_text_lengths(conn: Connection) -> None:
    """``search_docs.title_chars`` and ``body_chars``: each text's characters before any NUL, which a search
    divides its relevance by, kept with the row (``search_docs.text_lengths``) instead of counted in every
    text of every window it ranks (a third of a window's cost on SQLite). Older rows are filled by SQL's own
    ``length``, which counts exactly that on both backends."""
    present = {c["name"] for c in inspect(conn).get_columns("search_docs")}
    for name in ("title_chars", "body_chars"):
        if name not in present:
            conn.execute(text(f"ALTER TABLE search_docs ADD COLUMN {name} INTEGER"))
    conn.execute(
        text(
            "UPDATE search_docs SET title_chars = length(coalesce(title, '')), "
            "body_chars = length(coalesce(body, '')) WHERE title_chars IS NULL OR body_chars IS NULL"
        )
    )


MIGRATIONS: list[Migration] = [
    m001_initial,
    m002_search_index,
    m003_unbounded_text,
    m004_cjk_bigram_index,
    m005_title_trigram_index,
    m006_latin_trigram_index,
    m007_title_latin_index,
    m008_runs,
    m009_compact_entries,
    m010_embeddings,
    m011_issue_versions,
    m012_change_mark_indexes,
    m013_source_scope,
    m014_contentless_search_index,
    m015_entry_text_once,
    m016_story_signatures,
    m017_title_bigram_index,
    m018_relevance_evidence,
    m019_search_pending_lists,
    m020_compact_story_index,
    m021_search_text_lengths,
]


def _fill(
    conn: Connection, marker: str, columns: Callable[[str | None, str | None, str | None], Mapping[str, str]]
) -> None:
    """Compute new index columns for the stored search documents that lack them (``marker`` is NULL), in
    batches of 2,000 so a large archive never sits in memory at once."""
    docs = schema.search_docs
    pending = select(docs.c.id, docs.c.title, docs.c.body, docs.c.source).where(docs.c[marker].is_(None))
    last = 0
    while True:
        batch = conn.execute(pending.where(docs.c.id > last).order_by(docs.c.id).limit(2000)).all()
        if not batch:
            break
        conn.execute(
            update(docs).where(docs.c.id == bindparam("doc_id")),
            [{"doc_id": row.id, **columns(row.title, row.body, row.source)} for row in batch],
        )
        last = batch[-1].id


def applied(conn: Connection) -> set[str]:
    """The names of the migrations this store has recorded (none before its first migration)."""
    if not inspect(conn).has_table("migrations"):
        return set()
    return {row[0] for row in conn.execute(text("SELECT name FROM migrations"))}


def migrate(conn: Connection) -> list[str]:
    """Run every migration not yet recorded; returns the names it ran."""
    schema.migrations.create(conn, checkfirst=True)
    done = applied(conn)
    ran: list[str] = []
    for migration in MIGRATIONS:
        name = migration.__name__
        if name in done:
            continue
        migration(conn)
        conn.execute(
            schema.migrations.insert().values(
                name=name, applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
            )
        )
        ran.append(name)
    return ran


def schema_version(conn: Connection) -> int:
    """How many of the known migrations the store has run."""
    return len(applied(conn) & {m.__name__ for m in MIGRATIONS})
