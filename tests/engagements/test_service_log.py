"""The service log: the talent logs, only the host confirms or disputes, disputes go to the office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rencai.engagements.compliance import Status
from rencai.engagements.models import ServiceVisit, VisitStatus
from rencai.engagements.services import visit_confirm, visit_dispute, visit_log, visit_resolve
from tests.conftest import verified_client
from tests.engagements.conftest import first_of_last_month, make_agreement


def _log(agreement, user, days_ago: int = 3, length: int = 2) -> ServiceVisit:
    end = timezone.localdate() - timedelta(days=days_ago)
    start = max(end - timedelta(days=length - 1), agreement.starts_on)
    return visit_log(agreement=agreement, by=user, starts_on=start, ends_on=end, work="指导产线调试")


def test_logged_visit_counts_only_after_the_host_confirms(world, agreement):
    visit = _log(agreement, world.talent_user)
    before = agreement.compliance()
    assert (before.days, before.pending_days) == (0, visit.days)
    visit_confirm(visit=visit, by=world.enterprise_user)
    after = agreement.compliance()
    assert (after.days, after.pending_days) == (visit.days, 0)


def test_only_the_host_can_confirm_its_visits(world, agreement):
    visit = _log(agreement, world.talent_user)
    for outsider in (world.enterprise_b_user, world.talent_user, world.admin):
        with pytest.raises(PermissionDenied):
            visit_confirm(visit=visit, by=outsider)
    response = verified_client(world.enterprise_b_user).post(f"/engagements/visits/{visit.pk}/decide/",
                                                              {"decision": "confirm"})
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING


def test_host_confirms_through_the_agreement_page(world, agreement):
    visit = _log(agreement, world.talent_user)
    client = verified_client(world.enterprise_user)
    client.post(f"/engagements/visits/{visit.pk}/decide/", {"decision": "confirm"})
    visit.refresh_from_db()
    assert (visit.status, visit.decided_by) == (VisitStatus.CONFIRMED, world.enterprise_user)
    assert "已确认" in client.get(f"/engagements/{agreement.pk}/").content.decode()


def test_talent_cannot_log_service_for_another(world):
    theirs = make_agreement(world, talent=world.colleague)
    with pytest.raises(PermissionDenied):
        _log(theirs, world.talent_user)
    client = verified_client(world.talent_user)
    assert client.get(f"/engagements/{theirs.pk}/log/").status_code == 404
    today = timezone.localdate().isoformat()
    client.post(f"/engagements/{theirs.pk}/log/", {"starts_on": today, "ends_on": today, "work": "x"})
    assert not ServiceVisit.objects.exists()


def test_talent_logs_from_the_phone_form(world, agreement):
    client = verified_client(world.talent_user)
    end = timezone.localdate()
    start = max(end - timedelta(days=1), agreement.starts_on)
    page = client.get(f"/engagements/{agreement.pk}/log/").content.decode()
    assert "填报服务" in page and 'name="viewport"' in page
    client.post(f"/engagements/{agreement.pk}/log/", {"starts_on": start.isoformat(), "ends_on": end.isoformat(),
                                                      "work": "现场解决烧结开裂问题"})
    visit = ServiceVisit.objects.get()
    assert (visit.agreement, visit.logged_by, visit.status) == (agreement, world.talent_user, VisitStatus.PENDING)


def test_overlapping_or_out_of_term_visits_are_refused(world, agreement):
    _log(agreement, world.talent_user, days_ago=3, length=2)
    with pytest.raises(ValidationError, match="重叠"):
        _log(agreement, world.talent_user, days_ago=2, length=2)
    with pytest.raises(ValidationError, match="服务期"):
        visit_log(agreement=agreement, by=world.talent_user, starts_on=agreement.starts_on - timedelta(days=3),
                  ends_on=agreement.starts_on - timedelta(days=2), work="x")


def test_disputed_visit_goes_to_the_office_and_counts_only_if_accepted(world, agreement):
    visit = _log(agreement, world.talent_user)
    visit_dispute(visit=visit, by=world.enterprise_user, reason="当天未到岗")
    assert agreement.compliance().days == 0
    with pytest.raises(PermissionDenied):
        visit_resolve(visit=visit, by=world.enterprise_user, accept=True, note="")
    visit_resolve(visit=visit, by=world.reviewer, accept=True, note="经核实，有考勤记录")
    assert agreement.compliance().days == visit.days
    rejected = _log(agreement, world.talent_user, days_ago=10)
    visit_dispute(visit=rejected, by=world.enterprise_user, reason="未到岗")
    visit_resolve(visit=rejected, by=world.reviewer, accept=False, note="无记录")
    report = agreement.compliance()
    assert (report.days, report.pending_days) == (visit.days, 0)


def test_confirming_last_months_visit_moves_the_status_off_behind(world, agreement):
    start = first_of_last_month()
    visit = visit_log(agreement=agreement, by=world.talent_user, starts_on=start + timedelta(days=14),
                      ends_on=timezone.localdate(), work="驻企一个月")
    assert agreement.compliance().status == Status.BEHIND
    visit_confirm(visit=visit, by=world.enterprise_user)
    assert agreement.compliance().status == Status.ON_TRACK
