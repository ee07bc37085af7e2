"""安家/购房补贴 asked for at the one-stop hall is paid only through 政策兑现 and the fund: the request submits
the policy's application (or links the entitlement the talent already has), and from there the policy's own path
holds — two reviewers, 公示, an approver who reviewed neither reserves the budget, the talent confirms the account,
finance (not the approver) pays. Onestop itself never moves money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.core.roles import Role
from rencai.funds.models import AccountKind
from rencai.onestop import services
from rencai.onestop.models import ServiceRequest
from rencai.policies.models import AUTO_SOURCE, Application, Entitlement, Policy
from rencai.policies.review import application_approve, application_review, notice_start
from rencai.policies.services import entitlement_grant, instalment_pay
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.onestop.builders import bureau, item
from tests.policies.conftest import confirm_bank, open_funds

pytestmark = pytest.mark.django_db


@pytest.fixture
def subsidy(world):  # type: ignore[no-untyped-def]
    """A B-tier full-time talent, the catalog's 安家/购房补贴 tied to the example 安家补贴 policy (B类 50万元)."""
    city = world.zone_a.city
    housing = bureau(city, "housing", "包头市住建局")
    world.talent.tier, world.talent.talent_type = "B", "全职引进"
    world.talent.save()
    row = item(city, "housing_subsidy", "安家/购房补贴", bureaus=[housing], tiers=["A", "B", "C", "D"],
               talent_types=["全职引进"], policy=Policy.objects.get(code="settlement_subsidy"))
    return row


def test_asking_for_the_subsidy_submits_the_policys_application(world, subsidy):  # type: ignore[no-untyped-def]
    sr = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, details="2026年购房",
                                 on=date(2026, 3, 2))
    app = sr.policy_application
    assert app is not None and app.status == Application.Status.SUBMITTED
    assert (app.policy.code, app.talent, app.applicant) == ("settlement_subsidy", world.talent, world.talent_user)
    assert f"服务申请 #{sr.pk}" in app.statement
    assert not Entitlement.objects.exists()  # nothing granted, nothing reserved, until the review has run


def test_the_money_follows_the_policy_path_to_the_fund(world, subsidy):  # type: ignore[no-untyped-def]
    funds = open_funds(world)
    second = UserFactory(username="reviewer_a2", role=Role.REVIEWER, zone=world.zone_a, city=world.zone_a.city)
    sr = services.request_create(talent=world.talent, item=subsidy, by=world.admin, on=date(2026, 3, 2))
    app = application_review(application=sr.policy_application, by=world.reviewer, passed=True)
    with pytest.raises(ValidationError, match="初审人不能同时复审"):
        application_review(application=app, by=world.reviewer, passed=True)
    app = application_review(application=app, by=second, passed=True)
    [app] = notice_start(applications=[app], by=world.reviewer, start=date(2026, 3, 2))
    app = application_approve(application=app, by=world.admin, today=date(2026, 3, 20), clause="第七条")
    sr = ServiceRequest.objects.get(pk=sr.pk)
    ent = sr.entitlement
    assert ent is not None and ent.status == Entitlement.Status.APPROVED and ent.amount == Decimal("500000")
    assert funds["city"].balance(AccountKind.COMMITTED) + funds["district"].balance(AccountKind.COMMITTED) \
        == Decimal("500000")
    first = ent.instalments.get(seq=1)
    with pytest.raises(ValidationError, match="收款账户尚未由兑现对象确认"):
        instalment_pay(instalment=first, idempotency_key="os-1", by=world.finance)
    confirm_bank(ent, world)
    instalment_pay(instalment=first, idempotency_key="os-1", by=world.finance)
    paid = funds["city"].balance(AccountKind.PAID) + funds["district"].balance(AccountKind.PAID)
    assert paid == first.amount == Decimal("200000.00")  # 40% in the first year


def test_a_talent_with_the_entitlement_already_gets_it_linked_not_a_second_one(world, subsidy):  # type: ignore[no-untyped-def]
    had = entitlement_grant(policy_code="settlement_subsidy", beneficiary=world.talent, source=AUTO_SOURCE,
                            by=world.admin, today=date(2026, 3, 2))
    sr = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 2))
    assert sr.policy_entitlement == had and sr.policy_application is None
    assert not Application.objects.exists()
    again = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 3))
    assert again.policy_entitlement == had and Entitlement.objects.count() == 1


def test_a_live_application_is_linked_and_a_closed_policy_refuses_the_request(world, subsidy):  # type: ignore[no-untyped-def]
    first = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 2))
    second = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 3))
    assert second.policy_application == first.policy_application and Application.objects.count() == 1
    Application.objects.all().delete()
    Policy.objects.filter(code="settlement_subsidy").update(active=False)
    before = ServiceRequest.objects.count()
    with pytest.raises(ValidationError, match="停止受理"):
        services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 4))
    assert ServiceRequest.objects.count() == before  # the request and its tasks are rolled back with it


def test_the_request_page_shows_the_money_part_to_each_as_far_as_they_may_see(world, subsidy):  # type: ignore[no-untyped-def]
    sr = services.request_create(talent=world.talent, item=subsidy, by=world.talent_user, on=date(2026, 3, 2))
    talent_page = verified_client(world.talent_user).get(f"/services/requests/{sr.pk}/").content.decode()
    assert "政策兑现" in talent_page and "待初审" in talent_page
    office_page = verified_client(world.admin).get(f"/services/requests/{sr.pk}/").content.decode()
    assert f"/policies/applications/{sr.policy_application_id}/" in office_page
    housing_staff = UserFactory(username="bureau_housing", role=Role.BUREAU, city=world.zone_a.city,
                                bureau=subsidy.bureaus.get())
    bureau_page = verified_client(housing_staff).get(f"/services/requests/{sr.pk}/").content.decode()
    assert "政策兑现" in bureau_page and "/policies/applications/" not in bureau_page


def test_the_catalog_form_offers_only_talent_policies(world, subsidy):  # type: ignore[no-untyped-def]
    page = verified_client(world.admin).get(f"/services/items/{subsidy.pk}/edit/").content.decode()
    assert "高层次人才安家补贴" in page
    assert "博士后科研工作站设站一次性资助" not in page  # an enterprise's policy
