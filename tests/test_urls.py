"""Tests for canonical URLs, link keys and kinds, on URL shapes copied from the real archive."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from jianbao.urls import (
    canonical_url,
    domain,
    hn_item_id,
    is_image_url,
    is_wechat,
    link_key,
    link_kind,
    strip_tracking,
    unwrap_redirect,
)

WECHAT_LONG = (
    "http://mp.weixin.qq.com/s?__biz=MzA5NjQyNjc2NQ==&mid=2452236878&idx=1"
    "&sn=6ad100d85b6ef132199410d2822016b7&chksm=876ec42cb0194d3a7198040975ddc2449c9afbc54afc70934a9c189eff8"
    "cce22d78966ff9f9b&scene=21#wechat_redirect"
)

# (url as found in the shared archive, expected canonical_url, expected link_key, expected link_kind)
REAL_URLS = [
    (
        WECHAT_LONG,
        "https://mp.weixin.qq.com/s?__biz=MzA5NjQyNjc2NQ==&idx=1&mid=2452236878&sn=6ad100d85b6ef132199410d2822016b7",
        None,
        "article",
    ),
    (
        "https://mp.weixin.qq.com/s?__biz=MzUyODA3MDUwMA==&mid=2247504226&idx=1&sn=a73fb217fccc3b56289464a6c9b2d39d&scene=21#wechat_redirect",
        "https://mp.weixin.qq.com/s?__biz=MzUyODA3MDUwMA==&idx=1&mid=2247504226&sn=a73fb217fccc3b56289464a6c9b2d39d",
        None,
        "article",
    ),
    (
        "https://mp.weixin.qq.com/s/-_pWuJuj-ltvpHZmCeUAcA",
        "https://mp.weixin.qq.com/s/-_pWuJuj-ltvpHZmCeUAcA",
        None,
        "article",
    ),
    (
        "https://mp.weixin.qq.com/s/UMED8uHOiURJEhyJ_cLtBA?scene=25&sessionid=1624000000&key=abc&pass_ticket=xyz",
        "https://mp.weixin.qq.com/s/UMED8uHOiURJEhyJ_cLtBA",
        None,
        "article",
    ),
    (
        "https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzI5MDUyMDIxNA==&action=getalbum&album_id=1890587599585509377&scene=173&from_msgid=2247561248&from_itemidx=2&count=3&nolastread=1#wechat_redirect",
        "https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzI5MDUyMDIxNA==&action=getalbum&album_id=1890587599585509377",
        None,
        "article",
    ),
    ("https://arxiv.org/abs/2106.04560", "https://arxiv.org/abs/2106.04560", "arxiv:2106.04560", "paper"),
    ("https://arxiv.org/abs/2111.00902v1", "https://arxiv.org/abs/2111.00902", "arxiv:2111.00902", "paper"),
    ("https://arxiv.org/pdf/2011.14203.pdf", "https://arxiv.org/abs/2011.14203", "arxiv:2011.14203", "paper"),
    ("https://arxiv.org/abs/2108.11084.pdf", "https://arxiv.org/abs/2108.11084", "arxiv:2108.11084", "paper"),
    ("https://arxiv.org/2011.08036", "https://arxiv.org/abs/2011.08036", "arxiv:2011.08036", "paper"),
    (
        "http://export.arxiv.org/abs/2106.04560v2",
        "https://arxiv.org/abs/2106.04560",
        "arxiv:2106.04560",
        "paper",
    ),
    (
        "https://arxiv.org/pdf/2106.04560v1.pdf",
        "https://arxiv.org/abs/2106.04560",
        "arxiv:2106.04560",
        "paper",
    ),
    ("https://arxiv.org/abs/cs/0112017v1", "https://arxiv.org/abs/cs/0112017", "arxiv:cs/0112017", "paper"),
    (
        "https://arxiv.org/abs/math.GT/0309136",
        "https://arxiv.org/abs/math.GT/0309136",
        "arxiv:math.GT/0309136",
        "paper",
    ),
    (
        "https://github.com/AlexsJones/llmfit",
        "https://github.com/alexsjones/llmfit",
        "github:alexsjones/llmfit",
        "code",
    ),
    (
        "https://github.com/COONEO/neor_mini.git",
        "https://github.com/cooneo/neor_mini",
        "github:cooneo/neor_mini",
        "code",
    ),
    (
        "https://github.com/PaddlePaddle/PaddleDetection/tree/release/2.3/ppdet",
        "https://github.com/paddlepaddle/paddledetection",
        "github:paddlepaddle/paddledetection",
        "code",
    ),
    (
        "https://github.com/NVIDIA/TensorRT/blob/master/CODING-GUIDELINES.md",
        "https://github.com/nvidia/tensorrt",
        "github:nvidia/tensorrt",
        "code",
    ),
    (
        "https://github.com/iperov/DeepFaceLab/",
        "https://github.com/iperov/deepfacelab",
        "github:iperov/deepfacelab",
        "code",
    ),
    ("https://github.com/trending", "https://github.com/trending", None, "article"),
    (
        "https://gitee.com/MondayYuan/WAIC-DLCompiler-MeetingMinutes",
        "https://gitee.com/mondayyuan/waic-dlcompiler-meetingminutes",
        "gitee:mondayyuan/waic-dlcompiler-meetingminutes",
        "code",
    ),
    (
        "https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20201030113747.png",
        "https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20201030113747.png",
        None,
        "image",
    ),
    (
        "https://www.nature.com/articles/s41586-021-03544-w",
        "https://nature.com/articles/s41586-021-03544-w",
        "doi:10.1038/s41586-021-03544-w",
        "paper",
    ),
    (
        "https://openreview.net/forum?id=9QLRCVysdlO",
        "https://openreview.net/forum?id=9QLRCVysdlO",
        "openreview:9QLRCVysdlO",
        "paper",
    ),
    (
        "https://huggingface.co/Qwen/Qwen3.8-2.4T-A95B",
        "https://huggingface.co/Qwen/Qwen3.8-2.4T-A95B",
        "hf:qwen/qwen3.8-2.4t-a95b",
        "code",
    ),
    ("https://huggingface.co/blog", "https://huggingface.co/blog", None, "article"),
    (
        "https://news.ycombinator.com/item?id=48973869",
        "https://news.ycombinator.com/item?id=48973869",
        None,
        "article",
    ),
    (
        "https://the-decoder.com/zhipu-ais-glm-5-2-closes-in-on-closed-source-leaders-in-coding-marathons/?utm_source=rss&utm_medium=rss&utm_campaign=zhipu",
        "https://the-decoder.com/zhipu-ais-glm-5-2-closes-in-on-closed-source-leaders-in-coding-marathons",
        None,
        "article",
    ),
    (
        "https://36kr.com/newsflashes/3920415886061193?f=rss",
        "https://36kr.com/newsflashes/3920415886061193",
        None,
        "article",
    ),
    (
        "https://zhuanlan.zhihu.com/p/418166305?utm_source=wechat_session&utm_medium=social&utm_oi=35906090172416",
        "https://zhuanlan.zhihu.com/p/418166305",
        None,
        "article",
    ),
    (
        "https://www.digikey.cn/zh/supplier-centers/groupgets?utm_medium=social&utm_source=wechat&utm_campaign=wechatsocial",
        "https://digikey.cn/zh/supplier-centers/groupgets",
        None,
        "article",
    ),
    (
        "https://www.bilibili.com/video/BV13y4y1B76V?from=search&seid=8707917894759309118",
        "https://bilibili.com/video/BV13y4y1B76V",
        None,
        "video",
    ),
    (
        "https://www.bilibili.com/video/BV1qh411U73y?p=1",
        "https://bilibili.com/video/BV1qh411U73y?p=1",
        None,
        "video",
    ),
    (
        "https://www.youtube.com/channel/UCwgKmJM4ZJQRJ-U5NjvR2dg",
        "https://youtube.com/channel/UCwgKmJM4ZJQRJ-U5NjvR2dg",
        None,
        "video",
    ),
    (
        "https://link.zhihu.com/?target=https%3A//github.com/determined-ai/determined",
        "https://github.com/determined-ai/determined",
        "github:determined-ai/determined",
        "code",
    ),
    ("https://blaizzy.github.io/nativ/", "https://blaizzy.github.io/nativ", None, "project"),
    (
        "https://www4.comp.polyu.edu.hk/~cslzhang/paper/MM21_ECBSR.pdf",
        "https://www4.comp.polyu.edu.hk/~cslzhang/paper/MM21_ECBSR.pdf",
        None,
        "paper",
    ),
    (
        "https://mmbiz.qpic.cn/mmbiz_gif/YicUhk5aAGtAF4AGwXyXiav7fHQXWGfQcic6vrFDN6icPdwDa3yA4G5NAAibTn616vubVII4m4zibGnhFxZpo72F1HfA/640?wx_fmt=gif&tp=webp&wxfrom=5&wx_lazy=1",
        "https://mmbiz.qpic.cn/mmbiz_gif/YicUhk5aAGtAF4AGwXyXiav7fHQXWGfQcic6vrFDN6icPdwDa3yA4G5NAAibTn616vubVII4m4zibGnhFxZpo72F1HfA/640?tp=webp&wx_fmt=gif&wx_lazy=1",
        None,
        "image",
    ),
    (
        "https://x.com/cursor_ai/status/2067012220832329782",
        "https://x.com/cursor_ai/status/2067012220832329782",
        None,
        "article",
    ),
]

# Shapes not in the archive but common in the sources: keys for other paper hosts.
OTHER_KEYS = [
    ("https://ar5iv.labs.arxiv.org/html/2106.04560", "arxiv:2106.04560"),
    ("https://www.alphaxiv.org/abs/2106.04560v3", "arxiv:2106.04560"),
    ("https://huggingface.co/papers/2106.04560", "arxiv:2106.04560"),
    ("https://paperswithcode.com/paper/scaling-vision-transformers", None),
    ("https://doi.org/10.1038/S41586-021-03544-W", "doi:10.1038/s41586-021-03544-w"),
    ("https://www.science.org/doi/10.1126/science.abj8754", "doi:10.1126/science.abj8754"),
    ("https://dl.acm.org/doi/abs/10.1145/3447548.3467401", "doi:10.1145/3447548.3467401"),
    ("https://openreview.net/pdf?id=9QLRCVysdlO", "openreview:9QLRCVysdlO"),
    ("https://aclanthology.org/2021.acl-long.1/", "acl:2021.acl-long.1"),
    ("https://aclanthology.org/2021.acl-long.1.pdf", "acl:2021.acl-long.1"),
    (
        "https://openaccess.thecvf.com/content/CVPR2021/html/Ding_RepVGG_Making_VGG-Style_ConvNets_Great_Again_CVPR_2021_paper.html",
        "cvf:Ding_RepVGG_Making_VGG-Style_ConvNets_Great_Again_CVPR_2021_paper",
    ),
    (
        "https://openaccess.thecvf.com/content/CVPR2021/papers/Ding_RepVGG_Making_VGG-Style_ConvNets_Great_Again_CVPR_2021_paper.pdf",
        "cvf:Ding_RepVGG_Making_VGG-Style_ConvNets_Great_Again_CVPR_2021_paper",
    ),
    ("https://huggingface.co/datasets/HuggingFaceFW/fineweb", "hfd:huggingfacefw/fineweb"),
    ("https://huggingface.co/spaces/Qwen/Qwen2.5-Omni-7B-Demo", "hfs:qwen/qwen2.5-omni-7b-demo"),
    ("https://github.com/topics/llm", None),
    ("https://github.com/orgs/deepmind/repositories", None),
    ("https://github.com/google-research/vision_transformer/blob/main/vit_figure.png", None),
    (
        "https://raw.githubusercontent.com/Lebhoryi/AI-News-weekly/main/README.md",
        "github:lebhoryi/ai-news-weekly",
    ),
]


@pytest.mark.parametrize(("url", "canonical", "key", "kind"), REAL_URLS)
def test_real_url_shapes(url: str, canonical: str, key: str | None, kind: str) -> None:
    assert canonical_url(url) == canonical
    assert link_key(url) == key
    assert link_kind(url) == kind


@pytest.mark.parametrize(("url", "key"), OTHER_KEYS)
def test_link_key_other_hosts(url: str, key: str | None) -> None:
    assert link_key(url) == key


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.COM:80/a/b/?b=2&a=1#section", "https://example.com/a/b?a=1&b=2"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/", "https://example.com"),
        ("https://example.com//a//b/", "https://example.com/a/b"),
        (
            "https://example.com/p?fbclid=1&gclid=2&igshid=3&mc_cid=4&mc_eid=5&_hsenc=6&_hsmi=7&id=9",
            "https://example.com/p?id=9",
        ),
        (
            "https://example.com/p?ref=hn&ref_src=twsrc&sharer_shareid=1&mpshare=1&share_token=2",
            "https://example.com/p",
        ),
        ("https://example.com/app#/route/1", "https://example.com/app#/route/1"),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
            "https://youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://m.example.com/a", "https://m.example.com/a"),  # unknown m. host: a different site
        ("https://example.com/%e4%b8%ad", "https://example.com/%E4%B8%AD"),
        ("github.com/Lebhoryi/AI-News-weekly", "https://github.com/lebhoryi/ai-news-weekly"),
        ("https://GitHub.com/Lebhoryi", "https://github.com/lebhoryi"),
        (
            "https://news.ycombinator.com/item?id=48542100&p=2",
            "https://news.ycombinator.com/item?id=48542100",
        ),
    ],
)
def test_canonical_url_rules(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_wechat_token_is_tracking_only_on_wechat() -> None:
    assert "token" not in canonical_url("https://mp.weixin.qq.com/mp/homepage?__biz=MzA=&hid=1&token=123")
    assert canonical_url("https://example.com/verify?token=123") == "https://example.com/verify?token=123"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/post?utm_source=x&utm_medium=y", "https://example.com/post"),
        ("https://Example.com/a/?id=7&utm_campaign=z&b=&fbclid=q#top", "https://Example.com/a/?id=7&b=#top"),
        ("https://www.bilibili.com/video/BV13y4y1B76V?from=search&seid=8707", "https://www.bilibili.com/video/BV13y4y1B76V"),
        (
            "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&key=secret&pass_ticket=t&uin=u&token=9",
            "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab",
        ),
        ("https://example.com/verify?token=123", "https://example.com/verify?token=123"),  # not tracking here
        ("https://example.com/p?q=1", "https://example.com/p?q=1"),
        ("javascript:alert(1)?utm_source=x", "javascript:alert(1)?utm_source=x"),  # not http(s): the gate's
        ("", ""),
    ],
)
def test_strip_tracking_removes_only_tracking_parameters(url: str, kept: str) -> None:
    """Issue 15: the link a reader is given carries no utm_* and no WeChat session key; nothing else changes."""
    assert strip_tracking(url) == kept
    assert strip_tracking(kept) == kept


def test_hn_item_id_and_is_wechat() -> None:
    assert hn_item_id("https://news.ycombinator.com/item?id=48555993") == 48555993
    assert hn_item_id("https://news.ycombinator.com/") is None
    assert hn_item_id("https://news.ycombinator.com/item?id=abc") is None
    assert hn_item_id("https://example.com/item?id=1") is None
    assert is_wechat(WECHAT_LONG)
    assert is_wechat("https://mp.weixin.qq.com/s/-flyyFQ33-gj8Vk_6hJ-hw")
    assert not is_wechat("https://weixin.example.com/s/abc")
    assert not is_wechat("::")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://mp.weixin.qq.com/s/-flyyFQ33-gj8Vk_6hJ-hw", "qq.com"),
        ("https://www.qbitai.com/2021/06/12345.html", "qbitai.com"),
        ("https://finance.sina.com.cn/tech/2021-06-18/doc.shtml", "sina.com.cn"),
        ("https://blaizzy.github.io/nativ/", "blaizzy.github.io"),
        ("https://www.36kr.com/p/3871135542416645", "36kr.com"),
        ("http://127.0.0.1:8000/feed", "127.0.0.1"),
        ("not a url", ""),
    ],
)
def test_domain(url: str, expected: str) -> None:
    assert domain(url) == expected


def test_link_kind_uses_label_for_projects_but_not_over_code() -> None:
    page = "https://www.cvmart.net/race"
    assert link_kind(page) == "article"
    assert link_kind(page, label="项目主页") == "project"
    assert link_kind(page, label="Demo") == "project"
    assert link_kind("https://github.com/iperov/DeepFaceLab/", label="项目地址") == "code"
    assert link_kind("https://arxiv.org/abs/2106.04560", label="Project page") == "paper"


def test_unwrap_redirect_and_images() -> None:
    wrapped = (
        "https://link.zhihu.com/?target=https%3A//mp.weixin.qq.com/s%3F__biz%3DMzU1OTMyNDcxMQ%3D%3D%26mid"
        "%3D2247490949%26idx%3D1%26sn%3D5c332e033242f0a28d1805f5972b2551%26scene%3D21%23wechat_redirect"
    )
    assert unwrap_redirect(wrapped).startswith("https://mp.weixin.qq.com/s?__biz=MzU1OTMyNDcxMQ==&mid=")
    assert canonical_url(wrapped) == (
        "https://mp.weixin.qq.com/s?__biz=MzU1OTMyNDcxMQ==&idx=1&mid=2247490949&sn=5c332e033242f0a28d1805f5972b2551"
    )
    assert (
        unwrap_redirect("https://link.zhihu.com/?target=garbage") == "https://link.zhihu.com/?target=garbage"
    )
    assert is_image_url("https://i.loli.net/2021/06/18/abc.png")
    assert not is_image_url("https://arxiv.org/abs/2106.04560")


GARBAGE = [
    "",
    "   ",
    "http://",
    "https://",
    "::",
    "javascript:alert(1)",
    "mailto:someone@example.com",
    "http://[::1",
    "http://example.com:99999/",
    "http://example.com:abc/",
    "https://例子.测试/路径?参数=值#片段",
    "https://example.com/" + "a" * 20000,
    "https://example.com/?" + "&".join(f"k{i}=v" for i in range(2000)),
    "\x00\x01http://x",
    "ftp://example.com/file",
    "//cdn.example.com/x.js",
    "论文：https://arxiv.org/abs/2106.04560",
    "https://github.com/",
    "https://arxiv.org/abs/",
]


@pytest.mark.parametrize("url", GARBAGE)
def test_garbage_never_raises_and_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert isinstance(once, str)
    assert canonical_url(once) == once
    assert link_key(url) is None or link_key(url).count(":") >= 1
    assert link_kind(url) in {"paper", "code", "project", "video", "image", "article"}
    domain(url)
    hn_item_id(url)
    is_wechat(url)


def test_non_http_input_comes_back_stripped() -> None:
    assert canonical_url("  javascript:alert(1) ") == "javascript:alert(1)"
    assert canonical_url("::") == "::"


@pytest.mark.parametrize(("url", "canonical", "key", "kind"), REAL_URLS)
def test_canonical_is_idempotent_and_keeps_the_key(
    url: str, canonical: str, key: str | None, kind: str
) -> None:
    assert canonical_url(canonical) == canonical
    assert link_key(canonical) == key


def _shared() -> Path:
    root = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if not (root / "archive").is_dir():
        pytest.skip(f"shared archive not found at {root}")
    return root


def test_every_archive_url_is_canonical_once() -> None:
    """Across every URL of the real archive, canonicalising twice changes nothing and keeps keys."""
    root = _shared()
    urls: set[str] = set()
    for path in [*root.joinpath("archive").rglob("*.md"), *root.joinpath("seeds").rglob("*.txt")]:
        urls.update(re.findall(r"https?://[!-~]+", path.read_text(encoding="utf-8", errors="replace")))
    assert len(urls) > 1000
    keyed = 0
    for url in urls:
        once = canonical_url(url)
        assert canonical_url(once) == once, url
        key = link_key(url)
        if key and not is_image_url(url):
            keyed += 1
            assert link_key(once) == key, url
    assert keyed > 300  # the weekly archive is full of arXiv and GitHub links
