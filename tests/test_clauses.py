"""The clauses of a report and what two reports share at their closest ones (``jianbao.stories.clauses``)."""

from __future__ import annotations

from jianbao.stories.clauses import clause_similarity, headline_contained, report_clauses, weigh

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
