"""Log-in as a person does it: password on the log-in page, then the authenticator code for staff."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.access import PUBLIC
from rencai.core.models import AuditEvent, User
from tests.test_access_matrix import CHECKED, build_url

PASSWORD = "pw-for-tests-1"  # tests/factories.py gives every user this password
STAFF = ["admin", "reviewer", "finance"]
EXTERNAL = ["enterprise_user", "talent_user", "liaison"]


def log_in(client: Client, user: User, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": user.username, "password": password})


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """What the authenticator app shows now; offset gives a different, wrong code."""
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{(token + offset) % 10**device.digits:0{device.digits}d}"


def logged_in_staff(user: User) -> Client:
    client = Client()
    response = log_in(client, user)
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


# --- second factor for staff --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
def test_staff_without_authenticator_must_enrol_before_any_page(world, who):
    client = logged_in_staff(getattr(world, who))
    assert client.get("/")["Location"] == "/otp/enrol/"
    for page in ("/talents/", "/orgs/enterprises/", "/account/token/", f"/talents/{world.talent.pk}/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/otp/enrol/", page
    assert client.get("/otp/enrol/").status_code == 200


@pytest.mark.parametrize("who", STAFF)
def test_staff_with_authenticator_must_verify_before_any_page(world, who):
    enrolled(getattr(world, who))
    client = logged_in_staff(getattr(world, who))
    for page in ("/", "/talents/", "/orgs/institutions/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/otp/verify/", page
    assert client.get("/otp/verify/").status_code == 200


@pytest.mark.parametrize("who", STAFF)
def test_staff_who_only_typed_the_password_open_no_page_but_the_second_factor(world, who):
    """Every route the site has, walked as the access matrix walks them."""
    client = logged_in_staff(getattr(world, who))
    opened = []
    for route in CHECKED:
        roles = route.roles or frozenset()
        if PUBLIC in roles or getattr(route.callback, "allow_unverified", False):
            continue
        url = build_url(route, world)
        response = client.get(url)
        gate = response.status_code == 403 if route.is_api else response.get("Location") == "/otp/enrol/"
        if not gate:
            opened.append(f"{url} ({response.status_code})")
    assert not opened, "reachable before the second factor: " + ", ".join(opened)


def test_unverified_staff_session_cannot_use_the_api(world):
    client = logged_in_staff(world.reviewer)
    assert client.get("/api/v1/talents/").status_code == 403


def test_enrolling_an_authenticator_in_the_page_opens_the_site(world):
    client = logged_in_staff(world.reviewer)
    page = client.get("/otp/enrol/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.reviewer, confirmed=False)
    response = client.post("/otp/enrol/", {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/talents/").status_code == 200
    assert AuditEvent.objects.filter(user=world.reviewer, action="otp", detail__event="enrolled").exists()


def test_wrong_code_does_not_enrol(world):
    client = logged_in_staff(world.admin)
    client.get("/otp/enrol/")
    device = TOTPDevice.objects.get(user=world.admin, confirmed=False)
    response = client.post("/otp/enrol/", {"token": code_for(device, offset=500_000)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/talents/")["Location"] == "/otp/enrol/"
    assert AuditEvent.objects.filter(user=world.admin, action="otp", allowed=False).exists()


def test_verifying_with_the_right_code_opens_the_site(world):
    device = enrolled(world.finance)
    client = logged_in_staff(world.finance)
    response = client.post("/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/talents/").status_code == 200


def test_wrong_verification_code_is_refused(world):
    device = enrolled(world.admin)
    client = logged_in_staff(world.admin)
    response = client.post("/otp/verify/", {"token": code_for(device, offset=500_000)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get("/audit/")["Location"] == "/otp/verify/"
    assert AuditEvent.objects.filter(user=world.admin, action="otp", allowed=False,
                                     detail__event="verify_failed").exists()


@pytest.mark.parametrize("who", EXTERNAL)
def test_external_users_are_not_asked_for_a_second_factor(world, who):
    client = Client()
    response = log_in(client, getattr(world, who))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/otp/enrol/").status_code == 403  # the second factor is a staff matter
    assert not TOTPDevice.objects.filter(user=getattr(world, who)).exists()


def test_talent_reaches_own_profile_after_password_only(world):
    client = Client()
    log_in(client, world.talent_user)
    assert client.get(f"/talents/{world.talent.pk}/").status_code == 200


# --- failed log-ins ----------------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_audited(world):
    client = Client()
    response = log_in(client, world.talent_user, password="wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert client.get("/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(action="login_failed", allowed=False, detail__username="talent_a").exists()


def test_repeated_failures_lock_the_username_even_for_the_right_password(world):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == int(os.environ.get("RENCAI_LOGIN_FAILURES", 5))
    client = Client()
    for _ in range(limit):
        log_in(client, world.enterprise_user, password="wrong-password")
    response = log_in(client, world.enterprise_user)
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    assert client.get("/")["Location"].startswith("/login/")
    failures = AuditEvent.objects.filter(action="login_failed", allowed=False, detail__username="ent_a")
    assert failures.count() >= limit


def test_lockout_is_per_address(world):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, world.liaison, password="wrong-password")
    assert log_in(attacker, world.liaison).status_code == 429
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert log_in(owner, world.liaison).status_code == 302


def test_failures_below_the_limit_do_not_lock(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, world.talent_user, password="wrong-password")
    assert log_in(client, world.talent_user).status_code == 302


# --- idle sessions -------------------------------------------------------------------------------------------


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_session_lifetime_is_the_idle_limit_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == int(os.environ.get("RENCAI_IDLE_SECONDS", 30 * 60))
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_activity_pushes_the_expiry_forward(world):
    client = Client()
    log_in(client, world.liaison)
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/").status_code == 200
    renewed = _session(client).expire_date
    assert renewed >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_idle_session_is_sent_back_to_log_in(world):
    client = Client()
    log_in(client, world.talent_user)
    assert client.get("/talents/mine/").status_code == 302  # to the profile while the session lives
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/talents/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/talents/mine/"


def test_idle_staff_session_loses_the_second_factor_too(world):
    device = enrolled(world.admin)
    client = logged_in_staff(world.admin)
    client.post("/otp/verify/", {"token": code_for(device)})
    assert client.get("/audit/").status_code == 200
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get("/audit/")["Location"].startswith("/login/")
