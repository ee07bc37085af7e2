"""The policy page offers the policy's evaluations (targets registers the link; policies does not import targets)."""

import pytest

from rencai.policies.models import Policy
from rencai.targets import services
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _evaluation(world, code: str, question: str):
    version = Policy.objects.get(code=code).versions.order_by("-number").first()
    return services.evaluation_create(version=version, city=world.zone_a.city, degree="博士", by=world.city_admin,
                                      question=question)


def test_policy_page_links_office_staff_to_that_policys_evaluations(world):
    _evaluation(world, "graduate_intro_reward", "硕博引进奖励是否留住了博士？")
    other = Policy.objects.exclude(code="graduate_intro_reward").filter(versions__isnull=False).first()
    _evaluation(world, other.code, "另一项政策的评估问题")
    policy = Policy.objects.get(code="graduate_intro_reward")
    client = verified_client(world.city_admin)
    page = client.get(f"/policies/{policy.code}/").content.decode()
    link = f"/targets/evaluations/?policy={policy.pk}"
    assert link in page
    listing = client.get(link).content.decode()
    assert "硕博引进奖励是否留住了博士？" in listing and "另一项政策的评估问题" not in listing
    assert "另一项政策的评估问题" in client.get("/targets/evaluations/").content.decode()


def test_a_talent_sees_no_evaluation_link_on_the_policy_page(world):
    policy = Policy.objects.filter(beneficiary_kind="talent").first()
    page = verified_client(world.talent_user).get(f"/policies/{policy.code}/").content.decode()
    assert "/targets/evaluations/" not in page
