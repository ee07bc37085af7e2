"""A talent who applied and whom the nightly 免申即享 scan also finds is paid once: the scan leaves an applicant
to the application, and an application is not approved over an entitlement the person already holds."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rencai.core.roles import Role
from rencai.policies.autogrant import AUTO_SOURCE, scan_policy
from rencai.policies.models import Application, Entitlement, Policy
from rencai.policies.review import application_approve, application_review, application_submit, notice_start
from tests.factories import TalentFactory, UserFactory
from tests.policies.conftest import TODAY

POLICY = "doctor_living_subsidy"


@pytest.fixture
def doctor(world):
    return TalentFactory(zone=world.zone_a, degree="博士", talent_type="全职引进", birth_date=date(1995, 1, 1))


def _apply(world, doctor) -> Application:  # noqa: ANN001
    return application_submit(policy=Policy.objects.get(code=POLICY), beneficiary=doctor, by=world.admin,
                              statement="博士，全职引进")


def _through_notice(world, app: Application) -> Application:  # noqa: ANN001
    second = UserFactory(username="reviewer_once", role=Role.REVIEWER, zone=world.zone_a, city=world.zone_a.city)
    app = application_review(application=app, by=world.reviewer, passed=True)
    app = application_review(application=app, by=second, passed=True)
    [app] = notice_start(applications=[app], by=world.reviewer, start=date(2026, 3, 2))
    return app


def test_the_nightly_scan_leaves_a_talent_with_a_live_application_to_it(world, doctor):
    _apply(world, doctor)
    assert scan_policy(Policy.objects.get(code=POLICY), TODAY) == []
    assert not Entitlement.objects.filter(talent=doctor).exists()


def test_a_rejected_application_does_not_keep_the_scan_away(world, doctor):
    app = _apply(world, doctor)
    application_review(application=app, by=world.reviewer, passed=False, reason="材料不全", clause="第三条")
    assert [e.talent_id for e in scan_policy(Policy.objects.get(code=POLICY), TODAY)] == [doctor.pk]


def test_an_application_is_not_approved_over_an_entitlement_the_person_already_holds(world, doctor, funds):
    [found] = scan_policy(Policy.objects.get(code=POLICY), TODAY)  # the scan came first
    assert found.source == AUTO_SOURCE
    app = _through_notice(world, _apply(world, doctor))
    with pytest.raises(ValidationError, match="已有本政策的兑现资格"):
        application_approve(application=app, by=world.admin, today=date(2026, 3, 20))
    assert Entitlement.objects.filter(talent=doctor).count() == 1
    assert Application.objects.get(pk=app.pk).status == Application.Status.NOTICE
