"""Tests of the archive parser against the real published issues and against small malformed inputs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from jianbao.archive import ParseResult, parse_issue, read_issue_file, to_json
from jianbao.records import to_dict

SHARED = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
RESOURCES = Path(__file__).parent / "resources" / "archive"


def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared archive not found at {path}")
    return path


_CACHE: dict[str, ParseResult] = {}


def parsed(relative: str) -> ParseResult:
    """Parse each real file once per test session; the files are read-only."""
    if relative not in _CACHE:
        _CACHE[relative] = read_issue_file(_shared(relative))
    return _CACHE[relative]


def weekly(name: str) -> ParseResult:
    year = name[:4]
    spaced = SHARED / "archive" / year / f"AI 简报{name}.md"
    rel = f"archive/{year}/AI 简报{name}.md" if spaced.exists() else f"archive/{year}/AI简报{name}.md"
    result = parsed(rel)
    assert result.format == "weekly", result.skipped
    return result


def daily(name: str) -> ParseResult:
    result = parsed(f"archive/2026/AI简报{name}.md")
    assert result.format == "daily", result.skipped
    return result


def items(result: ParseResult) -> list[dict]:
    return result.data["items"]


# ---------------------------------------------------------------- weekly, 2020 layouts


def test_20201030_h2_items_under_ai_and_other_sections():
    result = weekly("20201030")
    its = items(result)
    assert [it["n"] for it in its] == list(range(1, 11)) + list(range(1, 6))
    assert {it["section"] for it in its[:10]} == {"AI"}
    assert {it["section"] for it in its[10:]} == {"Other"}
    assert its[0]["title"] == "细思极恐！央视曝光 AI 黑产，你的脸仅仅只卖 0.002 元，还可能成为“在逃嫌犯”"
    assert its[0]["url"].startswith("https://mp.weixin.qq.com/s?__biz=MTM2ODM0ODYyMQ==&mid=")
    assert its[1]["links"] == ["https://makemeazombie.com/"]
    assert its[2]["links"] == ["https://github.com/jiupinjia/SkyAR"]
    assert its[5]["links"] == ["https://github.com/open-mmlab", "https://zhuanlan.zhihu.com/p/74597564"]
    tenth = its[9]
    assert tenth["title"] == "Determined AI：用免费的「分布式深度学习系统」加速NLP训练"
    assert tenth["url"] is None and tenth["source"] is None
    assert tenth["links"][:2] == [
        "https://zhuanlan.zhihu.com/p/269364479",
        "https://github.com/determined-ai/determined",
    ]
    # the 导读 states the previous week's date; the file name wins for the issue date
    assert result.data["intro"]["issue_date"] == "20201023"
    assert result.issue is not None and result.issue.date.isoformat() == "2020-10-30"
    assert any("20201023" in w and w.startswith(str(SHARED)) for w in result.warnings)
    assert result.data["other"] == []


def test_20201106_other_section_has_unlinked_headings_with_source():
    its = items(weekly("20201106"))
    assert len(its) == 13
    huawei = its[7]
    assert (huawei["n"], huawei["section"], huawei["url"]) == (1, "Other", None)
    assert huawei["title"] == "华为HiAI商标被合作方亮风台抢注，起诉国家知识产权局一审败诉"
    assert huawei["source"] == "雷锋网"
    assert its[12]["title"] == "iPhone 12下架，原因竟是..." and its[12]["source"] is None


def test_20201112_empty_link_target_is_null_with_warning():
    result = weekly("20201112")
    its = items(result)
    assert len(its) == 8
    assert its[6]["title"] == "「拜登当选」，Python之父大喊Yes！吴恩达：让我松了口气"
    assert its[6]["url"] is None
    assert any(re.search(r":98: empty link target", w) for w in result.warnings)
    assert (its[4]["title"], its[4]["source"], its[4]["url"]) == (
        "超快速3D目标检测网络来了！SFA3D!",
        "Cver",
        None,
    )
    assert its[1]["links"] == ["https://arxiv.org/abs/2011.04244"]
    assert result.data["intro"]["chars_stated"] == 2500
    assert result.data["intro"]["read_minutes_stated"] == [5, 8]


def test_20201120_h1_numbered_items_and_prefix_text():
    result = weekly("20201120")
    its = items(result)
    assert [it["n"] for it in its] == list(range(1, 9))
    assert all(it["section"] is None for it in its)
    assert its[1]["title"] == "在C++平台上部署PyTorch模型流程+踩坑实录"
    assert its[1]["links"] == ["https://zhuanlan.zhihu.com/p/146453159"]
    assert its[2]["links"] == ["https://arxiv.org/abs/2011.04233", "https://github.com/liuruijin17/LSTR"]
    assert its[6]["url"] is None
    assert its[6]["links"] == ["http://www.eepw.com.cn/article/202011/420476.htm"]
    intro = result.data["intro"]
    assert (intro["chars_stated"], intro["read_minutes_stated"], intro["pentad_phrase"]) == (
        2800,
        [5, 8],
        None,
    )
    record = result.issue.items[2]
    assert [(link.kind, link.label) for link in record.links] == [("paper", "论文"), ("code", None)]
    assert "arxiv.org" not in record.summary and "代码即将开源" in record.summary
    assert not record.summary.startswith("#") and "mp.weixin.qq.com" not in record.summary
    assert (
        record.body.startswith("# 3. [420 FPS！LSTR")
        and "> 论文：https://arxiv.org/abs/2011.04233" in record.body
    )
    assert "![" not in record.summary


def test_20201204_link_target_that_is_not_a_url():
    result = weekly("20201204")
    eighth = items(result)[7]
    assert eighth["title"] == "TypeScript超越C++成第四大语言，GitHub这份年度报告有太多“意想不到”"
    assert eighth["url"] is None
    assert any(":139: link target is not a URL" in w for w in result.warnings)


# ---------------------------------------------------------------- weekly, 2021 layouts


def test_20210305_almanac_tags_other_and_seed_003_identical():
    result = weekly("20210305")
    intro = result.data["intro"]
    assert intro["pentad_phrase"] == "今日惊蛰，一侯桃始华"
    assert (intro["chars_stated"], intro["read_minutes_stated"], intro["issue_date"]) == (
        2900,
        [6, 10],
        "20210305",
    )
    assert result.issue.intro.almanac == "今日惊蛰，一侯桃始华"
    assert result.issue.intro.remark == "新春过后第一弹"
    its = items(result)
    assert len(its) == 9
    assert (its[2]["title"], its[2]["source"]) == ("基于TensorRT完成NanoDet模型部署", "PandaCV")
    assert its[2]["url"] == "https://mp.weixin.qq.com/s/JPDcvopsXemjW2uEA9X_XQ"
    assert [o["title"] for o in result.data["other"]] == [
        "轻量级网络综述 — 主干网络篇",
        "STM32 嵌入式机器学习（TinyML）实战教程-02",
    ]
    seed = parsed("seeds/003_42d7db21f5f800b2.txt")
    assert seed.data["items"] == its and seed.data["other"] == result.data["other"]


@pytest.mark.parametrize(
    ("name", "phrase", "chars"),
    [
        ("20210108", None, 2900),  # 新年新气象，牛年大吉 is a wish, not an almanac phrase
        ("20210205", None, 4000),
        ("20210312", "今日植树节", 2300),
        ("20210319", "明日春分，一侯玄鸟至", 3300),
        ("20210326", "明日朝花节", None),  # 本文一共 字
        ("20210402", "明日寒食节", 2200),
        ("20210409", "今日二候田鼠化驾", 2300),
        ("20210423", "今日世界读书日", 2300),
        ("20210528", None, 37000),
    ],
)
def test_intro_almanac_phrase_and_stated_chars(name, phrase, chars):
    intro = weekly(name).data["intro"]
    assert intro["pentad_phrase"] == phrase
    assert intro["chars_stated"] == chars


@pytest.mark.parametrize(
    ("name", "stated"), [("20201030", "20201023"), ("20210430", "20210423"), ("20210625", "20210624")]
)
def test_intro_date_as_stated_differs_from_file_name(name, stated):
    assert weekly(name).data["intro"]["issue_date"] == stated


def test_20210409_number_inside_link_and_rule_separated_other_list():
    result = weekly("20210409")
    its = items(result)
    assert [it["n"] for it in its] == list(range(1, 9))
    first = its[0]
    assert first["title"] == "只要你一句话，马斯克就得留扫把头，项目已开源丨Adobe等出品"
    assert (first["url"], first["source"]) == ("https://mp.weixin.qq.com/s/Qx8V1FFRkVbERBdvP1isqw", "量子位")
    assert (
        first["images"][0] == "https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20210409164016.png"
    )
    assert its[1]["source"] == "CVer"
    assert its[5]["source"] == "夕小瑶的卖萌屋"
    other = result.data["other"]
    assert len(other) == 7
    assert (
        other[0]["title"] == "从我开发的深度学习框架看深度学习这几年：TensorFlow, PaddlePaddle（飞桨）, 无量"
    )
    assert other[-1]["title"] == "使用这个技术，ResNet-50最高可以获得16%的加速！"
    # the trailing list is not swallowed into item 8's links
    assert not any("TPobirSJ4_xl3FhtuOALMg" in url for url in its[7]["links"])
    seed = parsed("seeds/002_193ebcd875e9eeb5.txt")
    assert [it["title"] for it in seed.data["items"]] == [it["title"] for it in its]


def test_20210430_nested_sections_restarting_numbers():
    result = weekly("20210430")
    its = items(result)
    assert [it["n"] for it in its] == [1, 2, 3, 1, 2, 1, 2, 1, 2, 3, 1, 2]
    assert [it["section"] for it in its] == ["AI 芯片"] * 3 + ["AI 硬件"] * 2 + ["嵌入式 AI 项目"] * 2 + [
        "AI 前沿速递"
    ] * 3 + ["文末福利"] * 2
    assert its[3]["title"] == "Xilinx推出K26视觉AI核心板，可以直接用于产品设计，加速产品上市"
    assert its[3]["source"] == "安富莱嵌入式周报" and its[3]["url"] is None
    assert its[7]["links"] == [
        "https://arxiv.org/pdf/2102.06205.pdf",
        "https://github.com/alex04072000/NeRViS",
    ]
    assert its[11]["title"] == "图解 Git 工作原理"
    assert its[11]["links"][0] == "http://marklodato.github.io/visual-git-guide/index-zh-cn.html"
    other = result.data["other"]
    assert len(other) == 11
    assert other[8] == {
        "title": "面试必问！| 1. ResNet手推及其相关变形~",
        "url": "https://mp.weixin.qq.com/s/cfj9iPF0Ui5CGWd-M6sSFw",
        "source": None,
        "line": other[8]["line"],
    }
    # the RT-AK demo (an unnumbered heading without a link) and its anchor list are not items
    assert all("#1-模型" not in link for it in its for link in it["links"])


def test_20210510_unnumbered_link_headings_without_intro():
    result = weekly("20210510")
    its = items(result)
    assert [it["n"] for it in its] == [1, 2, 3, 4, 5]
    assert its[0]["title"] == "技压群雄！2021 NTIRE @CVPR 2021的三冠一亚视频超分方案：BasicVSR++"
    assert its[0]["links"] == [
        "https://arxiv.org/pdf/2104.13371.pdf",
        "https://github.com/open-mmlab/mmediting",
    ]
    assert its[4]["links"] == ["https://github.com/ShiqiYu/libfacedetection"]
    assert result.data["intro"]["issue_date"] is None and result.issue.intro is None
    assert [o["url"] for o in result.data["other"]][:2] == [
        "https://arxiv.org/pdf/2105.02431.pdf",
        "https://arxiv.org/abs/2104.02300",
    ]


def test_20210528_unlinked_titles_and_source_inside_link_text():
    its = items(weekly("20210528"))
    assert len(its) == 10
    assert (its[0]["title"], its[0]["url"], its[0]["section"]) == (
        "《2021人脸识别行业白皮书》发布",
        None,
        "嵌入式 AI",
    )
    assert its[1]["title"] == "ARM发布 Armv9 64位超级大小核心 | EETOP" and its[1]["source"] is None
    assert its[7]["source"] == "集智书童" and its[7]["section"] == "开源项目"


def test_20210625_sections_and_unlinked_first_item():
    result = weekly("20210625")
    its = items(result)
    assert (its[0]["n"], its[0]["section"], its[0]["title"], its[0]["source"]) == (
        1,
        "嵌入式AI",
        "低功耗AI芯片",
        "安富莱电子",
    )
    assert [it["section"] for it in its[1:5]] == ["AI 前沿"] * 4
    assert result.data["other"] == []  # 文末福利(自取) is not the 其他 list


def test_20210808_and_seed_001_tags_before_link():
    result = weekly("20210808")
    its = items(result)
    assert its[0]["tags"] == ["轻量化"]
    assert its[0]["title"] == "YOffleNet | YOLO V4 基于嵌入式设备的轻量化改进设计"
    assert its[0]["source"] == "集智书童"
    assert its[1]["tags"] == ["屠榜"]
    assert [it["section"] for it in its] == ["AI 前沿"] * 3 + ["有趣的开源项目"] * 4 + ["福利"] * 3
    assert result.issue.items[0].tags == ["轻量化"]
    assert [o["source"] for o in result.data["other"]][:2] == ["学术头条", "夕小瑶的卖萌屋"]
    assert parsed("seeds/001_0c254a2df2de4449.txt").data["items"] == its


def test_20210814_multiple_tags_no_source_and_code_fence():
    result = weekly("20210814")
    its = items(result)
    assert len(its) == 7  # "# your code execution" inside ``` is not a section
    second = its[1]
    assert second["title"].startswith("ICCV'21 Oral｜拒绝调参")
    assert second["source"] is None
    third = its[2]
    assert (third["tags"], third["title"], third["source"]) == (
        ["亚军方案", "开源"],
        "平安产险提出TableMASTER：表格识别大师",
        "CVer",
    )
    assert "## 计算秒" in result.issue.items[6].body
    assert [o["title"] for o in result.data["other"]] == [
        "Github标星13.6k ！一行代码从PDF提取Excel文件，牛逼炸了！"
    ]


def test_20210820_fullwidth_number_and_tag():
    its = items(weekly("20210820"))
    assert (its[3]["n"], its[3]["tags"]) == (1, ["轻量化检测网络"])
    assert its[3]["title"] == "YOLO-FastestV2：更快，更轻！移动端高达300 FPS！参数量仅250k"


def test_20211104_numbered_list_layout():
    result = weekly("20211104")
    its = items(result)
    assert [(it["n"], it["section"]) for it in its[:4]] == [
        (1, "项目实战"),
        (2, "项目实战"),
        (1, "轻量级"),
        (2, "轻量级"),
    ]
    assert its[0]["source"] == "集智书童"
    assert its[2]["links"] == [
        "https://arxiv.org/abs/2111.00902v1",
        "https://github.com/PaddlePaddle/PaddleDetection/tree/release/2.3/ppdet",
    ]
    assert its[3]["links"][0] == "https://mp.weixin.qq.com/s/5qOw8SqU2UhFoMsrORI5WQ"
    assert [it["section"] for it in its].count("冠军方案") == 4
    mobilevit = its[-1]
    assert mobilevit["section"] == "Transformer相关"
    assert mobilevit["title"] == "MobileViT 它来了！Apple 提出轻量、通用、适用于移动设备的Transformer！"
    assert mobilevit["source"] == "我爱计算机视觉"
    other = result.data["other"]
    assert len(other) == 6
    assert (other[0]["title"], other[0]["url"], other[0]["source"]) == (
        "OpenGait：首个步态识别框架开源了！",
        None,
        "于仕琪",
    )
    record = result.issue.items[2]
    assert [(link.kind, link.label) for link in record.links] == [("paper", "论文"), ("code", "项目")]


def test_seed_000_gitlab_layout_unnumbered_h3_items():
    result = parsed("seeds/000_94cca4eda8be6595.txt")
    assert result.format == "weekly"
    its = result.data["items"]
    assert len(its) == 11
    assert [it["n"] for it in its] == list(range(1, 12))
    assert its[0]["section"] == "RT-AK新进展"
    assert its[1]["section"] == "AI热点" and its[1]["url"] is None
    assert its[1]["links"][:2] == [
        "https://www.jiqizhixin.com/articles/2021-06-10-2",
        "https://www.nature.com/articles/s41586-021-03544-w",
    ]
    assert its[8]["title"] == "60.6 AP！打破COCO记录！微软提出DyHead：将注意力与目标检测Heads统一"
    assert its[-1]["section"] == "文末福利" and its[-1]["links"] == [
        "https://github.com/PaddlePaddle/PaddleHub"
    ]
    labels = [(link.label, link.kind) for link in result.issue.items[4].links]
    assert labels == [("原文", "article"), ("论文", "paper"), ("代码", "code")]
    assert result.issue.title == "AI简报20210618期"
    assert result.issue.date.isoformat() == "2021-06-18"  # from the title: no 导读, no date in the name


# ---------------------------------------------------------------- daily


def test_daily_20260521_full_structure():
    result = daily("20260521")
    data = result.data
    assert data["date"] == "2026-05-21"
    assert data["one_liner"].startswith("Google I/O 2026 把开发者工具继续推向 agent-first")
    its = data["items"]
    assert [it["section"] for it in its] == ["今日精选"] * 3 + ["国际动态"] * 5 + ["中文圈"] * 4
    assert [it["priority"] for it in its[:3]] == ["red"] * 3
    assert its[8]["priority"] == "red" and its[9]["priority"] == "yellow"
    first = its[0]
    assert first["entity"] == "Google Developers Blog"
    assert first["sources"] == ["Google Developers Blog"]
    assert first["urls"] == [
        "https://developers.googleblog.com/en/all-the-news-from-the-google-io-2026-developer-keynote/"
    ]
    assert first["text"].startswith("[Google Developers Blog] Google I/O 2026 Developer keynote — Google 在")
    assert its[2]["sources"] == ["量子位", "网易订阅"]
    assert [(g["repo"], g["stars"]) for g in data["github"]] == [
        ("openai/openai-agents-python", 26500),
        ("pydantic/pydantic-ai", 17200),
        ("HKUDS/nanobot", 42800),
    ]
    assert len(data["insights"]) == 2 and data["insights"][0].startswith("今天最明显的趋势是")
    issue = result.issue
    assert issue.format == "daily" and issue.date.isoformat() == "2026-05-21"
    assert [s.name for s in issue.sections] == ["今日精选", "国际动态", "中文圈"]
    assert issue.items[0].title == "Google I/O 2026 Developer keynote"
    assert issue.items[0].url == first["urls"][0]
    assert issue.moments.startswith("🤖 AI早报 05-21") and issue.moments.endswith("👉 完整早报见评论区")


def test_daily_20260616_bracketed_outlets_and_comma_stars():
    data = daily("20260616").data
    assert data["items"][0]["entity"] == "CryptoBriefing / The Decoder"
    assert data["items"][0]["sources"] == ["CryptoBriefing", "The Decoder"]
    assert data["github"][0] == {
        "repo": "Panniantong/Agent-Reach",
        "url": "https://github.com/Panniantong/Agent-Reach",
        "desc": "给 AI Agent 接入 Twitter、Reddit 等全网读写搜索能力",
        "stars": 30252,
        "stars_today": None,
    }


@pytest.mark.parametrize(
    ("name", "repo", "stars", "today"),
    [
        ("20260601", "harry0703/MoneyPrinterTurbo", None, 1937),  # ⭐1,937 stars today
        ("20260611", "addyosmani/agent-skills", 54861, 3278),  # ⭐54,861（+3,278 今日）
        ("20260717", "Nutlope/hallmark", None, 3372),  # ⭐3,372/日
        ("20260720", "jamiepine/voicebox", None, 610),  # ⭐+610 today
        ("20260722", "openclaw/openclaw", 383000, None),  # table, ⭐ 383K
        ("20260730", "MoonshotAI/Kimi-K3", 5744, None),  # headerless table, stars in the description cell
        ("20260801", "different-ai/openwork", 19503, None),  # table with a ⭐ column
        ("20260815", "citrolabs/ego-lite", 10400, None),  # 10.4k in a column
        ("20260528", "harry0703/MoneyPrinterTurbo", 62120, 1742),  # ⭐62,120，今日 +1,742
    ],
)
def test_daily_trending_layouts(name, repo, stars, today):
    rows = {row["repo"]: row for row in daily(name).data["github"]}
    assert (rows[repo]["stars"], rows[repo]["stars_today"]) == (stars, today)
    assert rows[repo]["desc"] and "⭐" not in rows[repo]["desc"] and "|" not in rows[repo]["desc"]


def test_daily_trailing_parenthetical_sources_and_see_above_note():
    its = daily("20260805").data["items"]
    assert its[0]["entity"] == "DeepSeek-V4-Flash 登顶全球调用量第一"
    assert its[0]["sources"] == ["36氪"]
    zhipu = next(it for it in daily("20260815").data["items"] if it["line"] == 35)
    assert (zhipu["entity"], zhipu["sources"], zhipu["urls"]) == ("智谱 AI", [], [])


def test_daily_bold_headline_without_link_and_pipe_source():
    july17 = daily("20260717").data["items"][0]
    assert july17["entity"].startswith("月之暗面发布 Kimi K3：2.8T 参数")
    assert july17["priority"] == "red"
    aug01 = daily("20260801").data["items"][0]
    assert aug01["entity"] == "The Decoder" and aug01["sources"] == ["The Decoder"]
    assert daily("20260801").issue.items[0].title.startswith("DeepSeek V4 Flash 更新后性能匹配 GPT-5.6 Luna")


@pytest.mark.parametrize("name", ["20260716", "20260724", "20260810"])
def test_daily_title_date_variants(name):
    assert daily(name).data["date"] == f"{name[:4]}-{name[4:6]}-{name[6:]}"


# ---------------------------------------------------------------- whole archive


def _all_files() -> list[Path]:
    root = _shared("archive")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return files + sorted((SHARED / "seeds").glob("*"))


def test_every_file_parses_and_meets_minimums():
    files = _all_files()
    assert len(files) >= 100
    for path in files:
        result = read_issue_file(path)
        rel = str(path.relative_to(SHARED))
        if path.name == "README.md" or "来源" in path.name:
            assert result.skipped and result.format is None, rel
            continue
        assert result.skipped is None, (rel, result.skipped)
        for warning in result.warnings:
            assert "\n" not in warning and re.match(rf"^{re.escape(str(path))}:\d+: ", warning), warning
        json.dumps(to_dict(result.issue), ensure_ascii=False)
        if "/2026/" in str(path):
            assert result.format == "daily", rel
            assert len(result.data["items"]) >= 5, rel
            stamp = re.search(r"(\d{8})", path.name).group(1)
            assert result.data["date"] == f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:]}", rel
            assert result.data["github"], rel
        else:
            assert result.format == "weekly", rel
            assert len(result.data["items"]) >= 1, rel
            assert all(it["title"] for it in result.data["items"]), rel


def test_to_json_keeps_only_issues():
    results = [
        parsed("archive/2021/AI简报20210305.md"),
        parsed("archive/2026/AI简报20260521.md"),
        read_issue_file(_shared("archive/README.md")),
    ]
    array = json.loads(to_json(results))
    assert [(d["format"], Path(d["file"]).name) for d in array] == [
        ("weekly", "AI简报20210305.md"),
        ("daily", "AI简报20260521.md"),
    ]
    assert set(array[0]) >= {"file", "format", "intro", "items", "other"}
    assert set(array[0]["items"][0]) >= {"n", "section", "title", "url", "source", "links", "images"}
    assert set(array[1]) >= {"file", "format", "date", "one_liner", "items", "github", "insights"}
    assert "量子位" in to_json(results)  # ensure_ascii=False


def test_readme_and_sources_list_are_skipped_with_reason():
    readme = read_issue_file(_shared("archive/README.md"))
    assert readme.skipped and "README" in readme.skipped and "\n" not in readme.skipped
    sources = read_issue_file(_shared("archive/AI 简报来源.md"))
    assert sources.skipped and sources.issue is None


# ---------------------------------------------------------------- malformed input


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = read_issue_file(path)
    assert result.skipped and "binary" in result.skipped and result.issue is None


def test_empty_file_is_skipped(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    assert read_issue_file(path).skipped == "empty file"
    assert parse_issue("  \n\n").skipped == "empty file"


def test_oversize_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    result = read_issue_file(path)
    assert result.skipped and "too large" in result.skipped and str(50 * 1024 * 1024) in result.skipped


def test_missing_file_is_skipped(tmp_path):
    result = read_issue_file(tmp_path / "nope.md")
    assert result.skipped and result.skipped.startswith("cannot read file")


def test_mixed_line_endings_and_unterminated_link():
    path = RESOURCES / "mixed_endings_unterminated.md"
    result = read_issue_file(path)
    assert result.format == "weekly"
    its = result.data["items"]
    assert [(it["n"], it["title"], it["url"], it["source"]) for it in its] == [
        (1, "第一条", "https://example.com/a", "来源甲"),
        (2, "第二条", None, None),
    ]
    assert its[0]["links"] == ["https://arxiv.org/abs/2101.00001"]
    assert result.data["intro"]["read_minutes_stated"] == [1, 2]
    assert f"{path}:12: unterminated link, title kept and URL dropped" in result.warnings
    assert "正文二" in result.issue.items[1].body


def test_bom_is_stripped():
    result = read_issue_file(RESOURCES / "bom.md")
    assert result.data["items"][0]["title"] == "带 BOM 的条目"
    assert result.data["items"][0]["source"] == "来源"


def test_gbk_file_is_decoded_with_warning():
    path = RESOURCES / "gbk.md"
    result = read_issue_file(path)
    assert result.data["items"][0]["title"] == "中文编码条目"
    assert result.data["items"][0]["source"] == "量子位"
    assert result.data["items"][0]["links"] == ["https://github.com/owner/repo"]
    assert f"{path}:1: not UTF-8; decoded as GB18030/GBK" in result.warnings


def test_plain_notes_are_not_an_issue():
    result = read_issue_file(RESOURCES / "notes.md")
    assert result.format is None and result.skipped.startswith("not an issue")


def test_unclosed_code_fence_is_reported():
    text = "[TOC]\n\n# 1. [一](https://a.example/1)\n\n```python\n# 2. [假条目](https://a.example/2)\n"
    result = parse_issue(text, path="x.md")
    assert [it["title"] for it in result.data["items"]] == ["一"]
    assert "x.md:5: code fence never closed; the rest of the file is code" in result.warnings


def test_truncated_utf8_stays_utf8_with_line_warning(tmp_path):
    text = "[TOC]\n\n# 1. [第一条](https://example.com/a) | 量子位\n\n正文里有中文，最后一个字被截断："
    data = text.encode("utf-8") + "断".encode()[:2]
    path = tmp_path / "cut.md"
    path.write_bytes(data)
    result = read_issue_file(path)
    assert result.data["items"][0]["title"] == "第一条"
    assert result.data["items"][0]["source"] == "量子位"
    assert result.warnings[0] == f"{path}:5: undecodable bytes replaced by U+FFFD"
    assert not any("GB18030" in w for w in result.warnings)


@pytest.mark.parametrize(
    "relative",
    ["archive/2021/AI简报20210409.md", "archive/2021/AI简报20211104.md", "archive/2026/AI简报20260722.md"],
)
def test_truncated_real_files_parse_as_far_as_they_go(relative, tmp_path):
    data = _shared(relative).read_bytes()
    full = parsed(relative)
    for fraction in (0.2, 0.35, 0.5, 0.65, 0.8, 0.95):
        cut = tmp_path / Path(relative).name
        cut.write_bytes(data[: int(len(data) * fraction)])
        result = read_issue_file(cut)
        assert result.skipped is None, (fraction, result.skipped)
        titles = [it.get("title") or it.get("text") for it in result.data["items"]]
        full_titles = [it.get("title") or it.get("text") for it in full.data["items"]]
        # every item but the last (which may be cut mid-line) is exactly the complete file's
        assert titles[:-1] == full_titles[: len(titles) - 1], fraction
