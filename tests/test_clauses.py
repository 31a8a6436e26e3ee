"""The clauses of a report and what two reports share at their closest ones (``jianbao.stories.clauses``)."""

from __future__ import annotations

from jianbao.stories.clauses import (
    clause_similarity,
    headline_contained,
    headline_parts,
    report_clauses,
    second_facts,
    weigh,
)

ROUNDUP = (
    "英伟达发布 Nemotron 3.5 Lightning 开源模型 + 5000 亿美元基础设施融资",
    "Nemotron 3.5 Lightning 仅 3.6B 活跃参数，开源权重。此外，英伟达联合 Apollo、BlackRock 等六大机构筹集逾 5000 亿美元投向"
    " AI 算力。此前英伟达曾发布 Nemotron 3。",
)
SINGLE = ("英伟达联合六大金融公司筹集逾 5000 亿美元投向 AI 算力", "英伟达与 Apollo、贝莱德、黑石合作，设立算力融资平台。")
OTHER = ("宇树科技发布人形机器人，跳高 2 米", "全新整机仅用 3 个多月研发完成。详情")
BOILERPLATE = ("月之暗面发布 Kimi K3", "2.8 万亿参数。详情")


def test_a_report_is_cut_into_headline_parts_and_sentences_without_background() -> None:
    heads, clauses = report_clauses(*ROUNDUP)
    assert heads == 3  # the headline, and its two parts joined by "+"
    assert len(clauses) == 5  # and two sentences: "此前…" is background, not a fact of this report
    assert all(len(c) >= 4 for c in clauses)
    assert not any("此前" in "".join(c) for c in clauses)
    assert report_clauses("Kimi K3", "详情。")[1] == ()  # too short to state a fact


def test_the_closest_clauses_find_a_roundups_second_fact() -> None:
    found = [report_clauses(*r) for r in (ROUNDUP, SINGLE, OTHER, BOILERPLATE)]
    roundup, single, other, _boiler = weigh([c for _, c in found])
    assert clause_similarity(roundup, single) > 0.4
    assert clause_similarity(roundup, other) < 0.15
    assert clause_similarity(single, roundup) == clause_similarity(roundup, single)
    # the single report's headline is stated by one clause of the roundup
    assert headline_contained(single[: found[1][0]], roundup) > 0.5
    assert headline_contained(other[: found[2][0]], roundup) < 0.2


def test_words_every_report_carries_weigh_little() -> None:
    reports = [("A 公司发布新产品 详情", "详情"), ("B 机构公布研究结果 详情", "详情"), ("C 团队开源数据集 详情", "详情")]
    weighted = weigh([report_clauses(h, b)[1] for h, b in reports])
    shared = {"详情"}
    for clauses in weighted:
        for clause in clauses:
            rare = [w for t, w in clause.items() if t not in shared]
            assert all(clause.get(t, 0.0) < min(rare) for t in shared)
    assert clause_similarity(weighted[0], weighted[1]) < 0.2


def test_a_roundups_further_facts_are_the_clauses_that_add_a_fact() -> None:
    headline = "宇树科技发布人形机器人，跳高 2 米"
    body = (
        "全新整机仅用 3 个多月研发完成，参数 2.8 万亿。同日，宇树科技在科创板上市，发行价 150.80 元/股；"
        "此外公司发布灵巧手。此前宇树科技已启动上市辅导，随后更名。"
    )
    facts = ["".join(sorted(c)) for c in second_facts(headline, body)]
    assert len(facts) == 2  # "同日，…" and "此外…"; not the first fact, not "2.8" as a numbered item
    assert all("宇树" in f or "灵巧" in f for f in facts)
    assert not any("此前" in f or "更名" in f for f in facts)  # background and what follows it are no fact
    # a roundup headline's part after its joint is a further fact, its first part is not
    joined = second_facts("英伟达发布 Nemotron 3.5 Lightning 开源模型 + 5000 亿美元基础设施融资", "")
    assert len(joined) == 1 and "融资" in "".join(joined[0])
    cut = second_facts(
        "OpenAI 修复误删文件 Bug", "已修复漏洞，限制全访问模式。同时，因模型逃逸，OpenAI 暂停部分训练两周。"
    )
    assert len(cut) == 1 and "暂停" in "".join(cut[0])
    assert second_facts("月之暗面发布 Kimi K3", "2.8 万亿参数。详情") == ()


def test_a_headlines_parts_between_commas_are_each_a_fact() -> None:
    parts = headline_parts("宇树科技科创板上市首日涨 460%，市值超 3400 亿")
    assert len(parts) == 2  # the whole headline and its first part: "市值超 3400 亿" has too few words
    fact = second_facts("宇树科技发布机器人", "同日，宇树科技在科创板上市，发行价 150.80 元。")
    single = weigh([(*parts, *fact)])[0]
    assert headline_contained(single[1:2], single[2:]) > 0.5
