"""Writes out of views: a new policy and a new version are services with their audit entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rencai.core.models import AuditEvent
from rencai.policies.models import Policy, PolicyVersion
from rencai.policies.services import policy_create, policy_version_create
from tests.conftest import verified_client

VERSION = {"clauses": "第二条 博士", "effective_from": "2026-01-01", "amount": "20000", "notice_days": 5,
           "conditions": '[{"label": "博士学位", "expr": "talent.degree == \\"博士\\"", "clause": "第二条"}]',
           "schedule": '[{"after_months": 0, "share": "1"}]', "level_shares": '{"district": "1"}',
           "required_documents": "[]"}


def test_an_admin_creates_a_policy_then_writes_its_first_version(world):
    client = verified_client(world.city_admin)  # policies are city-wide
    response = client.post("/policies/new/", {"code": "phd_bonus", "title": "博士一次性奖励",
                                              "doc_number": "示例〔2026〕1号", "beneficiary_kind": "talent"})
    assert response.status_code == 302 and response["Location"] == "/policies/phd_bonus/new-version/"
    assert client.post("/policies/phd_bonus/new-version/", VERSION).status_code == 302
    version = PolicyVersion.objects.get(policy__code="phd_bonus")
    assert version.number == 1 and version.created_by == world.city_admin
    assert AuditEvent.objects.filter(object_type="policies.policy", action="create").exists()
    assert AuditEvent.objects.filter(object_type="policies.policyversion", detail__version=1).exists()


def test_a_taken_policy_code_is_refused_in_chinese(world):
    page = verified_client(world.city_admin).post("/policies/new/", {"code": "housing_subsidy", "title": "重复",
                                                                "beneficiary_kind": "talent"})
    assert "政策代码" in page.content.decode() and Policy.objects.filter(code="housing_subsidy").count() == 1


def test_only_an_office_admin_writes_policies(world):
    with pytest.raises(ValidationError, match="只有人才办管理员可以新建政策"):
        policy_create(code="x1", title="x", beneficiary_kind="talent", by=world.reviewer)
    policy = Policy.objects.get(code="housing_subsidy")
    with pytest.raises(ValidationError, match="只有人才办管理员可以修订政策"):
        policy_version_create(policy=policy, version=PolicyVersion(clauses="x"), by=world.reviewer)


def test_each_new_version_takes_the_next_number(world):
    policy = Policy.objects.get(code="housing_subsidy")
    current = policy.current_version
    fields = {f: getattr(current, f) for f in ("clauses", "effective_from", "conditions", "amount", "schedule",
                                                "level_shares", "notice_days")}
    second = policy_version_create(policy=policy, version=PolicyVersion(**fields, change_note="提高"), by=world.admin)
    third = policy_version_create(policy=policy, version=PolicyVersion(**fields), by=world.admin)
    assert (second.number, third.number) == (current.number + 1, current.number + 2)
