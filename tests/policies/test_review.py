"""Applying and review: 初审 → 复审 → 公示 → 批准, with separation of duties, reasons, resubmission and appeal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.core.lifecycle import history_for
from rencai.core.roles import Role
from rencai.funds.models import AccountKind
from rencai.policies.models import Application, Entitlement, Policy
from rencai.policies.review import (
    add_working_days,
    appeal_answer,
    application_appeal,
    application_approve,
    application_resubmit,
    application_review,
    application_submit,
    notice_start,
)
from tests.factories import UserFactory

S = Application.Status


@pytest.fixture
def second_reviewer(world):
    return UserFactory(username="reviewer_a2", role=Role.REVIEWER, zone=world.zone_a, city=world.zone_a.city)


def submit(world) -> Application:
    return application_submit(policy=Policy.objects.get(code="housing_subsidy"), beneficiary=world.talent,
                              by=world.talent_user, statement="2025年在区内首次购房")


def through_notice(world, second_reviewer) -> Application:
    app = application_review(application=submit(world), by=world.reviewer, passed=True)
    app = application_review(application=app, by=second_reviewer, passed=True)
    [app] = notice_start(applications=[app], by=world.reviewer, start=date(2026, 3, 2))
    return app


@pytest.mark.django_db  # the calendar of holidays and 调休 is in the database
def test_notice_period_counts_working_days_only():
    assert add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 12)  # Fri + Mon–Thu


def test_the_same_person_cannot_do_first_and_second_review(world):
    app = application_review(application=submit(world), by=world.reviewer, passed=True)
    with pytest.raises(ValidationError, match="初审人不能同时复审"):
        application_review(application=app, by=world.reviewer, passed=True)


def test_approval_waits_for_the_end_of_the_notice(world, second_reviewer, funds):
    app = through_notice(world, second_reviewer)
    assert app.notice_until == date(2026, 3, 6)
    with pytest.raises(ValidationError, match="公示期满后才能批准"):
        application_approve(application=app, by=world.admin, today=date(2026, 3, 6))
    app = application_approve(application=app, by=world.admin, today=date(2026, 3, 9), clause="第二条")
    assert app.status == S.APPROVED
    assert app.entitlement.status == Entitlement.Status.APPROVED
    assert funds["district"].balance(AccountKind.COMMITTED) > 0


def test_a_reviewer_of_the_application_cannot_approve_it(world, second_reviewer, funds):
    app = application_review(application=submit(world), by=world.admin, passed=True)
    app = application_review(application=app, by=second_reviewer, passed=True)
    [app] = notice_start(applications=[app], by=world.reviewer, start=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="审核人不能批准"):
        application_approve(application=app, by=world.admin, today=date(2026, 3, 20))


def test_rejection_needs_reasons_and_clause_and_every_decision_cites_the_version(world):
    app = submit(world)
    with pytest.raises(ValidationError, match="理由"):
        application_review(application=app, by=world.reviewer, passed=False)
    with pytest.raises(ValidationError, match="条款"):
        application_review(application=app, by=world.reviewer, passed=False, reason="未满一年")
    app = application_review(application=app, by=world.reviewer, passed=False, reason="在区未满一年", clause="第二条")
    assert app.status == S.REJECTED
    decision = history_for(app).get(move="reject")
    assert (decision.data["version"], decision.data["clause"], decision.reason) == (1, "第二条", "在区未满一年")
    assert (decision.from_state, decision.to_state, decision.by) == ("submitted", "rejected", world.reviewer)


def test_a_rejected_applicant_may_resubmit_and_goes_back_to_first_review(world):
    app = application_review(application=submit(world), by=world.reviewer, passed=False, reason="缺材料",
                             clause="第二条")
    app = application_resubmit(application=app, by=world.talent_user, statement="已补充购房合同")
    assert app.status == S.SUBMITTED


def test_an_appeal_is_decided_by_the_office(world):
    app = application_review(application=submit(world), by=world.reviewer, passed=False, reason="学位不符",
                             clause="第二条")
    app = application_appeal(application=app, by=world.talent_user, text="本人为博士，学位证书已上传")
    assert app.status == S.APPEALED
    with pytest.raises(ValidationError, match="不能对兑现申请.*申诉成立"):
        appeal_answer(application=app, by=world.reviewer, upheld=True, reason="x")
    app = appeal_answer(application=app, by=world.admin, upheld=True, reason="学位证书核实无误")
    assert app.status == S.SUBMITTED


def test_a_second_live_application_for_the_same_policy_is_refused(world):
    submit(world)
    with pytest.raises(ValidationError, match="进行中的申请"):
        submit(world)


def test_approving_in_a_year_without_budget_keeps_the_application_on_notice(world, second_reviewer):
    from tests.policies.conftest import open_funds

    open_funds(world, budget=Decimal("1000"))
    app = through_notice(world, second_reviewer)
    with pytest.raises(ValidationError, match="不足"):
        application_approve(application=app, by=world.admin, today=date(2026, 3, 20))
    assert Application.objects.get(pk=app.pk).status == S.NOTICE
    assert not Entitlement.objects.exists()
