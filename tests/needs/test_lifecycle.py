"""The life of a need: 待审核 → 已发布 → 对接中 → 已对接 → 已解决, or 已关闭 with a reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rencai.core.lifecycle import history_for
from rencai.core.models import AuditEvent
from rencai.needs.models import Kind, Need, Status
from rencai.needs.services import need_transition
from tests.conftest import verified_client
from tests.needs.conftest import make_need


def _submit(client, enterprise, **overrides):
    data = {"enterprise": enterprise.pk, "kind": "技术攻关", "title": "烧结钕铁硼晶界扩散降镝", "level": "不限",
            "description": "希望降低重稀土用量", "field_text": "材料科学与工程", "expected_talent": "博士，材料方向",
            "headcount": 2, "urgency": "较急", "deadline": "2030-06-30"} | overrides
    return client.post("/needs/new/", data)


def test_enterprise_user_submits_a_need_that_waits_for_review(world):
    response = _submit(verified_client(world.enterprise_user), world.enterprise)
    need = Need.objects.get(title="烧结钕铁硼晶界扩散降镝")
    assert response.status_code == 302
    assert need.status == Status.PENDING and need.source == "enterprise"
    assert need.discipline_code == "0805" and need.level == "博士"
    assert list(history_for(need).values_list("to_state", "by")) == [(Status.PENDING, world.enterprise_user.pk)]


def test_enterprise_user_cannot_submit_for_another_enterprise(world):
    response = _submit(verified_client(world.enterprise_user), world.enterprise_b)
    assert response.status_code == 200  # the form comes back with an error
    assert not Need.objects.exists()


def test_reviewer_publishes_a_need_and_the_history_keeps_who_and_when(world, need_a):
    client = verified_client(world.reviewer)
    response = client.post(f"/needs/{need_a.pk}/move/", {"to": "published", "reason": "材料齐全"})
    assert response.status_code == 302
    need_a.refresh_from_db()
    assert need_a.status == Status.PUBLISHED
    last = history_for(need_a).last()
    assert (last.from_state, last.to_state, last.by, last.reason) == ("pending", "published", world.reviewer,
                                                                      "材料齐全")
    assert AuditEvent.objects.filter(object_type="needs.need", object_id=str(need_a.pk), action="update").exists()
    page = verified_client(world.enterprise_user).get(f"/needs/{need_a.pk}/").content.decode()
    assert "已发布" in page and "材料齐全" in page and str(world.reviewer) in page


def test_a_need_walks_its_whole_life(world, need_a):
    for to in ("published", "matching", "matched"):
        need_transition(need=need_a, to=to, by=world.reviewer)
    need_transition(need=need_a, to="solved", by=world.enterprise_user)
    need_a.refresh_from_db()
    assert need_a.status == Status.SOLVED
    assert [h.to_state for h in history_for(need_a)] == ["pending", "published", "matching", "matched", "solved"]


def test_a_forbidden_move_is_refused_in_chinese(world, need_a):
    with pytest.raises(ValidationError, match="需求“钕铁硼磁体研发博士”当前为待审核，不能改为已解决"):
        need_transition(need=need_a, to="solved", by=world.reviewer)


def test_enterprise_user_cannot_publish_their_own_need(world, need_a):
    client = verified_client(world.enterprise_user)
    client.post(f"/needs/{need_a.pk}/move/", {"to": "published"})
    need_a.refresh_from_db()
    assert need_a.status == Status.PENDING
    refused = client.get(f"/needs/{need_a.pk}/").content.decode()
    assert "您的角色（企业用户）不能对需求“钕铁硼磁体研发博士”进行“审核通过并发布”" in refused
    assert "审核通过并发布" not in client.get(f"/needs/{need_a.pk}/").content.decode()  # and no such button


def test_closing_needs_a_reason(world, need_a):
    with pytest.raises(ValidationError, match="必须填写原因"):
        need_transition(need=need_a, to="closed", by=world.enterprise_user, reason="  ")
    need_transition(need=need_a, to="closed", by=world.enterprise_user, reason="已自行招聘到位")
    need_a.refresh_from_db()
    assert (need_a.status, need_a.closed_reason) == (Status.CLOSED, "已自行招聘到位")


def test_reviewer_queue_shows_what_waits_and_what_is_overdue(world, need_a):
    late = make_need(world.enterprise, world.admin, title="过期的科研助理岗位", kind=Kind.ASSISTANT,
                     deadline=timezone.localdate() - timedelta(days=3))
    page = verified_client(world.reviewer).get("/needs/queue/").content.decode()
    pending, overdue = page.split("已逾期未办结")
    assert need_a.title in pending and late.title not in pending
    assert late.title in overdue


def test_needs_past_their_deadline_stand_out_in_the_list(world, need_a):
    late = make_need(world.enterprise, world.admin, title="过期的人才引进需求", deadline=date(2020, 1, 1))
    client = verified_client(world.admin)
    page = client.get("/needs/").content.decode()
    assert page.count("已逾期") == 1
    only_overdue = client.get("/needs/", {"overdue": timezone.localdate().isoformat()}).content.decode()
    assert late.title in only_overdue and need_a.title not in only_overdue
    need_transition(need=late, to="closed", by=world.admin, reason="岗位取消")
    assert "已逾期" not in client.get("/needs/").content.decode()


def test_enterprise_sees_where_its_needs_stand(world, need_a, need_b):
    page = verified_client(world.enterprise_user).get("/needs/mine/").content.decode()
    assert need_a.title in page and need_b.title not in page
    assert "待审核（1）" in page


def test_research_assistant_posts_count_posted_and_filled(world):
    post = make_need(world.enterprise, world.admin, kind=Kind.ASSISTANT, title="科研助理", headcount=5)
    client = verified_client(world.enterprise_user)
    client.post(f"/needs/{post.pk}/filled/", {"filled": 3})
    post.refresh_from_db()
    assert post.filled == 3
    client.post(f"/needs/{post.pk}/filled/", {"filled": 6})
    post.refresh_from_db()
    assert post.filled == 3  # more than were posted is refused


def test_staff_entered_need_is_published_at_once(world):
    client = verified_client(world.reviewer)
    response = _submit(client, world.enterprise, title="走访中记录的需求")
    assert response.status_code == 302
    need = Need.objects.get(title="走访中记录的需求")
    assert (need.status, need.source) == (Status.PUBLISHED, "staff")


def test_a_move_named_but_not_allowed_from_here_is_refused_naming_the_states(world, need_a):
    with pytest.raises(ValidationError, match="需求“钕铁硼磁体研发博士”当前为待审核，不能确认已解决"):
        need_transition(need=need_a, move="solve", by=world.reviewer)
    assert Need.objects.get(pk=need_a.pk).status == Status.PENDING
    assert list(history_for(need_a).values_list("move", flat=True)) == ["create"]


def test_reviewer_returns_a_need_for_revision_and_the_enterprise_resubmits_it(world, need_a):
    office = verified_client(world.reviewer)
    office.post(f"/needs/{need_a.pk}/move/", {"move": "return", "reason": ""})
    assert Need.objects.get(pk=need_a.pk).status == Status.PENDING  # no reason, no return
    office.post(f"/needs/{need_a.pk}/move/", {"move": "return", "reason": "请补充岗位的薪酬范围"})
    assert Need.objects.get(pk=need_a.pk).status == Status.RETURNED

    enterprise = verified_client(world.enterprise_user)
    page = enterprise.get(f"/needs/{need_a.pk}/").content.decode()
    assert "退回修改" in page and "请补充岗位的薪酬范围" in page and "修改后重新提交" in page
    assert "审核通过并发布" not in page
    assert enterprise.get(f"/needs/{need_a.pk}/edit/").status_code == 200  # the enterprise may edit it now
    enterprise.post(f"/needs/{need_a.pk}/move/", {"move": "resubmit", "reason": "已补充薪酬：年薪30万起"})
    need_a.refresh_from_db()
    assert need_a.status == Status.PENDING
    assert [(h.move, h.by) for h in history_for(need_a)][1:] == [("return", world.reviewer),
                                                                 ("resubmit", world.enterprise_user)]
    assert "审核通过并发布" in office.get(f"/needs/{need_a.pk}/").content.decode()


def test_the_office_cannot_resubmit_for_the_enterprise(world, need_a):
    need_transition(need=need_a, move="return", by=world.reviewer, reason="材料不全")
    with pytest.raises(ValidationError, match="不能对需求“钕铁硼磁体研发博士”进行“修改后重新提交”"):
        need_transition(need=need_a, move="resubmit", by=world.reviewer)
