"""The store's tables as SQLAlchemy Core objects: the latest shape, which the migrations build up to.

Text that comes from outside (source names, link keys, languages, story ids) is unbounded ``Text``: SQLite
never enforced a VARCHAR length, and PostgreSQL would reject a long value that SQLite had accepted.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", DateTime, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("region", Text, nullable=False, default="国际"),
    Column("weight", Float, nullable=False, default=1.0),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("options", JSON, nullable=False, default=dict),
    Column("scope", Text, nullable=False, default="auto", server_default="auto"),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_success", DateTime),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Identity of an article: one row per canonical URL, whichever source saw it first.
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("source", Text, nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("author", Text),
    Column("published", DateTime, index=True),
    Column("fetched", DateTime),
    Column("summary", Text, nullable=False, default=""),
    Column("content", Text, nullable=False, default=""),
    Column("html", Text, nullable=False, default=""),  # no longer written (m009): raw HTML is not kept
    Column("language", Text, nullable=False, default=""),
    Column("images", JSON, nullable=False, default=list),
    Column("extra", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False, index=True),  # max() is half of Store.change_marks (m011)
    # True when the content is the summary again (a feed whose description is the whole body): it is then
    # stored once, in ``summary``, and ``content`` is left empty (m009).
    Column("content_is_summary", Boolean, nullable=False, default=False, server_default=false()),
    # How many leading characters of the summary (of the content) are not stored here because they are the
    # head of the entry's search document's body, which holds them already (m015): the column keeps the rest.
    Column("summary_head", Integer, nullable=False, default=0, server_default="0"),
    Column("content_head", Integer, nullable=False, default=0, server_default="0"),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", Integer, ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("key", Text, index=True),
    Column("label", Text),
)

link_meta = Table(
    "link_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("data", JSON, nullable=False, default=dict),
    Column("status", Integer),
    Column("etag", Text),
    Column("fetched_at", DateTime, nullable=False),
    Column("error", Text),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_seen", DateTime),
    Column("last_seen", DateTime),
    Column("state", Text, nullable=False, default="new"),
    Column("score", Float, nullable=False, default=0.0),
    Column("data", JSON, nullable=False, default=dict),
    Column("updated_at", DateTime, nullable=False),
)

story_entries = Table(
    "story_entries",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
)

issues = Table(
    "issues",
    metadata,
    Column("id", String(40), primary_key=True),  # "weekly:2021-03-05"
    Column("date", Date, nullable=False, index=True),
    Column("format", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("data", JSON, nullable=False),  # records.to_dict(Issue)
    Column("markdown", Text),
    Column("source_file", Text),
    Column("published_at", DateTime),
    Column("updated_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),  # bumps on every save: last-write detection
    Index("ix_issues_state_published", "state", "published_at"),  # the other half of change_marks (m011)
)

# The versions an editor saved of a draft (the desk's history, undo and restore): the whole issue as saved.
issue_versions = Table(
    "issue_versions",
    metadata,
    Column("issue_id", String(40), ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("data", JSON, nullable=False),  # records.to_dict(Issue), as issues.data
    Column("note", Text, nullable=False, default=""),  # what the editor did: "删除：…", "恢复到第 3 版"
    Column("items", Integer, nullable=False, default=0),
    Column("chars", Integer),  # the 导读's 字数 of that version, when the edition computes one
    Column("saved_at", DateTime, nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("issue_id", String(40), ForeignKey("issues.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),  # 0-based over the issue's items, as `import --json`
    Column("section", Text, nullable=False, default=""),
    Column("number", Integer),
    Column("title", Text, nullable=False, default=""),
    Column("url", Text),
    Column("source", Text),
    Column("summary", Text, nullable=False, default=""),
    Column("story_id", Text, index=True),
    # What history reads beside the columns ({"entity": …}); the whole item is in issues.data. Rows written
    # before #21 hold the whole item.
    Column("data", JSON, nullable=False),
    UniqueConstraint("issue_id", "position"),
)

# Keys (paper/code keys, canonical URLs) of every published item: the memory behind "already covered?".
item_keys = Table(
    "item_keys",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(500), primary_key=True),
    Index("ix_item_keys_key", "key"),
)

fetch_log = Table(
    "fetch_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, index=True),
    Column("url", Text, nullable=False),
    Column("attempt", Integer, nullable=False, default=1),
    Column("status", Integer),
    Column("bytes", Integer, nullable=False, default=0),
    Column("elapsed", Float, nullable=False, default=0.0),
    Column("error", Text),
    Column("started_at", DateTime, nullable=False),
)

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("model", Text, nullable=False, default=""),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Embeddings of report texts (jianbao.stories.embed), kept by model and the sha256 of the text embedded, so a
# text is embedded once per model: the vector is float32, little-endian, ``dim`` values (m008).
embeddings = Table(
    "embeddings",
    metadata,
    Column("model", String(200), primary_key=True),
    Column("hash", String(64), primary_key=True),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# The story index (``jianbao.stories.signature``): one packed signature (LSH band keys and comparison features)
# per report text, keyed by the hash of what it was computed from (16 bytes), so ingest computes it once and
# builds read it. Without a rowid on SQLite: the key is the row's only index. (Before m020: ``story_signatures``.)
story_index = Table(
    "story_index",
    metadata,
    Column("hash", LargeBinary, primary_key=True),
    Column("data", LargeBinary, nullable=False),
    sqlite_with_rowid=False,
)

# The relevance rules' evidence of each entry (``jianbao.issue.relevance``: points, why, and the lab whose page it
# is), keyed by the hash of the entry's words and the topic's word lists (16 bytes), so ingest judges an entry
# once for a vocabulary and builds read it; a change of the word lists makes new hashes, never stale evidence.
# Without a rowid on SQLite: the key is the row's only index.
relevance_evidence = Table(
    "relevance_evidence",
    metadata,
    Column("hash", LargeBinary, primary_key=True),
    Column("data", LargeBinary, nullable=False),
    sqlite_with_rowid=False,
)

# One row per searchable text: entries and every part of every issue (items, 其他, trending, insights, intro).
search_docs = Table(
    "search_docs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),  # entry, item, other, trending, insight, intro, one_liner
    Column("ref", Text, nullable=False),  # entry id or issue id
    Column("issue_id", String(40), index=True),
    Column("date", Date, index=True),
    Column("section", Text),
    Column("title", Text, nullable=False, default=""),
    Column("source", Text),
    Column("url", Text),
    Column("body", Text, nullable=False, default=""),
    # CJK character bigrams of title and of body + source (jianbao.store.search_docs.bigram_terms): the index
    # for CJK queries, two-character ones included, which trigrams cannot answer (m004). Stored on PostgreSQL,
    # whose generated tsvector reads them; NULL on SQLite, whose FTS5 tables are given them (m014).
    Column("title_bigrams", Text),
    Column("body_bigrams", Text),
    # The same texts with every CJK run replaced by a line break (jianbao.store.search_docs.latin_columns):
    # what the SQLite trigram index reads, so CJK is indexed once, as bigrams (m006). NULL: the FTS5 table is
    # given them when the row is written (m014); PostgreSQL's trigram index reads the text itself.
    Column("title_latin", Text),
    Column("body_latin", Text),
    # How many characters the title and the body have before any NUL, as SQL's length(coalesce(…, '')) counts
    # them (jianbao.store.search_docs.text_lengths): what a search's relevance divides by, read with each
    # window row instead of counted in every text the window holds (m021).
    Column("title_chars", Integer),
    Column("body_chars", Integer),
    Index("ix_search_docs_ref", "kind", "ref"),
)

# One row per `jianbao run`: when, what it was asked to do, and what each stage did (m008).
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False, index=True),
    Column("ended_at", DateTime),
    Column("state", Text, nullable=False),  # running, ok, partial, failed, interrupted
    Column("trigger", Text, nullable=False, default="once"),  # once, schedule, fetch
    Column("day", Date),
    Column("editions", JSON, nullable=False, default=list),
    Column("counts", JSON, nullable=False, default=dict),  # per stage: {"fetch": {...}, "build": {...}, …}
    Column("warnings", JSON, nullable=False, default=list),
    Column("errors", JSON, nullable=False, default=list),
    Column("host", Text, nullable=False, default=""),
    Column("pid", Integer),
    Column("resumed_from", Integer),
)

# The version of each issue a run saved: a later run rebuilds it only while nobody has edited it since (m008).
run_builds = Table(
    "run_builds",
    metadata,
    Column("issue_id", String(40), primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

# Each message of an issue sent to a channel: sending → sent or failed, so a resumed run sends nothing twice (m008).
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("issue_id", String(40), nullable=False),
    Column("channel", Text, nullable=False),
    Column("part", Integer, nullable=False),  # 1-based message number
    Column("parts", Integer, nullable=False),
    Column("state", Text, nullable=False),  # sending, sent, failed
    Column("size", Integer, nullable=False, default=0),
    Column("detail", Text),
    Column("run_id", Integer),
    Column("at", DateTime, nullable=False),
    UniqueConstraint("issue_id", "channel", "part"),
)

# Per source, its run-by-run health: failed runs in a row, when it was flagged or switched off by a run (m008).
source_health = Table(
    "source_health",
    metadata,
    Column("source", Text, primary_key=True),
    Column("failed_runs", Integer, nullable=False, default=0),
    Column("last_run_at", DateTime),
    Column("last_run_error", Text),
    Column("flagged_at", DateTime),
    Column("disabled_at", DateTime),
)
