"""Learning from the office's own history: accepted, declined and completed pairings re-weight the ranking,
but the default stays whenever learning does not beat it on the held-out needs."""

from __future__ import annotations

from rencai.matching.engine import DEFAULT_WEIGHTS
from rencai.matching.learning import feedback_items, learn_weights
from rencai.matching.models import LearnedWeights, MatchRound, Pairing, PairingStatus
from rencai.matching.services import current_weights, round_run
from tests.conftest import World, verified_client
from tests.factories import TalentFactory
from tests.matching.test_app_rounds import magnet_round, make_need

TOPICS = ["晶界扩散工艺", "矫顽力提升", "重稀土减量", "烧结工艺改进", "磁体一致性", "涂层防腐",
          "晶粒细化", "热处理制度", "磁性能检测", "回收利用", "成分设计", "磨削加工"]


def history(world: World, *, senior_accepts: bool) -> None:
    """Twelve needs each answered for a junior expert whose profile matches the words best and a senior one
    whose profile matches less; `senior_accepts` says which of the two the enterprises accepted."""
    junior = TalentFactory(zone=world.zone_a, name="周青年", research_directions="稀土永磁材料" + "、".join(TOPICS),
                           title="", degree="", education="", tier="", flexible_mode="")
    senior = TalentFactory(zone=world.zone_a, name="吴教授", research_directions="稀土永磁电机", title="教授",
                           degree="博士", tier="A", flexible_mode="兼职")
    old = MatchRound.objects.create(name="往年", zone=world.zone_a, created_by=world.admin, status="published")
    for topic in TOPICS:
        need = make_need(world.enterprise, f"稀土永磁材料{topic}", f"稀土永磁材料{topic}")
        good, bad = (senior, junior) if senior_accepts else (junior, senior)
        Pairing.objects.create(round=old, need=need, talent=good, status=PairingStatus.ACCEPTED)
        Pairing.objects.create(round=old, need=need, talent=bad, status=PairingStatus.DECLINED,
                               declined_by="enterprise", enterprise_reason="不合适")


def test_empty_history_keeps_the_default_weights(world):
    result = learn_weights(by=world.admin)
    assert not result.in_use and result.metrics["feedback"] == 0
    assert current_weights() == DEFAULT_WEIGHTS


def test_history_the_default_already_explains_keeps_the_default(world):
    history(world, senior_accepts=False)
    result = learn_weights(by=world.admin)
    assert result.metrics["default"]["mrr"] == 1.0
    assert not result.in_use
    assert current_weights() == DEFAULT_WEIGHTS


def test_learning_improves_held_out_mrr_when_seniority_predicts_acceptance(world):
    history(world, senior_accepts=True)
    result = learn_weights(by=world.admin)
    metrics = result.metrics
    assert metrics["train"] + metrics["held_out"] == 12 and metrics["held_out"] > 0
    assert metrics["learned"]["mrr"] > metrics["default"]["mrr"]
    assert result.in_use and current_weights() != DEFAULT_WEIGHTS
    assert current_weights().profile > DEFAULT_WEIGHTS.profile


def test_a_later_unhelpful_verdict_returns_to_the_default(world):
    history(world, senior_accepts=True)
    learn_weights(by=world.admin)
    Pairing.objects.all().delete()
    learn_weights(by=world.admin)
    assert current_weights() == DEFAULT_WEIGHTS
    assert LearnedWeights.objects.filter(in_use=True).count() == 0


def test_completed_pairings_count_by_the_hosts_rating(world):
    history(world, senior_accepts=True)
    Pairing.objects.filter(status=PairingStatus.ACCEPTED).update(status=PairingStatus.COMPLETED, rating=2)
    assert sum(item.label for item in feedback_items()) == 0


def test_rounds_use_the_learned_weights(world):
    history(world, senior_accepts=True)
    learn_weights(by=world.admin)
    match_round = magnet_round(world)
    assert match_round.summary["weights"] == "学习所得"


def test_learning_page_shows_held_out_comparison_and_weights_in_use(world):
    history(world, senior_accepts=True)
    client = verified_client(world.city_admin)  # learned weights are city-wide: city-level staff only
    client.post("/matching/learning/")
    page = client.get("/matching/learning/").content.decode()
    assert "24" in page and "MRR" in page and "Recall@3" in page and "学习所得权重" in page


def test_finance_can_read_but_not_relearn(world):
    response = verified_client(world.finance).post("/matching/learning/")
    assert response.status_code == 403
    assert not LearnedWeights.objects.exists()


def test_round_run_is_safe_for_an_unknown_round(world):
    assert round_run(round_id=999999) is None


def test_nightly_command_runs_draft_rounds_and_relearns(world):
    from io import StringIO

    from django.core.management import call_command

    from rencai.matching.services import round_create

    need = make_need(world.enterprise, "稀土永磁材料研发", "晶界扩散")
    draft = round_create(name="未运行", zone=world.zone_a, by=world.admin, needs=[need], min_score=0.1)
    out = StringIO()
    call_command("matching_nightly", stdout=out)
    draft.refresh_from_db()
    assert draft.status == "run"
    assert "运行批次 1 个" in out.getvalue() and "默认权重" in out.getvalue()
