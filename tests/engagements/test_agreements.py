"""Making, seeing, adjusting and ending agreements; the link from a matching pairing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rencai.core.lifecycle import history_for
from rencai.engagements.models import Agreement, AgreementStatus, Mode, ServiceVisit, VisitStatus
from rencai.engagements.services import agreement_adjust, agreement_create_from_pairing, agreement_end
from rencai.needs.models import Need
from tests.conftest import verified_client
from tests.engagements.conftest import make_agreement


def test_pairing_becomes_an_agreement_on_the_programme_terms_for_one_year(world, programme):
    need = Need.objects.create(enterprise=world.enterprise, title="晶界扩散工艺", description="降低镝用量")
    agreement = agreement_create_from_pairing(talent=world.talent, enterprise=world.enterprise, need=need,
                                              mode=Mode.DOCTOR, by=world.admin, starts_on=date(2026, 3, 1),
                                              pairing_ref="P-2026-007", programme=programme)
    assert agreement.ends_on == date(2027, 2, 28)
    assert (agreement.days_per_year, agreement.visits_per_month, agreement.days_per_visit) == (24, 1, 2)
    assert agreement.institution == world.institution  # the talent's sending unit
    assert list(agreement.needs.all()) == [need] and agreement.pairing_ref == "P-2026-007"
    assert history_for(agreement).get().move == "create"


def test_new_agreement_has_the_1_plus_n_projects(world, agreement):
    projects = list(agreement.projects.values_list("lead", "title"))
    assert projects == [(True, "钕铁硼晶界扩散"), (False, "废料回收")]


def test_office_makes_an_agreement_through_the_form(world):
    client = verified_client(world.admin)
    response = client.post("/engagements/new/", {
        "talent": world.talent.pk, "enterprise": world.enterprise.pk, "mode": Mode.WEEKEND,
        "starts_on": "2026-01-15", "visits_per_month": 2, "days_per_visit": 2, "days_per_year": 40,
        "provides_transport": "on", "lead_project": "永磁电机检测", "service_projects": "培训\n工艺改进"})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert (agreement.ends_on, agreement.visits_per_month, agreement.days_per_year) == (date(2027, 1, 14), 2, 40)
    assert agreement.provides_transport and not agreement.provides_meals
    assert agreement.projects.count() == 3


def test_parties_see_their_agreements_and_nobody_else_does(world, agreement):
    other = make_agreement(world, talent=world.talent_b, enterprise=world.enterprise_b)
    seen = {u: set(Agreement.objects.visible_to(u)) for u in
            (world.admin, world.city_admin, world.enterprise_user, world.enterprise_b_user, world.talent_user,
             world.liaison)}
    assert seen[world.admin] == {agreement}  # zone A staff
    assert seen[world.city_admin] == {agreement, other}
    assert seen[world.enterprise_user] == {agreement} and seen[world.enterprise_b_user] == {other}
    assert seen[world.talent_user] == {agreement} and seen[world.liaison] == {agreement}
    assert verified_client(world.enterprise_b_user).get(f"/engagements/{agreement.pk}/").status_code == 404
    page = verified_client(world.liaison).get("/engagements/").content.decode()
    assert "王建国" in page and "李晓梅" not in page


def test_every_party_opens_the_agreement_page(world, agreement):
    for user in (world.admin, world.reviewer, world.finance, world.enterprise_user, world.talent_user,
                 world.liaison):
        response = verified_client(user).get(f"/engagements/{agreement.pk}/")
        assert response.status_code == 200, user.role
        assert "逐月履约" in response.content.decode()


def test_ending_early_stops_counting_and_logging(world, agreement):
    visit = ServiceVisit.objects.create(agreement=agreement, starts_on=agreement.starts_on + timedelta(days=9),
                                        ends_on=agreement.starts_on + timedelta(days=12), work="x",
                                        logged_by=world.talent_user, status=VisitStatus.CONFIRMED)
    ended_on = agreement.starts_on + timedelta(days=10)
    with pytest.raises(PermissionDenied):
        agreement_end(agreement=agreement, by=world.enterprise_user, ended_on=ended_on, reason="服务不力")
    with pytest.raises(ValidationError, match="原因"):
        agreement_end(agreement=agreement, by=world.admin, ended_on=ended_on, reason=" ")
    agreement = agreement_end(agreement=agreement, by=world.admin, ended_on=ended_on, reason="企业申请终止")
    report = agreement.compliance()
    assert agreement.status == AgreementStatus.ENDED
    assert report.days == 2 and len(report.months) == 1 and visit.days == 4
    assert history_for(agreement).last().move == "end"


def test_host_requests_and_office_adjusts_with_history(world, agreement):
    client = verified_client(world.enterprise_user)
    client.post(f"/engagements/{agreement.pk}/request/", {"reason": "希望改为每月两次"})
    assert history_for(agreement).filter(move="request_change", by=world.enterprise_user).exists()
    with pytest.raises(PermissionDenied):
        agreement_adjust(agreement=agreement, by=world.enterprise_user, reason="x", visits_per_month=2)
    agreement_adjust(agreement=agreement, by=world.admin, reason="企业申请", visits_per_month=2)
    change = history_for(agreement).get(move="adjust")
    assert change.data["fields"] == {"visits_per_month": ["1", "2"]}
    assert change.data["changes"] == {"每月至少到岗次数": "1 → 2"}
    page = verified_client(world.talent_user).get(f"/engagements/{agreement.pk}/").content.decode()
    assert "每月至少到岗次数：1 → 2" in page and "企业申请" in page
    assert agreement.compliance().months[0].required_visits == 2


def test_replacement_is_offered_for_the_same_need(world, agreement):
    need = Need.objects.create(enterprise=world.enterprise, title="晶界扩散工艺", description="降低镝用量")
    agreement.needs.add(need)
    agreement_end(agreement=agreement, by=world.admin, ended_on=timezone.localdate(), reason="调整人选")
    client = verified_client(world.admin)
    form = client.get(f"/engagements/new/?replaces={agreement.pk}").content.decode()
    assert "接替" in form
    client.post(f"/engagements/new/?replaces={agreement.pk}", {
        "talent": world.colleague.pk, "enterprise": world.enterprise.pk, "mode": Mode.DOCTOR,
        "starts_on": timezone.localdate().isoformat(), "visits_per_month": 1, "days_per_visit": 2,
        "days_per_year": 30, "needs": [need.pk]})
    replacement = Agreement.objects.get(talent=world.colleague)
    assert replacement.replaces == agreement and list(replacement.needs.all()) == [need]
    assert history_for(agreement).filter(move="replaced").exists()


def test_agreement_form_starts_from_the_programme_terms(world, programme):
    page = verified_client(world.admin).get(f"/engagements/new/?programme={programme.pk}").content.decode()
    assert 'name="days_per_year" value="24"' in page


def test_api_lists_own_agreements_with_compliance_and_refuses_writes(world, agreement):
    from rest_framework.authtoken.models import Token

    def client(user):
        from django.test import Client

        return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")

    rows = client(world.talent_user).get("/api/v1/agreements/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["talent_name"] for r in rows] == ["王建国"]
    assert rows[0]["compliance"]["status"] == "behind" and rows[0]["compliance"]["required_days"] == 30
    assert client(world.enterprise_b_user).get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404
    assert client(world.admin).post("/api/v1/agreements/", {}).status_code in (403, 405)


def test_export_has_the_compliance_columns(world, agreement):
    import io

    from openpyxl import load_workbook

    response = verified_client(world.admin).get("/engagements/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "履约状态" in r)
    data = rows[rows.index(header) + 1]
    assert data[header.index("人才")] == "王建国" and data[header.index("履约状态")] == "落后"
