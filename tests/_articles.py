"""The corpus of real articles (``../shared/corpus/articles-2022-2024``) as the cleaning tests read them.

Each article comes in the two forms jianbao stores: the read-later app's Markdown body, and the plain
text an RSS entry carries once that Markdown is rendered to HTML and read back by the RSS parser (what
``real-check`` does). Nothing here copies corpus text into the repository.

Also: the patterns the tests use to say a summary carries publisher boilerplate or Markdown/HTML debris.
They describe kinds of text in their own words (labels, calls to action, marks), independent of the
cleaning rules they check and of the reviewer's list.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import markdown_it
import pytest

from jianbao.ingestion.sources._text import html_to_text

CORPUS = Path("corpus") / "articles-2022-2024"


@dataclass(frozen=True)
class RealArticle:
    name: str
    publisher: str
    markdown: str  # the body as exported, without the exporter's title header
    plain: str  # the body after Markdown → HTML → the RSS parser's plain text

    def text(self, form: str) -> str:
        return self.markdown if form == "markdown" else self.plain


def articles(shared_dir: Path) -> tuple[RealArticle, ...]:
    """Every article of the corpus, or a skip when the corpus is absent."""
    root = shared_dir / CORPUS
    if not (root / "MANIFEST.tsv").is_file():
        pytest.skip(f"corpus of real articles not found at {root}")
    return _load(root)


@functools.cache
def _load(root: Path) -> tuple[RealArticle, ...]:
    md = markdown_it.MarkdownIt()
    found: list[RealArticle] = []
    with (root / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            raw = (root / row["file"]).read_text(encoding="utf-8")
            head = raw.split("\n", 3)
            body = raw
            if len(head) > 2 and set(head[1].strip()) <= {"="}:  # "Title\n====\n\n[domain](url)account"
                body = (head[3] if len(head) > 3 else "").partition("\n")[2]
            found.append(RealArticle(row["file"], row["publisher"], body, html_to_text(md.render(body))))
    return tuple(found)


# --- what a summary must not carry ----------------------------------------------------------------------

BOILERPLATE = [
    re.compile(p, re.MULTILINE)
    for p in (
        r"^[^。，\n]{0,30}\s发自\s*\S{1,10}$",  # dateline byline
        r"^(?:作者|编辑|责编|排版|编译|撰文|文|出品|策划|来源|整理)\s*[|｜丨:：/]",  # credit label
        r"^\S{2,14}(?:报道|编辑部)$",  # the outlet naming itself
        r"【[^】\n]{0,10}导读】|[|｜]\s*公众号",  # 导读 marker, account line
        r"(?:点击|欢迎|记得|一键|点个|长按|顺手|随手)[^。\n]{0,10}(?:关注|星标|标星|置顶|在看|点赞|转发|三连|留言)",
        r"扫码|扫描[^。\n]{0,6}二维码|长按[^。\n]{0,6}识别|阅读原文|后台回复|评论区",
        r"(?:交流|读者|粉丝|技术|讨论)群",
        r"转载请|转载自|投稿(?:或|请|邮箱)|寻求报道|商务合作|正在招聘|招聘启事|版权所有|不代表[^。\n]{0,10}立场|经授权",
        r"^[-—–\s·©*]*(?:完|THE\s*END|END|FIN)[-—–\s·*]*$",  # end mark
        r"重播|观看更多|已关注|倍速|进度条|暂不支持播放|视频加载失败",  # player labels
        r"图片来[源自]|图源|题图|头图|Photo by|^来源\s*[:：]",  # picture credits
        r"参考(?:资料|链接|文献)\s*[:：]|篇原创内容|Cubox",
    )
]
DEBRIS = [
    re.compile(p, re.MULTILINE)
    for p in (
        r"^\s*#{1,6}\s",  # heading mark
        r"^\s*(?:[-*+•]|\d{1,3}\.)\s",  # list mark
        r"^\s*>",  # quote mark
        r"\|[^|\n]*\|",  # table row
        r"!\[|\]\(",  # image or link syntax
        r"</?[a-zA-Z][^>\n]*>|&[a-z]{2,6};",  # HTML tag or entity
        r"```|^\s*\*{3,}",  # code fence, rule
        r"\*\*\s*\*\*",  # empty or touching bold
        r"\\[*_|#\[\]]",  # Markdown escape
        r"-{4,}",  # a converted dash
    )
]


def boilerplate_in(text: str) -> list[str]:
    return [p.pattern for p in BOILERPLATE if p.search(text)]


def debris_in(text: str) -> list[str]:
    found = [p.pattern for p in DEBRIS if p.search(text)]
    if text.count("**") % 2:
        found.append("unbalanced **")
    return found
