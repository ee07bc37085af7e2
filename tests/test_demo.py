"""The demo city: loaded once into the test database (rolled back afterwards) and looked at as a clerk would."""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.lifecycle import history_for
from rencai.core.models import AuditEvent, Notice, User, Zone
from rencai.core.roles import STAFF, Role
from rencai.core.validators import (
    credit_code_problem,
    id_number_problem,
    is_valid_mobile,
)
from rencai.demo.accounts import DEVICE_NAME, OTP_HINT
from rencai.demo.data import DEMO_PASSWORD
from rencai.demo.generate import build_demo
from rencai.engagements.models import Agreement, Outcome, Programme, ServiceVisit, VisitStatus
from rencai.engagements.services import outcome_totals
from rencai.needs.models import Campaign, CatalogEdition, Kind, Need, Status, Visit
from rencai.orgs.models import Enterprise, EnterpriseContact, Institution
from rencai.policies.models import Entitlement
from rencai.postdoc.models import Partner, Postdoc, PostdocStage, Stage, Station, StationKind
from rencai.postdoc.notices import DEADLINE
from rencai.talents.models import Talent

SEED = 7
DEMO_ZONES = ("xitu", "kundulun", "jiuyuan")
USERNAMES = ("admin", "city_admin", "reviewer", "finance", "enterprise", "talent", "liaison", "bureau", "expert",
             "partner", "evaluator")


@dataclass
class Loaded:
    output: str


def load(*args: str) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", "--seed", str(SEED), *args, stdout=out)
    return out.getvalue()


def demo_token(username: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_otp", username, stdout=out, stderr=err)
    return out.getvalue().strip()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[Loaded]:
    """Load once for the module inside a transaction that is rolled back, so other tests never see it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield Loaded(output=load())
        transaction.set_rollback(True)


def demo_talents():
    return Talent.objects.filter(zone__code__in=DEMO_ZONES)


def counts() -> dict[str, int]:
    return {"zones": Zone.objects.filter(code__in=DEMO_ZONES).count(), "institutions": Institution.objects.count(),
            "enterprises": Enterprise.objects.filter(zone__code__in=DEMO_ZONES).count(),
            "talents": demo_talents().count(),
            "needs": Need.objects.filter(enterprise__zone__code__in=DEMO_ZONES).count(),
            "visits": Visit.objects.count(), "editions": CatalogEdition.objects.count(),
            "agreements": Agreement.objects.count(), "service_visits": ServiceVisit.objects.count(),
            "outcomes": Outcome.objects.count(), "stations": Station.objects.count(),
            "postdocs": Postdoc.objects.count()}


def log_in(username: str) -> Client:
    """Log in through the pages, as a person does; staff then type the code demo_otp shows."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if User.objects.get(username=username).role in STAFF:
        assert client.get("/").url.startswith("/otp/verify/")
        response = client.post("/otp/verify/", {"token": demo_token(username)})
        assert response.status_code == 302, response.content.decode()[:500]
    return client


# --- what was loaded -----------------------------------------------------------------------------------------


def test_demo_city_has_three_zones_twenty_institutions_eighty_enterprises_and_about_300_talents(demo, db):
    assert counts()["zones"] == 3
    assert set(Zone.objects.filter(code__in=DEMO_ZONES).values_list("city__name", flat=True)) == {"包头市"}
    assert counts()["institutions"] >= 20
    assert counts()["enterprises"] >= 80
    assert 280 <= counts()["talents"] <= 320
    assert "人才 300 名" in demo.output


def test_every_id_number_credit_code_and_mobile_passes_its_check(demo, db):
    for talent in demo_talents():
        assert id_number_problem(talent.id_number) is None, (talent.name, talent.id_number)
        assert talent.id_number[6:14] == f"{talent.birth_date:%Y%m%d}"
        assert int(talent.id_number[16]) % 2 == (1 if talent.gender == "男" else 0)
        assert is_valid_mobile(talent.phone)
    for enterprise in Enterprise.objects.filter(zone__code__in=DEMO_ZONES):
        assert credit_code_problem(enterprise.credit_code) is None, (enterprise.name, enterprise.credit_code)
        assert enterprise.credit_code[2:6] == "1502"  # registered in Baotou
    phones = EnterpriseContact.objects.filter(enterprise__zone__code__in=DEMO_ZONES).values_list("phone", flat=True)
    assert phones and all(is_valid_mobile(phone) for phone in phones)


def test_every_tier_from_a_to_e_occurs_mostly_given_by_the_rules(demo, db):
    tiers = Counter(demo_talents().values_list("tier", flat=True))
    assert {"A", "B", "C", "D", "E"} <= set(tiers)
    assert tiers["A"] + tiers["B"] < tiers["C"] < tiers["D"] < tiers["E"]  # a pyramid, as offices report
    manual = demo_talents().filter(tier_manual=True)
    assert 0 < manual.count() <= 10
    assert demo_talents().filter(tier_manual=False).exclude(tier="").filter(tier_rule__isnull=False).count() > 250


def test_each_talent_gets_the_tier_the_demo_meant_for_them(demo, db):
    """The profiles were written against the default tier rules; a rule change that breaks them shows here."""
    from rencai.core.crypto import lookup_hash

    meant = {lookup_hash(t.id_number): t.expected_tier for t in build_demo(SEED).talents}
    got = dict(demo_talents().values_list("id_number_hash", "tier"))
    assert got == meant


def test_enterprises_show_three_years_of_indicators_and_some_have_not_cleared_the_three_zeros(demo, db):
    enterprises = Enterprise.objects.filter(zone__code__in=DEMO_ZONES).prefetch_related("indicators", "platforms")
    years = [sorted(e.indicators.all(), key=lambda i: i.year) for e in enterprises]
    assert all(len(rows) >= 2 for rows in years)
    latest = [rows[-1] for rows in years]
    assert sum(not i.three_zeros_cleared for i in latest) >= 5
    assert sum(i.three_zeros_cleared for i in latest) >= 50
    platforms = [p for e in enterprises for p in e.platforms.all()]
    kinds = Counter(p.kind for p in platforms)
    assert kinds["postdoc_station"] >= 5 and kinds["academician"] >= 1 and kinds["enclave"] >= 1
    assert {p.location for p in platforms if p.kind == "enclave"} & {"北京", "上海"}


def test_flexible_talents_and_doctors_come_from_sending_units(demo, db):
    for talent_type in ("柔性引进", "博士服务", "博士后"):
        talents = demo_talents().filter(talent_type=talent_type)
        assert talents.exists(), talent_type
        assert not talents.filter(institution__isnull=True).exists(), talent_type
    assert not demo_talents().filter(talent_type="柔性引进", flexible_mode="").exists()
    assert demo_talents().filter(name__in=["巴特尔", "乌云其木格", "其其格", "斯琴", "朝鲁", "苏日娜", "娜仁",
                                           "孟和", "宝音", "额尔敦", "托娅", "塔娜", "乌兰", "高娃"]).exists()


# --- log-ins --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", USERNAMES)
def test_every_demo_user_logs_in_with_the_printed_password(demo, db, username):
    client = log_in(username)
    assert client.get("/").status_code == 200
    assert username in demo.output


def test_staff_have_a_confirmed_authenticator_whose_printed_key_gives_the_current_code(demo, db):
    for user in User.objects.filter(username__in=USERNAMES, role__in=STAFF):
        device = TOTPDevice.objects.get(user=user, name=DEVICE_NAME)
        assert device.confirmed
        assert base64.b32encode(device.bin_key).decode() in demo.output
        assert device.verify_token(demo_token(user.username))
    assert OTP_HINT in demo.output
    assert set(User.objects.filter(username__in=USERNAMES).values_list("role", flat=True)) == set(Role.values)


def test_city_admin_sees_all_zones_and_the_zone_admin_only_hers(demo, db):
    city_admin, admin = User.objects.get(username="city_admin"), User.objects.get(username="admin")
    assert city_admin.zone is None and admin.zone.code == "xitu"
    everyone = Talent.objects.visible_to(city_admin).filter(zone__code__in=DEMO_ZONES).count()
    assert Talent.objects.visible_to(admin).count() < everyone == counts()["talents"]


def test_external_users_see_their_own_enterprise_profile_and_institution(demo, db):
    enterprise_user = User.objects.get(username="enterprise")
    assert Enterprise.objects.visible_to(enterprise_user).count() == 1
    talent_user = User.objects.get(username="talent")
    assert list(Talent.objects.visible_to(talent_user)) == [talent_user.talent_profile]
    liaison = User.objects.get(username="liaison")
    assert Talent.objects.visible_to(liaison).count() >= 3
    assert talent_user.talent_profile.institution in Institution.objects.visible_to(liaison)


# --- needs -----------------------------------------------------------------------------------------------------


def test_the_campaign_visited_fifty_of_sixty_planned_enterprises_with_three_bureaus(demo, db):
    campaign = Campaign.objects.get(name="2026年入企问需")
    assert campaign.bureaus == ["科技局", "工信局", "农牧局"]
    assert campaign.enterprises.count() == 60
    assert campaign.visits.values("enterprise").distinct().count() == 50
    assert set(campaign.visits.values_list("bureau", flat=True)) == {"科技局", "工信局", "农牧局"}
    assert all(v.findings for v in campaign.visits.all())


def test_about_ninety_needs_of_every_kind_and_status_spread_over_the_year(demo, db):
    needs = Need.objects.filter(enterprise__zone__code__in=DEMO_ZONES)
    assert 80 <= needs.count() <= 100
    assert set(needs.values_list("kind", flat=True)) == set(Kind.values)
    assert set(needs.values_list("status", flat=True)) == set(Status.values)
    assert all(n.closed_reason for n in needs.filter(status=Status.CLOSED))
    assert len({n.created_at.strftime("%Y-%m") for n in needs}) >= 12
    assert any(n.is_overdue for n in needs)
    assistants = needs.filter(kind=Kind.ASSISTANT)
    assert all(n.headcount >= 2 for n in assistants) and any(n.filled for n in assistants)
    assert all(history_for(n).exists() for n in needs)


def test_the_demo_enterprise_sees_its_needs_in_several_statuses(demo, db):
    client = log_in("enterprise")
    mine = Need.objects.visible_to(User.objects.get(username="enterprise"))
    assert mine.values("status").distinct().count() >= 3
    page = client.get("/needs/mine/").content.decode()
    assert all(n.title in page for n in mine)


def test_the_city_has_a_published_scarce_talent_catalog(demo, db):
    edition = CatalogEdition.objects.get(city__name="包头市", zone=None)
    assert edition.version == 1 and edition.lines.count() > 5


# --- postdoc ---------------------------------------------------------------------------------------------------


def test_stations_run_through_every_stage_and_approved_ones_carry_date_and_number(demo, db):
    stations = Station.objects.filter(kind=StationKind.STATION)
    assert set(stations.values_list("stage", flat=True)) == set(Stage.values)
    assert Station.objects.filter(kind=StationKind.BASE).count() == 2
    opened = Station.objects.filter(stage__in=(Stage.APPROVED, Stage.OPERATING))
    assert opened.count() >= 5 and all(s.approved_on and s.approval_number for s in opened)
    assert all(history_for(s).exists() for s in Station.objects.all())
    assert Partner.objects.filter(two_cities=True).count() == 1


def test_twelve_postdocs_at_every_milestone_with_deadlines_soon_and_one_overdue(demo, db):
    postdocs = Postdoc.objects.all()
    assert postdocs.count() == 12
    assert set(postdocs.values_list("stage", flat=True)) == set(PostdocStage.values)
    assert set(postdocs.values_list("talent__talent_type", flat=True)) == {"博士后"}
    today = timezone.localdate()
    days = [(d[1] - today).days for p in postdocs if (d := p.next_deadline())]
    assert sum(0 <= n <= 30 for n in days) >= 3 and sum(n < 0 for n in days) == 1
    assert Notice.objects.filter(kind=DEADLINE).exists()


def test_entering_postdocs_and_approving_stations_granted_their_subsidies(demo, db):
    assert Entitlement.objects.filter(source__startswith="postdoc.postdoc:").count() == 12
    assert Entitlement.objects.filter(source__startswith="postdoc.station:").exists()


# --- engagements -----------------------------------------------------------------------------------------------


def test_the_doctor_programme_has_fifteen_agreements_with_doctors_started_eight_months_ago(demo, db):
    programme = Programme.objects.get(name="高校博士服务行动（第一批）")
    agreements = Agreement.objects.filter(programme=programme)
    assert agreements.count() == 15
    assert set(agreements.values_list("talent__talent_type", flat=True)) == {"博士服务"}
    today = timezone.localdate()
    assert all(220 <= (today - a.starts_on).days <= 260 and a.ends_on > today for a in agreements)


def test_the_service_log_is_mostly_confirmed_with_some_pending_one_disputed_and_mixed_compliance(demo, db):
    visits = ServiceVisit.objects.filter(agreement__programme__name="高校博士服务行动（第一批）")
    statuses = Counter(visits.values_list("status", flat=True))
    assert statuses[VisitStatus.CONFIRMED] > visits.count() * 0.8
    assert statuses[VisitStatus.PENDING] >= 2 and statuses[VisitStatus.DISPUTED] == 1
    compliance = {str(a.compliance().status) for a in Agreement.objects.all()}
    assert len(compliance) >= 2


def test_programme_outcomes_add_up_to_sixteen_projects_and_seventeen_problems(demo, db):
    totals = outcome_totals(Outcome.objects.filter(agreement__programme__name="高校博士服务行动（第一批）"))
    assert (totals["project"], totals["problem"], totals["patent"], totals["product"]) == (16, 17, 4, 9)


def test_the_demo_talent_and_enterprise_both_see_their_agreement(demo, db):
    talent_user, host = User.objects.get(username="talent"), User.objects.get(username="enterprise")
    theirs = list(Agreement.objects.visible_to(talent_user))
    assert len(theirs) == 1 and theirs == list(Agreement.objects.visible_to(host))
    assert theirs[0].visits.filter(logged_by=talent_user, status=VisitStatus.CONFIRMED).exists()
    assert theirs[0].visits.filter(status=VisitStatus.DISPUTED, decided_by=host).exists()
    for username in ("talent", "enterprise"):
        page = log_in(username).get(f"/engagements/{theirs[0].pk}/")
        assert page.status_code == 200 and theirs[0].talent.name in page.content.decode()


def test_staff_pages_of_the_new_areas_open_with_the_demo_data(demo, db):
    client = log_in("city_admin")
    for url in ("/needs/", "/needs/stats/", "/postdoc/", "/engagements/"):
        assert client.get(url).status_code == 200, url


# --- running again --------------------------------------------------------------------------------------------


def test_loading_again_creates_nothing_new(demo, db):
    before = counts()
    output = load()
    assert counts() == before
    assert "本次新建：企业 0 家，人才 0 名" in output
    assert "入企问需：" in output
    log_in("admin")  # passwords and codes still work after a reload


def test_reset_rebuilds_the_registers_and_keeps_the_audit_log(demo, db):
    first_event = AuditEvent.objects.order_by("pk").first()
    events = AuditEvent.objects.count()
    before = counts()
    output = load("--reset")
    assert counts() == before
    # Postdocs' subsidies are ledger rows: their talents and enterprises stay, the rest is rebuilt.
    reset_line = output.splitlines()[0]
    talents, enterprises = re.search(r"人才 (\d+)、企业 (\d+)", reset_line).groups()
    assert reset_line.startswith("已重置") and f"本次新建：企业 {enterprises} 家，人才 {talents} 名" in output
    # Those named by ledger rows (postdoc subsidies, the 免申即享 beneficiaries the targets demo scans) stay.
    assert 50 < int(enterprises) < 80 and 200 < int(talents) < 300
    assert "需求 " in output.splitlines()[0] and "服务协议 15" in output.splitlines()[0]
    assert "重置时保留博士后数据" in output  # the subsidies are in the ledger
    assert AuditEvent.objects.count() > events
    assert AuditEvent.objects.order_by("pk").first() == first_event
    log_in("talent")


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people():
    first, again, other = build_demo(SEED), build_demo(SEED), build_demo(SEED + 1)
    assert [t.id_number for t in first.talents] == [t.id_number for t in again.talents]
    assert [e.credit_code for e in first.enterprises] == [e.credit_code for e in again.enterprises]
    assert {t.name for t in first.talents} != {t.name for t in other.talents}
    assert len({t.name for t in first.talents}) == len(first.talents)


# --- refusals -------------------------------------------------------------------------------------------------


def test_demo_commands_refuse_to_run_without_debug(demo, db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_otp", "admin", stdout=io.StringIO())
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())


def test_demo_otp_refuses_users_without_a_demo_authenticator(demo, db):
    with pytest.raises(CommandError, match="演示验证器"):
        demo_token("enterprise")
    with pytest.raises(CommandError, match="演示验证器"):
        demo_token("nobody")
