"""Log-in and second factor under attack: spraying is throttled by address, TOTP floods leave few audit rows
and never lock the real user out for good.

Found by an outside test: password spraying across 240 usernames from one address was not throttled
(django-axes locks username+address only); each throttled TOTP failure wrote an audit row (1,346 rows in a
minute); and once the attack had run a while the real user's correct code was refused too.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import AuditEvent
from tests.core.test_auth import PASSWORD, code_for, enrolled, log_in, logged_in_staff

SPRAYER = "203.0.113.66"


def test_password_spraying_across_240_usernames_from_one_address_is_throttled(world):
    attacker = Client(REMOTE_ADDR=SPRAYER)
    answers = [attacker.post("/login/", {"username": f"user{i:03d}", "password": "Spring2026!"}).status_code
               for i in range(240)]
    limit = settings.RENCAI_LOGIN_IP_FAILURES
    assert limit < 240
    assert answers[:limit] == [200] * limit and set(answers[limit:]) == {429}
    # past the limit the guesses are not even tried: the log shows the limit's worth of failures and refusals
    assert AuditEvent.objects.filter(action="login_failed", ip=SPRAYER).count() == limit
    refusals = AuditEvent.objects.filter(action="denied", ip=SPRAYER, allowed=False)
    assert refusals.count() == 240 - limit and "登录失败次数过多" in refusals.first().detail["reason"]
    # even a right password from that address waits; another address is not affected
    assert log_in(attacker, world.enterprise_user).status_code == 429
    assert "暂时锁定" in log_in(attacker, world.enterprise_user).content.decode()
    assert log_in(Client(REMOTE_ADDR="198.51.100.20"), world.enterprise_user).status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_mistakes(world):
    office = Client(REMOTE_ADDR="198.51.100.30")
    for user in (world.talent_user, world.liaison, world.enterprise_user):
        log_in(office, user, password="typo-password")
    assert log_in(office, world.talent_user, password=PASSWORD).status_code == 302


def test_a_flood_of_wrong_totp_codes_leaves_one_audit_row_per_minute(world):
    device = enrolled(world.admin)
    client = logged_in_staff(world.admin)
    for _ in range(60):
        response = client.post("/otp/verify/", {"token": code_for(device, offset=500_000)})
        assert response.status_code == 200
    rows = AuditEvent.objects.filter(user=world.admin, action="otp", allowed=False)
    assert 1 <= rows.count() <= 2  # one per minute; the flood may straddle a minute boundary
    assert client.get("/audit/")["Location"] == "/otp/verify/"


def test_the_count_of_a_minutes_failures_is_kept_in_the_next_row(world):
    device = enrolled(world.reviewer)
    client = logged_in_staff(world.reviewer)
    for _ in range(5):
        client.post("/otp/verify/", {"token": code_for(device, offset=500_000)})
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=5)
    device.save()
    assert client.post("/otp/verify/", {"token": code_for(device)}).status_code == 302
    verified = AuditEvent.objects.get(user=world.reviewer, action="otp", detail__event="verified")
    # the first failure wrote its own row; the other four reach the log with the success
    assert AuditEvent.objects.filter(user=world.reviewer, action="otp", allowed=False).count() == 1
    assert verified.detail["failures_before"] == 4


def test_the_real_users_correct_code_passes_once_the_throttle_window_is_over(world):
    """After a long attack (20 failures counted), the owner's right code works once the capped window passed."""
    device = enrolled(world.finance)
    device.throttling_failure_count = 20
    window = settings.RENCAI_OTP_THROTTLE_MAX_SECONDS
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=window + 1)
    device.save()
    client = logged_in_staff(world.finance)
    response = client.post("/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get("/talents/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_within_the_throttle_window_even_the_right_code_waits(world):
    device = enrolled(world.admin)
    device.throttling_failure_count = 20
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client = logged_in_staff(world.admin)
    response = client.post("/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 200 and "等待" in response.content.decode()
