"""arXiv export API: query URLs from options, Atom entries with the arxiv: namespace, API errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources.arxiv import build_query_url, kind, parse_arxiv, split_arxiv_id
from jianbao.records import Source

RESOURCES = Path(__file__).parent / "resources" / "sources"


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_requests_from_categories() -> None:
    source = Source(
        name="cv", url="", kind="arxiv", options={"categories": ["cs.CV", "cs.CL"], "max_results": 25}
    )
    (url,) = kind.requests(source)
    assert url.startswith("http://export.arxiv.org/api/query?")
    assert _params(url) == {
        "search_query": ["cat:cs.CV OR cat:cs.CL"],
        "sortBy": ["submittedDate"],
        "sortOrder": ["descending"],
        "max_results": ["25"],
    }


def test_requests_combine_categories_and_query() -> None:
    source = Source(
        name="q", url="", kind="arxiv", options={"categories": "cs.CV, cs.LG", "query": "ti:diffusion"}
    )
    (url,) = kind.requests(source)
    assert _params(url)["search_query"] == ["(cat:cs.CV OR cat:cs.LG) AND (ti:diffusion)"]
    assert _params(url)["max_results"] == ["50"]


def test_requests_use_a_full_query_url_as_written() -> None:
    url = "http://export.arxiv.org/api/query?search_query=cat:cs.AI&max_results=5"
    assert kind.requests(Source(name="a", url=url, kind="arxiv")) == [url]


def test_requests_without_categories_or_query_fail() -> None:
    with pytest.raises(SourceError, match=r"needs options\.categories or options\.query"):
        kind.requests(Source(name="a", url="https://arxiv.org/", kind="arxiv"))


def test_build_query_url_rejects_bad_sort() -> None:
    with pytest.raises(ValueError, match="sort_by"):
        build_query_url(categories=["cs.CV"], sort_by="stars")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://arxiv.org/abs/2106.04560v2", ("2106.04560", 2)),
        ("https://arxiv.org/abs/2106.04560", ("2106.04560", None)),
        ("http://arxiv.org/abs/cs/9901002v1", ("cs/9901002", 1)),
        ("http://arxiv.org/api/errors#x", None),
    ],
)
def test_split_arxiv_id(url: str, expected: tuple[str, int | None] | None) -> None:
    assert split_arxiv_id(url) == expected


def test_parse_api_response() -> None:
    source = Source(name="arxiv-cv", url="", kind="arxiv")
    fetched = datetime(2026, 3, 11, tzinfo=UTC)
    parsed = parse_arxiv(
        source,
        (RESOURCES / "arxiv_api.xml").read_bytes(),
        url="http://export.arxiv.org/api/query",
        fetched=fetched,
    )
    assert parsed.title == "ArXiv Query: search_query=cat:cs.CV&id_list=&start=0&max_results=4"
    assert parsed.problems == ["entry 4: no arXiv id (missing)"]
    vit, clip, old = parsed.entries
    assert vit.url == "https://arxiv.org/abs/2106.04560"
    assert vit.title == "Scaling Vision Transformers"
    assert vit.author == "Xiaohua Zhai, Alexander Kolesnikov, Neil Houlsby, Lucas Beyer"
    assert vit.published == datetime(2021, 6, 8, 17, 47, 39, tzinfo=UTC)
    assert vit.fetched == fetched
    assert vit.summary.startswith(
        "Attention-based neural networks such as the Vision Transformer (ViT) have recently"
    )
    assert "\n" not in vit.summary and "  " not in vit.summary
    assert vit.extra == {
        "arxiv_id": "2106.04560",
        "version": 2,
        "authors": ["Xiaohua Zhai", "Alexander Kolesnikov", "Neil Houlsby", "Lucas Beyer"],
        "primary_category": "cs.CV",
        "categories": ["cs.CV", "cs.AI", "cs.LG"],
        "comment": "Xiaohua, Alex, and Lucas contributed equally; CVPR 2022",
        "journal_ref": None,
        "doi": None,
        "pdf_url": "http://arxiv.org/pdf/2106.04560v2",
        "abs_url": "http://arxiv.org/abs/2106.04560v2",
        "updated": "2022-06-20T17:51:04+00:00",
    }
    assert clip.title == "Learning Transferable Visual Models From Natural Language Supervision"
    assert clip.extra["journal_ref"] == "Proceedings of ICML 2021"
    assert clip.extra["doi"] == "10.48550/arXiv.2103.00020"
    assert clip.extra["comment"] is None
    assert clip.extra["version"] == 1
    # -05:00 offset converted to UTC; old-style identifiers keep their archive prefix
    assert old.published == datetime(1999, 1, 5, 15, 0, tzinfo=UTC)
    assert old.extra["arxiv_id"] == "cs/9901002"
    assert old.url == "https://arxiv.org/abs/cs/9901002"


def test_kind_parse_is_parse_arxiv() -> None:
    source = Source(name="a", url="", kind="arxiv")
    parsed = kind.parse(source, (RESOURCES / "arxiv_api.xml").read_bytes(), url="u")
    assert [e.extra["arxiv_id"] for e in parsed.entries] == ["2106.04560", "2103.00020", "cs/9901002"]


def test_api_error_document_raises() -> None:
    with pytest.raises(SourceError) as caught:
        parse_arxiv(Source(name="a", url=""), (RESOURCES / "arxiv_error.xml").read_bytes(), url="u")
    assert str(caught.value) == "source 'a': arXiv API error: incorrect id format for 1234.12345v1234"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xml", "empty response"),
        ("not_a_feed.html", "not an arXiv API response (got HTML)"),
        ("malformed.xml", "malformed XML: "),
        ("rss2.xml", "not an arXiv API response (root <rss>)"),
    ],
)
def test_unusable_documents(name: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_arxiv(Source(name="a", url=""), (RESOURCES / name).read_bytes(), url="u")
    assert caught.value.reason.startswith(message)
