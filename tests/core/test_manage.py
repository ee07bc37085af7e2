"""系统管理 without the shell: accounts created from register records, resets, unlocks, and who may do what."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core import accounts
from rencai.core.models import AuditEvent, User, Zone
from rencai.core.roles import Role
from tests.conftest import verified_client


def test_zone_admin_creates_an_enterprise_account_from_the_register(world):
    client = verified_client(world.admin)
    response = client.post("/manage/users/new/", {"username": "ent_new", "display_name": "周经理", "role": "enterprise",
                                                  f"record_{Role.ENTERPRISE}": world.enterprise.pk})
    user = User.objects.get(username="ent_new")
    assert response.status_code == 302 and response["Location"] == f"/manage/users/{user.pk}/"
    assert world.enterprise.members.filter(pk=user.pk).exists()
    assert not user.has_usable_password()  # the owner sets it through the link
    assert AuditEvent.objects.filter(action="create", object_type="core.user", object_id=str(user.pk),
                                     username=world.admin.username).exists()


def test_zone_admin_cannot_attach_an_account_to_another_zones_enterprise(world):
    client = verified_client(world.admin)
    client.post("/manage/users/new/", {"username": "ent_x", "role": "enterprise",
                                       f"record_{Role.ENTERPRISE}": world.enterprise_b.pk})
    assert not User.objects.filter(username="ent_x").exists()
    assert not world.enterprise_b.members.filter(username="ent_x").exists()


def test_only_city_level_admin_creates_zones(world):
    assert verified_client(world.admin).post("/manage/zones/new/", {"name": "新区", "code": "xinqu"}).status_code == 403
    assert not Zone.objects.filter(code="xinqu").exists()
    response = verified_client(world.city_admin).post("/manage/zones/new/", {"name": "新区", "code": "xinqu"})
    assert response.status_code == 302 and Zone.objects.get(code="xinqu").city == world.zone_a.city


def test_zone_admin_does_not_see_or_open_another_zones_staff(world):
    other = User.objects.create(username="reviewer_b", role=Role.REVIEWER, zone=world.zone_b, city=world.zone_a.city)
    assert other not in accounts.managed_users(world.admin)
    assert verified_client(world.admin).get(f"/manage/users/{other.pk}/").status_code == 404
    assert other in accounts.managed_users(world.city_admin)


def test_password_reset_link_sets_a_new_password_once(world):
    client = verified_client(world.admin)
    client.post(f"/manage/users/{world.reviewer.pk}/password/")
    world.reviewer.refresh_from_db()
    assert not world.reviewer.has_usable_password()
    link = accounts.password_link(world.reviewer)
    anonymous = type(client)()
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200 and "新密码" in form.content.decode()
    anonymous.post(form.redirect_chain[-1][0], {"new_password1": "a-new-pass-2026", "new_password2": "a-new-pass-2026"})
    world.reviewer.refresh_from_db()
    assert world.reviewer.check_password("a-new-pass-2026")
    assert "已失效" in anonymous.get(link, follow=True).content.decode()  # a used link works no more


def test_second_factor_reset_unlock_and_deactivation_are_audited(world):
    TOTPDevice.objects.create(user=world.finance, name="phone", confirmed=True)
    AccessAttempt.objects.create(username=world.finance.username, ip_address="10.0.0.9", user_agent="x",
                                 failures_since_start=5, attempt_time=timezone.now())
    client = verified_client(world.admin)
    client.post(f"/manage/users/{world.finance.pk}/second_factor/")
    assert not TOTPDevice.objects.filter(user=world.finance).exists()
    client.post(f"/manage/users/{world.finance.pk}/unlock/")
    assert not AccessAttempt.objects.filter(username=world.finance.username).exists()
    client.post(f"/manage/users/{world.finance.pk}/deactivate/", {"reason": ""})
    world.finance.refresh_from_db()
    assert world.finance.is_active  # a reason is required
    client.post(f"/manage/users/{world.finance.pk}/deactivate/", {"reason": "调离"})
    world.finance.refresh_from_db()
    assert not world.finance.is_active
    details = list(AuditEvent.objects.filter(object_type="core.user", object_id=str(world.finance.pk))
                   .values_list("detail", flat=True))
    assert any("second_factor_reset" in d for d in details) and any("unlocked" in d for d in details)
    assert any(d.get("reason") == "调离" for d in details)


@pytest.mark.parametrize("who", ["reviewer", "finance", "enterprise_user", "talent_user", "liaison"])
def test_only_office_admins_reach_the_administration(world, who):
    assert verified_client(getattr(world, who)).get("/manage/").status_code == 403


def test_city_admin_marks_a_holiday_on_the_calendar_page_and_zone_admin_cannot(world):
    from datetime import date

    from rencai.core.workcalendar import is_working_day

    page = verified_client(world.city_admin).get("/manage/calendar/?year=2026")
    assert page.status_code == 200 and "国庆节" in page.content.decode()
    assert verified_client(world.admin).post("/manage/calendar/", {"day": "2027-10-04", "kind": "holiday",
                                                                   "name": "国庆节"}).status_code == 403
    verified_client(world.city_admin).post("/manage/calendar/", {"day": "2027-10-04", "kind": "holiday",
                                                                 "name": "国庆节"})
    assert not is_working_day(date(2027, 10, 4))


def test_the_user_list_reads_a_fixed_number_of_queries_however_many_accounts(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(world.admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/manage/").status_code == 200
    for n in range(6):
        world.enterprise.members.add(User.objects.create(username=f"ent_more_{n}", role=Role.ENTERPRISE))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/manage/").status_code == 200
