"""The pipeline: moves in order, refusals, dedupe across events, arrival → talent → reward exactly once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rencai.core.lifecycle import history_for
from rencai.policies.models import Entitlement
from rencai.recruitment import selectors, services
from rencai.recruitment.models import Candidate, InsuranceRecord, Intention, Stage
from rencai.talents.models import Talent
from tests.factories import make_id_number
from tests.recruitment.builders import (
    capture,
    contract_file,
    import_insurance,
    insurance_sheet,
    make_campaign,
    make_event,
    make_post,
    to_arrived,
)

pytestmark = pytest.mark.django_db

ID = make_id_number(birth=date(1994, 6, 1), seq=321)


def test_illegal_moves_are_refused_with_the_reason(world):
    campaign = make_campaign(world)
    intention = capture(make_post(world, campaign), make_event(world, campaign))
    with pytest.raises(ValidationError, match="不能跳过“已联系”"):
        services.intention_move(intention=intention, move="sign", by=world.admin)
    for move in ("contact", "interview", "offer", "sign"):
        intention = services.intention_move(intention=intention, move=move, by=world.admin)
    with pytest.raises(ValidationError, match="请先上传签约合同"):
        services.intention_move(intention=intention, move="arrive", by=world.admin)
    with pytest.raises(ValidationError, match="不能对.*进行“区内参保”"):
        services.intention_move(intention=intention, move="insure", by=world.admin)  # only the insurance import
    with pytest.raises(ValidationError, match="当前为已签约，不能已联系"):
        services.intention_move(intention=intention, move="contact", by=world.admin)
    with pytest.raises(ValidationError, match="必须填写原因"):
        services.intention_move(intention=intention, move="lose", by=world.admin)
    with pytest.raises(ValidationError, match="角色"):
        services.intention_move(intention=intention, move="lose", by=world.talent_user, reason="x")
    intention.refresh_from_db()
    assert intention.stage == Stage.SIGNED
    assert [h.move for h in history_for(intention)] == ["capture", "contact", "interview", "offer", "sign"]
    assert all(h.by == world.admin for h in history_for(intention)[1:])


def test_a_campaign_that_narrows_its_stages_lets_the_skipped_ones_go(world):
    campaign = make_campaign(world, stages=["captured", "signed", "arrived", "insured"])
    intention = capture(make_post(world, campaign))
    intention = services.intention_move(intention=intention, move="sign", by=world.enterprise_user)
    assert intention.stage == Stage.SIGNED and intention.signed_on is not None
    other = capture(intention.post, name="孙悦", phone="13700009999")
    with pytest.raises(ValidationError, match="本活动未启用“已发录用”"):
        services.intention_move(intention=other, move="offer", by=world.admin)


def test_lost_with_a_reason_counts_at_the_stage_it_was_lost_from(world):
    campaign = make_campaign(world)
    intention = capture(make_post(world, campaign))
    services.intention_move(intention=intention, move="contact", by=world.admin)
    services.intention_move(intention=intention, move="lose", by=world.admin, reason="已接受外地录用")
    intention.refresh_from_db()
    assert intention.stage == Stage.LOST and intention.lost_reason == "已接受外地录用"
    funnel = dict(selectors.funnel(Intention.objects.all()))
    assert funnel["已登记意向"] == 1 and funnel["已联系"] == 1 and funnel["面试中"] == 0


def test_the_same_person_at_two_events_is_one_candidate_with_two_intentions(world):
    campaign = make_campaign(world)
    post = make_post(world, campaign)
    tsinghua, zju = make_event(world, campaign, "清华大学"), make_event(world, campaign, "浙江大学",
                                                                       held_on=date(2026, 4, 10), city_name="杭州")
    first = capture(post, tsinghua, name="陈思远", phone="13912345678")
    second = capture(post, zju, name="陈思远", phone="139 1234 5678")  # same name and phone, written differently
    assert first.candidate_id == second.candidate_id and first.pk != second.pk
    # by ID number, whatever the phone
    third = capture(post, tsinghua, name="刘洋", id_number=ID, phone="13700001111")
    fourth = capture(post, zju, name="刘洋", id_number=ID.lower(), phone="13600002222")
    assert third.candidate_id == fourth.candidate_id
    # by name and birth date when neither ID nor phone is given
    fifth = capture(post, tsinghua, name="王芳", phone="", birth_date=date(1995, 1, 2))
    sixth = capture(post, zju, name="王芳", phone="", birth_date=date(1995, 1, 2))
    assert fifth.candidate_id == sixth.candidate_id
    # a namesake with another phone is another person
    other = capture(post, zju, name="陈思远", phone="13500003333")
    assert other.candidate_id != first.candidate_id
    assert Candidate.objects.count() == 4
    # the same intention again at the same event is not a second one
    assert capture(post, tsinghua, name="陈思远", phone="13912345678").pk == first.pk


def test_arrival_enters_the_talent_and_insurance_imported_twice_gives_one_reward(world):
    campaign = make_campaign(world)
    post = make_post(world, campaign)
    intention = capture(post, make_event(world, campaign), name="刘洋", id_number=ID, degree="博士")
    intention = to_arrived(intention, world.enterprise_user, on=date(2026, 5, 6))
    talent = Talent.objects.get(id_number_hash=intention.candidate.id_number_hash)
    assert intention.talent == talent and talent.employer == world.enterprise.name
    assert talent.talent_type == "全职引进" and talent.zone == world.zone_a
    assert intention.stage == Stage.ARRIVED and not Entitlement.objects.filter(talent=talent).exists()

    sheet = insurance_sheet([("刘洋", ID, "2026-05"), ("刘洋", ID, "2026-06"),
                             ("某人", ID[:-1] + ("0" if ID[-1] != "0" else "1"), "2026-05")])
    preview = import_insurance(world, sheet, dry_run=True)
    assert preview.created == 2 and [r["column"] for r in preview.refused] == ["身份证号"]
    assert not InsuranceRecord.objects.exists()

    import_insurance(world, sheet)
    intention.refresh_from_db()
    assert intention.stage == Stage.INSURED and intention.insured_on == date(2026, 5, 1)
    rewards = Entitlement.objects.filter(talent=talent)
    assert rewards.count() == 1 and intention.entitlement == rewards.get()
    assert rewards.get().policy.code == "graduate_intro_reward" and rewards.get().source == "免申即享"

    again = import_insurance(world, sheet)  # the bureau sends the same file again
    assert again.created == 0 and again.updated == 2
    assert InsuranceRecord.objects.count() == 2
    assert Entitlement.objects.filter(talent=talent).count() == 1
    services.reward_offer(intention=intention)  # and a direct call changes nothing either
    assert Entitlement.objects.filter(talent=talent).count() == 1


def test_insurance_before_arrival_is_used_when_the_hire_arrives(world):
    campaign = make_campaign(world)
    intention = capture(make_post(world, campaign), name="刘洋", id_number=ID)
    import_insurance(world, insurance_sheet([("刘洋", ID, "2026-05")]))
    intention = to_arrived(intention, world.admin, on=date(2026, 5, 10))
    assert intention.__class__.objects.get(pk=intention.pk).stage == Stage.INSURED


def test_retention_checks_move_on_or_lose(world):
    campaign = make_campaign(world)
    post = make_post(world, campaign)
    stays = to_arrived(capture(post, name="刘洋", id_number=ID), world.admin, on=date(2026, 1, 10))
    other_id = make_id_number(birth=date(1993, 3, 3), seq=77)
    leaves = to_arrived(capture(post, name="孙悦", id_number=other_id), world.admin, on=date(2026, 1, 10))
    import_insurance(world, insurance_sheet([("刘洋", ID, f"2026-{m:02d}") for m in range(1, 9)]
                                            + [("孙悦", other_id, "2026-01"), ("孙悦", other_id, "2026-02")]))
    assert services.retention_check(date(2026, 7, 15)) == {"retained_6m": 1, "retained_12m": 0, "lost": 0}
    assert services.retention_check(date(2026, 9, 15)) == {"retained_6m": 0, "retained_12m": 0, "lost": 1}
    stays.refresh_from_db()
    leaves.refresh_from_db()
    assert stays.stage == Stage.RETAINED_6M
    assert leaves.stage == Stage.LOST and "6个月" in leaves.lost_reason
    assert history_for(leaves).last().by is None


def test_contract_is_required_evidence_and_cannot_be_replaced_after_arrival(world):
    campaign = make_campaign(world)
    intention = to_arrived(capture(make_post(world, campaign)), world.admin)
    with pytest.raises(ValidationError, match="到岗后不能再更换"):
        services.contract_upload(intention=intention, file=contract_file(), by=world.admin)


def test_a_post_comes_only_from_needs_of_the_two_kinds(world):
    from tests.needs.conftest import make_need

    campaign = make_campaign(world)
    assistant = make_need(world.enterprise, world.enterprise_user, kind="科研助理岗位", title="科研助理")
    post = services.post_add(campaign=campaign, by=world.admin, need=assistant)
    assert post.enterprise == world.enterprise and post.title == "科研助理"
    tech = make_need(world.enterprise, world.enterprise_user, kind="技术攻关", title="攻关")
    with pytest.raises(ValidationError, match="人才引进"):
        services.post_add(campaign=campaign, by=world.admin, need=tech)


def test_funnel_counts_and_time_in_stage(world):
    campaign = make_campaign(world)
    post = make_post(world, campaign)
    event = make_event(world, campaign)
    capture(post, event, name="甲一", phone="13900000001")
    second = capture(post, event, name="乙二", phone="13900000002")
    services.intention_move(intention=second, move="contact", by=world.admin)
    picture = selectors.funnel_picture(Intention.objects.all())
    assert picture["total"] == 2 and dict(picture["funnel"])["已联系"] == 1
    assert picture["by_university"] == [("清华大学", 2)]
    assert dict(picture["days_in_stage"])["已登记意向"] == 0.0
