"""The panel draw: no conflicted expert is ever drawn, and the draw is reproducible from its recorded seed.

Property-based over random pools (hypothesis): random experts with random employers and institutions, random
bidders sharing some of them, random past agreements and pairings with the issuer, random team memberships
and declared conflicts.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencai.challenges import services
from rencai.challenges.models import Challenge, Mode
from rencai.challenges.panel import computed_conflicts, weighted_draw
from rencai.core.roles import Role
from rencai.matching.models import Conflict
from tests.challenges.conftest import bid, close, make_challenge
from tests.factories import AgreementFactory, InstitutionFactory, TalentFactory, UserFactory

UNITS = ["甲大学", "乙研究院", "丙公司", "丁实验室"]


@given(pool=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=40, unique=True),
       excluded_share=st.floats(min_value=0, max_value=1), size=st.integers(min_value=0, max_value=10),
       seed=st.integers(min_value=0, max_value=2**48), weights=st.lists(st.floats(0, 1), min_size=40, max_size=40))
def test_the_pure_draw_never_picks_an_excluded_id_and_repeats_itself(pool, excluded_share, size, seed, weights):
    excluded = pool[: int(len(pool) * excluded_share)]
    w = {pk: weights[i] for i, pk in enumerate(pool)}
    drawn = weighted_draw(pool, w, excluded, size, seed)
    assert not set(drawn) & set(excluded)
    assert len(drawn) == min(size, len(pool) - len(excluded)) and len(set(drawn)) == len(drawn)
    assert weighted_draw(pool, w, excluded, size, seed) == drawn


experts_strategy = st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(UNITS + [""]), st.booleans(),
                                      st.booleans(), st.booleans(), st.booleans()), min_size=4, max_size=12)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=experts_strategy, bidder_units=st.lists(st.sampled_from(UNITS), min_size=1, max_size=2),
       seed=st.integers(min_value=0, max_value=2**40))
def test_no_conflicted_expert_is_ever_drawn_and_the_draw_repeats_from_its_seed(world, spec, bidder_units, seed):
    sid = transaction.savepoint()
    try:
        _check_one_pool(world, spec, bidder_units, seed)
    finally:
        transaction.savepoint_rollback(sid)


def _check_one_pool(world, spec, bidder_units, seed):  # noqa: ANN001, ANN202
    challenge = make_challenge(world, mode=Mode.RACE, race_teams=2)
    institutions = {u: InstitutionFactory(name=f"{u}（{seed % 997}）") for u in UNITS}
    talents = []
    for i, (employer, inst, agreement, registered, declared, member) in enumerate(spec):
        user = UserFactory(username=f"pool_{seed}_{i}", role=Role.EXPERT)
        t = TalentFactory(zone=world.zone_a, name=f"候选专家{i}", user=user, employer=employer,
                          institution=institutions[inst] if inst else None)
        talents.append((t, agreement, registered, declared, member))
        if agreement:
            AgreementFactory(talent=t, enterprise=world.enterprise, created_by=world.admin)
        if registered:  # a conflict in the matching register
            Conflict.objects.create(talent=t, enterprise=world.enterprise, reason="曾为该企业顾问",
                                    created_by=world.admin)
        if declared:
            services.conflict_declare(challenge=challenge, talent=t, reason="近亲属在发榜企业", by=world.admin)
    members = [services.Member(name=t.name, unit="", talent=t) for t, *_, member in talents if member]
    bid(challenge, world.talent_user, lead="王建国", unit=bidder_units[0], members=members)
    if len(bidder_units) > 1:
        bid(challenge, world.enterprise_b_user, lead="李晓梅", unit=bidder_units[1])
    challenge = close(challenge, world.admin)
    pool = [t for t, *_ in talents]
    conflicts = computed_conflicts(challenge, pool)
    # every rule, checked against the spec directly (not through computed_conflicts)
    for t, agreement, registered, declared, member in talents:
        expected = agreement or registered or declared or member or t.employer in bidder_units
        if expected:
            assert t.pk in conflicts, (t.name, t.employer, agreement, registered, declared, member)
    eligible = [t for t in pool if t.pk not in conflicts]
    Challenge.objects.filter(pk=challenge.pk).update(panel_size=min(3, max(len(eligible), 1)))
    challenge = Challenge.objects.get(pk=challenge.pk)
    if not eligible:
        with pytest.raises(Exception):  # noqa: B017, PT011 - too few experts left: refused, nobody drawn
            services.panel_draw(challenge=challenge, by=world.admin, seed=seed, pool=pool)
        return
    draw = services.panel_draw(challenge=challenge, by=world.admin, seed=seed, pool=pool)
    assert not set(draw.drawn) & set(conflicts)
    assert services.redraw(draw) == draw.drawn
    assert sorted(int(k) for k in draw.excluded) == sorted(conflicts)


def test_an_expert_of_the_bidders_institution_or_with_an_agreement_is_left_out_with_the_reason(world):
    challenge = make_challenge(world)
    bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")  # world.talent: 内蒙古科技大学
    colleague_user = UserFactory(username="colleague_expert", role=Role.EXPERT)
    colleague = TalentFactory(zone=world.zone_a, name="同校专家", user=colleague_user, institution=world.institution)
    partner_user = UserFactory(username="agreement_expert", role=Role.EXPERT)
    partner = TalentFactory(zone=world.zone_a, name="协议专家", user=partner_user, employer="北方研究院")
    AgreementFactory(talent=partner, enterprise=world.enterprise, created_by=world.admin)
    challenge = close(challenge, world.admin)
    reasons = computed_conflicts(challenge, [colleague, partner])
    assert any("内蒙古科技大学" in r for r in reasons[colleague.pk])
    assert reasons[partner.pk] == ["与发榜企业有柔性引才协议"]


@pytest.mark.django_db
def test_affinity_is_the_matching_engines_score_so_the_fitting_expert_weighs_more(world):
    """The panel weights come from the matching engine (thesaurus, disciplines), not from shared characters:
    an expert in battery materials outweighs one in ancient literature for a lithium-battery problem."""
    from rencai.challenges.panel import AFFINITY_METHOD, affinities
    from rencai.matching.engine.records import NeedRecord
    from rencai.matching.services import current_weights, ranker_for

    challenge = make_challenge(world, title="高镍三元正极材料循环寿命提升")
    Challenge.objects.filter(pk=challenge.pk).update(
        problem="动力锂电池正极材料在高温下容量衰减快，需要改进包覆工艺，提升循环寿命")
    challenge.refresh_from_db()
    battery = TalentFactory(zone=world.zone_a, name="电池专家", research_directions="锂离子电池正极材料、包覆改性",
                            major="材料科学与工程", discipline="材料科学与工程")
    poet = TalentFactory(zone=world.zone_a, name="文学专家", research_directions="唐宋诗词、古典文献整理",
                         major="中国古代文学", discipline="中国语言文学")
    weights = affinities(challenge, [battery, poet])
    assert weights[battery.pk] > weights[poet.pk]
    ranked = ranker_for([battery, poet], current_weights()).rank(
        NeedRecord(key="x", enterprise="", title=challenge.title, description=challenge.problem), top=2,
        explain_top=0)
    assert weights[battery.pk] == round(ranked[0].score, 4)  # the very score a matching round would give
    assert AFFINITY_METHOD.startswith("matching-engine")
