"""The demo city: loaded once into the test database (rolled back afterwards) and looked at as a clerk would."""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import AuditEvent, User, Zone
from rencai.core.roles import STAFF, Role
from rencai.core.validators import (
    credit_code_problem,
    id_number_problem,
    is_valid_mobile,
)
from rencai.demo.accounts import DEVICE_NAME, OTP_HINT
from rencai.demo.data import DEMO_PASSWORD
from rencai.demo.generate import build_demo
from rencai.orgs.models import Enterprise, EnterpriseContact, Institution
from rencai.talents.models import Talent

SEED = 7
DEMO_ZONES = ("xitu", "kundulun", "jiuyuan")
USERNAMES = ("admin", "city_admin", "reviewer", "finance", "enterprise", "talent", "liaison")


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
            "talents": demo_talents().count()}


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


# --- running again --------------------------------------------------------------------------------------------


def test_loading_again_creates_nothing_new(demo, db):
    before = counts()
    output = load()
    assert counts() == before
    assert "本次新建：企业 0 家，人才 0 名" in output
    log_in("admin")  # passwords and codes still work after a reload


def test_reset_rebuilds_the_registers_and_keeps_the_audit_log(demo, db):
    first_event = AuditEvent.objects.order_by("pk").first()
    events = AuditEvent.objects.count()
    before = counts()
    output = load("--reset")
    assert counts() == before
    assert "已重置" in output and "本次新建：企业 80 家，人才 300 名" in output
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
