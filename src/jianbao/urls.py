"""Canonical URLs and identity keys, so one article, paper or repository is recognised however it is linked."""

from __future__ import annotations

import functools
import re
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit, urlunsplit

from tld import get_fld

from jianbao.records import LinkKind

__all__ = [
    "canonical_url",
    "domain",
    "hn_item_id",
    "is_image_url",
    "is_wechat",
    "link_key",
    "link_kind",
    "strip_tracking",
    "unwrap_redirect",
]

# Query parameters that say who shared a link or how it was reached, never what it points at.
_TRACKING_PARAMS = frozenset(
    [
        "spm",
        "from",
        "scene",
        "sessionid",
        "key",
        "pass_ticket",
        "exportkey",
        "chksm",
        "ascene",
        "uin",
        "devicetype",
        "version",
        "lang",
        "wx_header",
        "clicktime",
        "enterid",
        "srcid",
        "mpshare",
        "share_token",
        "ref",
        "ref_src",
        "ref_url",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "nwr_flag",
        "poc_token",
        "rd2werd",
        "from_msgid",
        "from_itemidx",
        "nolastread",
        "subscene",
        "sessionid_",
        "realreporttime",
        "abtest_cookie",
        "abtest_exp",
        "clicktime",
        "send_time",
        "sourceid",
        "scene_id",
        "isappinstalled",
        "winzoom",
        "utm_oi",
        "cmpid",
        "ncid",
        "src_id",
        "share_from",
        "share_source",
        "share_medium",
        "share_plat",
        "share_session_id",
        "share_tag",
        "timestamp_share",
        "unique_k",
        "vd_source",
        "spm_id_from",
        "seid",
        "si",
        "feature",
        "s_r",
        "s_channel",
        "s_trans",
        "tt_from",
        "tt_medium",
        "wxfrom",
    ]
)
_TRACKING_PREFIXES = ("utm_", "sharer_", "share_", "_hs", "mkt_", "pk_", "hmsr", "wt.")
# Parameters that are tracking only on one host (elsewhere they may carry meaning).
_HOST_TRACKING = {
    "mp.weixin.qq.com": frozenset({"token", "count"}),
    "36kr.com": frozenset({"f"}),
    "x.com": frozenset({"s", "t"}),
    "twitter.com": frozenset({"s", "t"}),
    "youtube.com": frozenset({"pp", "ab_channel"}),
}
_WECHAT_IDENTITY = ("__biz", "mid", "idx", "sn")

# Mobile hosts that serve the same paths as the desktop site; other m. hosts are separate sites.
_MOBILE_HOSTS = {
    "m.youtube.com": "youtube.com",
    "m.bilibili.com": "bilibili.com",
    "m.zhihu.com": "zhihu.com",
    "m.36kr.com": "36kr.com",
    "m.thepaper.cn": "thepaper.cn",
    "m.huxiu.com": "huxiu.com",
    "m.github.com": "github.com",
    "mobile.twitter.com": "twitter.com",
    "m.twitter.com": "twitter.com",
    "m.facebook.com": "facebook.com",
    "m.weibo.com": "weibo.com",
    "m.medium.com": "medium.com",
    "m.reddit.com": "reddit.com",
    "old.reddit.com": "reddit.com",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Redirectors that carry the real target in a query parameter.
_REDIRECTORS = {
    "link.zhihu.com": "target",
    "link.juejin.cn": "target",
    "link.csdn.net": "target",
    "www.google.com": "q",
    "google.com": "q",
    "l.facebook.com": "u",
    "weixin110.qq.com": "url",
}

_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7}"
_ARXIV_ID_RE = re.compile(rf"^(?P<id>{_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?(?:\.pdf)?/?$")
_ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org"})
_ARXIV_PREFIXES = ("abs/", "pdf/", "html/", "format/", "ps/", "")

_GITHUB_RESERVED = frozenset(
    [
        "about",
        "apps",
        "blog",
        "collections",
        "contact",
        "customer-stories",
        "dashboard",
        "enterprise",
        "events",
        "explore",
        "features",
        "github-copilot",
        "home",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "pulls",
        "readme",
        "resources",
        "search",
        "security",
        "settings",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "why-github",
        "codespaces",
        "copilot",
        "premium-support",
        "account",
        "sessions",
        "signup",
    ]
)
_GITEE_RESERVED = frozenset(
    [
        "explore",
        "enterprises",
        "organizations",
        "help",
        "login",
        "signup",
        "search",
        "features",
        "about",
        "education",
        "gvp",
        "api",
        "projects",
        "topics",
        "gists",
        "oauth",
        "profile",
        "dashboard",
        "notifications",
    ]
)
_HF_RESERVED = frozenset(
    [
        "papers",
        "blog",
        "docs",
        "models",
        "datasets",
        "spaces",
        "learn",
        "posts",
        "collections",
        "organizations",
        "settings",
        "login",
        "join",
        "pricing",
        "tasks",
        "chat",
        "enterprise",
        "new",
        "search",
        "api",
        "changelog",
        "inference-endpoints",
    ]
)

_IMAGE_EXT_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|avif|ico|tiff?)$", re.IGNORECASE)
_IMAGE_HOSTS = ("mmbiz.qpic.cn", "mmbiz.qlogo.cn", "i.loli.net", "pic1.zhimg.com", "pic2.zhimg.com")
_PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_PROJECT_LABEL_RE = re.compile(r"项目|主页|project|demo|homepage|演示", re.IGNORECASE)
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "bilibili.com", "b23.tv", "v.qq.com", "vimeo.com")
_PAPER_HOSTS = (
    "openreview.net",
    "openaccess.thecvf.com",
    "aclanthology.org",
    "aclweb.org",
    "doi.org",
    "nature.com",
    "science.org",
    "sciencedirect.com",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "proceedings.mlr.press",
    "alphaxiv.org",
    "semanticscholar.org",
    "paperswithcode.com",
)


_BARE_HOST_RE = re.compile(r"^[\w-]+(\.[\w-]+)+(/|$)")
_NAME_RE = re.compile(r"[\w.-]+")
_SLASHES_RE = re.compile(r"/{2,}")
_PAGE_SUFFIX_RE = re.compile(r"\.(pdf|html)$")


# Cached: each public function below splits the same URL again (and urlsplit is the costly part).
@functools.lru_cache(maxsize=1 << 16)
def _split(url: str) -> SplitResult | None:
    """Parse a URL leniently; None when it is not an http(s) URL we can reason about."""
    text = url.strip()
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text and _BARE_HOST_RE.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts


@functools.lru_cache(maxsize=1 << 16)
def _host(parts: SplitResult) -> str:
    host = (parts.hostname or "").lower().rstrip(".")
    host = _MOBILE_HOSTS.get(host, host)
    if host.startswith("www."):
        host = host[4:]
    return _MOBILE_HOSTS.get(host, host)


def _segments(parts: SplitResult) -> list[str]:
    return [s for s in parts.path.split("/") if s]


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """Split a query without decoding it, so re-joining keeps the original escaping."""
    pairs = []
    for chunk in query.split("&"):
        if not chunk:
            continue
        name, _, value = chunk.partition("=")
        pairs.append((name, value))
    return pairs


def _is_tracking(name: str, host: str) -> bool:
    low = unquote(name).lower()
    if low in _TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES):
        return True
    return low in _HOST_TRACKING.get(host, frozenset())


def _param(parts: SplitResult, name: str) -> str | None:
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == name:
            return value
    return None


def _arxiv_id(host: str, path: str) -> str | None:
    """The version-less arXiv id from an arxiv.org / export / ar5iv / alphaxiv / HF papers path."""
    path = path.lstrip("/")
    if host in _ARXIV_HOSTS:
        prefixes: tuple[str, ...] = _ARXIV_PREFIXES
    elif host == "alphaxiv.org":
        prefixes = ("abs/", "overview/", "pdf/")
    elif host == "huggingface.co":
        prefixes = ("papers/",)
    else:
        return None
    for prefix in prefixes:
        if path.startswith(prefix):
            match = _ARXIV_ID_RE.match(path[len(prefix) :])
            if match:
                return match.group("id")
    return None


def _repo(host: str, segments: list[str]) -> tuple[str, str] | None:
    """(owner, repo) for a github.com / gitee.com path under a repository, lower-cased."""
    reserved = {"github.com": _GITHUB_RESERVED, "gitee.com": _GITEE_RESERVED}.get(host)
    if reserved is None or len(segments) < 2 or segments[0].lower() in reserved:
        return None
    owner, repo = segments[0].lower(), segments[1].lower()
    repo = repo.removesuffix(".git")
    if not repo or not _NAME_RE.fullmatch(owner) or not _NAME_RE.fullmatch(repo):
        return None
    return owner, repo


@functools.lru_cache(maxsize=1 << 16)  # pure; understand() asks about each link many times
def is_image_url(url: str) -> bool:
    """True for URLs that are pictures (by extension, WeChat's image CDN or a wx_fmt parameter)."""
    parts = _split(url)
    if parts is None:
        return False
    host = _host(parts)
    if host.endswith(_IMAGE_HOSTS) or _IMAGE_EXT_RE.search(parts.path):
        return True
    return "wx_fmt=" in parts.query


@functools.lru_cache(maxsize=1 << 16)  # pure; understand() asks about each link many times
def unwrap_redirect(url: str) -> str:
    """The target of a known redirector link (link.zhihu.com/?target=…), else the URL unchanged."""
    for _ in range(3):  # redirectors occasionally wrap each other
        parts = _split(url)
        if parts is None:
            return url
        name = _REDIRECTORS.get((parts.hostname or "").lower())
        if name is None or (name == "q" and parts.path != "/url"):
            return url
        target = _param(parts, name)
        if not target or _split(target) is None:
            return url
        url = target
    return url


@functools.lru_cache(maxsize=1 << 16)  # pure; every printed link line asks
def strip_tracking(url: str) -> str:
    """``url`` without its tracking query parameters (``utm_*``, ``fbclid``, WeChat's session keys…): the link
    a reader is given. Unlike ``canonical_url`` nothing else changes (scheme, host, path, the other
    parameters in their order and spelling, the fragment); anything but an http(s) URL comes back as it was."""
    if not isinstance(url, str) or "?" not in url or "://" not in url:
        return url
    parts = _split(url)
    if parts is None or not parts.query:
        return url
    host = _host(parts)
    chunks = [chunk for chunk in parts.query.split("&") if chunk]
    kept = [chunk for chunk in chunks if not _is_tracking(chunk.partition("=")[0], host)]
    if len(kept) == len(chunks):
        return url
    return urlunsplit(parts._replace(query="&".join(kept)))


def hn_item_id(url: str) -> int | None:
    """The Hacker News item id of a news.ycombinator.com/item?id=N link."""
    parts = _split(url)
    if parts is None or _host(parts) != "news.ycombinator.com" or parts.path.rstrip("/") != "/item":
        return None
    value = _param(parts, "id")
    return int(value) if value and value.isdigit() else None


def is_wechat(url: str) -> bool:
    """True for WeChat official-account article links (mp.weixin.qq.com)."""
    parts = _split(url)
    return parts is not None and _host(parts) == "mp.weixin.qq.com"


def domain(url: str) -> str:
    """The registrable domain (public-suffix aware: qq.com, sina.com.cn, user.github.io), '' if none."""
    parts = _split(unwrap_redirect(url.strip() if isinstance(url, str) else ""))
    if parts is None:
        return ""
    host = _host(parts)
    fld = get_fld(host, fix_protocol=True, fail_silently=True)
    return fld if isinstance(fld, str) else host


@functools.lru_cache(maxsize=1 << 16)  # pure; understand() asks about each link many times
def canonical_url(url: str) -> str:
    """The identity of an article: one spelling per page, so the store and clustering can compare URLs.

    It is an identity, not a fetch URL: trailing slashes and fragments are dropped even where a server
    might care. Anything that is not an http(s) URL comes back stripped, never raising.
    """
    stripped = url.strip() if isinstance(url, str) else ""
    parts = _split(unwrap_redirect(stripped))
    if parts is None:
        return stripped
    host = _host(parts)
    segments = _segments(parts)
    fragment = parts.fragment if parts.fragment.startswith(("/", "!")) else ""  # SPA routes

    arxiv = _arxiv_id(host, parts.path) if host in _ARXIV_HOSTS else None
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}"
    repo = _repo(host, segments)
    if repo and not _IMAGE_EXT_RE.search(parts.path):
        return f"https://{host}/{repo[0]}/{repo[1]}"
    if (
        host in ("github.com", "gitee.com")
        and len(segments) == 1
        and not parts.query
        and segments[0].lower() not in _GITHUB_RESERVED | _GITEE_RESERVED
    ):
        return f"https://{host}/{segments[0].lower()}"
    # Re-split, the URL keeps its host: only a news.ycombinator.com URL can be an item link.
    hn = hn_item_id(urlunsplit(parts)) if host == "news.ycombinator.com" else None
    if hn is not None:
        return f"https://news.ycombinator.com/item?id={hn}"

    pairs = _query_pairs(parts.query)
    if host == "mp.weixin.qq.com":
        if segments[:1] == ["s"] and len(segments) >= 2:
            pairs = []
        elif segments == ["s"] and any(name == "__biz" for name, _ in pairs):
            pairs = [(n, v) for n, v in pairs if n in _WECHAT_IDENTITY]
            fragment = ""
    pairs = sorted({(n, v) for n, v in pairs if not _is_tracking(n, host)})
    query = "&".join(f"{n}={v}" if v else n for n, v in pairs)

    path = _PERCENT_RE.sub(lambda m: m.group(0).upper(), parts.path)
    path = _SLASHES_RE.sub("/", path).rstrip("/")
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc = f"{host}:{parts.port}"
    return urlunsplit(("https", netloc, path, query, fragment))


@functools.lru_cache(maxsize=1 << 16)  # pure; understand() asks about each link many times
def link_key(url: str) -> str | None:
    """The identity key of a paper, repository or model page (``arxiv:…``, ``github:…``), None otherwise."""
    parts = _split(unwrap_redirect(url.strip() if isinstance(url, str) else ""))
    if parts is None:
        return None
    host = _host(parts)
    segments = _segments(parts)
    path = parts.path

    arxiv = _arxiv_id(host, path)
    if arxiv:
        return f"arxiv:{arxiv}"
    if _IMAGE_EXT_RE.search(path):
        return None
    repo = _repo(host, segments)
    if repo:
        return f"{host.split('.')[0]}:{repo[0]}/{repo[1]}"
    if host == "raw.githubusercontent.com" and len(segments) >= 2:
        return f"github:{segments[0].lower()}/{segments[1].lower()}"
    doi = _doi(host, segments)
    if doi:
        return f"doi:{doi}"
    if host == "openreview.net" and segments and segments[0] in ("forum", "pdf"):
        ident = _param(parts, "id")
        return f"openreview:{ident}" if ident else None
    if host == "huggingface.co" and segments:
        return _hf_key(segments)
    if host == "aclanthology.org" and segments:
        return f"acl:{segments[0].removesuffix('.pdf')}"
    if host == "aclweb.org" and len(segments) >= 2 and segments[0] == "anthology":
        return f"acl:{segments[-1].removesuffix('.pdf')}"
    if host == "openaccess.thecvf.com" and segments:
        stem = _PAGE_SUFFIX_RE.sub("", segments[-1])
        return f"cvf:{stem}" if stem.endswith("_paper") else None
    return None


def _doi(host: str, segments: list[str]) -> str | None:
    """A lower-cased DOI from doi.org, a /doi/ path (science.org, ACM…) or a nature.com article."""
    if host in ("doi.org", "dx.doi.org") and segments and segments[0].startswith("10."):
        return unquote("/".join(segments)).lower()
    if "doi" in segments:
        rest = segments[segments.index("doi") + 1 :]
        if rest and rest[0] in ("abs", "full", "pdf", "epdf", "epub"):
            rest = rest[1:]
        if len(rest) >= 2 and rest[0].startswith("10."):
            return unquote("/".join(rest)).lower()
    if host == "nature.com" and len(segments) == 2 and segments[0] == "articles":
        return f"10.1038/{segments[1].removesuffix('.pdf')}".lower()
    return None


def _hf_key(segments: list[str]) -> str | None:
    prefix = {"datasets": "hfd", "spaces": "hfs"}.get(segments[0], "hf")
    rest = segments[1:] if prefix != "hf" else segments
    if prefix == "hf" and segments[0] in _HF_RESERVED:
        return None
    if len(rest) < 2:
        return None
    return f"{prefix}:{rest[0].lower()}/{rest[1].lower()}"


@functools.lru_cache(maxsize=1 << 16)  # pure; understand() asks about each link many times
def link_kind(url: str, *, label: str | None = None) -> LinkKind:
    """What a link is for the reader: paper, code, project, video, image or article."""
    parts = _split(unwrap_redirect(url.strip() if isinstance(url, str) else ""))
    if parts is None:
        return "article"
    joined = urlunsplit(parts)
    if is_image_url(joined):
        return "image"
    host = _host(parts)
    key = link_key(joined)
    prefix = key.split(":", 1)[0] if key else ""
    if prefix in ("arxiv", "doi", "openreview", "acl", "cvf"):
        return "paper"
    if host.endswith(_PAPER_HOSTS) or parts.path.lower().endswith(".pdf"):
        return "paper"
    if prefix in ("github", "gitee", "hf", "hfd"):
        return "code"
    if prefix == "hfs" or host.endswith((".github.io", ".gitee.io")):
        return "project"
    if label and _PROJECT_LABEL_RE.search(label):
        return "project"
    if host.endswith(_VIDEO_HOSTS):
        return "video"
    return "article"
