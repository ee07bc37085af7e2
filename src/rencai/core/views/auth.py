"""Log-in, the TOTP second factor for staff (enrolment and verification), log-out and lock-outs."""

from __future__ import annotations

import io
from base64 import b32encode
from datetime import timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.access import CSRF_REASON, PUBLIC, AuthedRequest, allow, unverified_ok
from rencai.core.audit import audit_record, audit_refusal, client_ip
from rencai.core.models import AuditEvent
from rencai.core.roles import EVERYONE, STAFF


def address_locked(request: HttpRequest) -> bool:
    """Too many failed log-ins from this address lately, whatever the usernames (password spraying)."""
    ip = client_ip(request)
    if ip is None:
        return False
    since = timezone.now() - timedelta(seconds=settings.RENCAI_LOGIN_IP_WINDOW_SECONDS)
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, ip=ip, at__gte=since).count()
    return failures >= settings.RENCAI_LOGIN_IP_FAILURES


class RencaiLoginView(LoginView):
    allowed_roles = frozenset({PUBLIC})
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_locked(request):
            audit_refusal(request, "该地址登录失败次数过多，已暂时锁定（疑似密码喷洒）")
            return locked_out(request)
        return super().post(request, *args, **kwargs)


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", request=request, user=user)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                        **kwargs: Any) -> None:
    audit_record(action="login_failed", request=request, allowed=False,
                 detail={"username": str(credentials.get("username", ""))[:150]})


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this once a username+address has failed too often."""
    return render(request, "core/locked_out.html", status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the refusal is audited (a forged form or a stale page) and explained in Chinese."""
    audit_refusal(request, f"{CSRF_REASON}：{reason}"[:200])
    message = "安全校验失败（CSRF）：页面可能已过期或来自其他网站，请刷新页面后重新提交。"
    return render(request, "core/denied.html", {"reason": message}, status=403)


@allow(*EVERYONE)
@unverified_ok
@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    audit_record(action="logout", request=request)
    logout(request)
    return redirect("core:login")


class TokenForm(forms.Form):
    token = forms.CharField(label="6位动态验证码", max_length=6, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@allow(*STAFF)
@unverified_ok
def otp_enrol(request: AuthedRequest) -> HttpResponse:
    """Staff add an authenticator app: scan the code, then prove it with one token."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("core:otp_verify")
    device, _ = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False,
                                                 defaults={"name": "身份验证器"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(action="otp", request=request, detail={"event": "enrolled"})
            messages.success(request, "已绑定身份验证器，以后登录时请输入它显示的验证码。")
            return redirect("core:home")
        audit_record(action="otp", request=request, allowed=False, detail={"event": "enrol_failed"})
        form.add_error("token", "验证码不正确或已过期，请输入验证器当前显示的6位数字。")
    return render(request, "core/otp_enrol.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": b32encode(device.bin_key).decode(),
    })


def _cap_throttle(device: TOTPDevice) -> None:
    """django-otp doubles the wait after each failure without end, so an attacker who keeps guessing locks the
    owner out for days; capped, the owner's right code works once RENCAI_OTP_THROTTLE_MAX_SECONDS have passed."""
    cap = max(1, settings.RENCAI_OTP_THROTTLE_MAX_SECONDS)
    factor = max(1, device.get_throttle_factor())
    most = 1
    while factor * 2 ** most <= cap:
        most += 1
    if device.throttling_failure_count > most:
        device.throttling_failure_count = most
        device.save(update_fields=["throttling_failure_count"])


def _failure_bucket_key(user: Any) -> str:
    return f"rencai:otp-failures:{user.pk}"


def _audit_otp_failure(request: HttpRequest, throttled: bool) -> None:
    """One audit row per user per minute: the first failure of a minute writes it (with the count of the minute
    before), later ones only count; the count reaches the log with the next row (a failure or the success)."""
    key = _failure_bucket_key(request.user)
    minute = timezone.now().strftime("%Y-%m-%dT%H:%M")
    bucket = cache.get(key) or {"minute": "", "count": 0, "pending": 0}
    if bucket["minute"] == minute:
        bucket["count"] += 1
        bucket["pending"] += 1
        cache.set(key, bucket, 3600)
        return
    detail = {"event": "verify_failed", "minute": minute, "throttled": throttled}
    if bucket["pending"]:
        detail["failures_before"] = bucket["pending"]
    audit_record(action="otp", request=request, allowed=False, detail=detail)
    cache.set(key, {"minute": minute, "count": 1, "pending": 0}, 3600)


@allow(*STAFF)
@unverified_ok
def otp_verify(request: AuthedRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("core:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = False
        for device in devices:
            _cap_throttle(device)
            allowed, _ = device.verify_is_allowed()
            throttled = throttled or not allowed
            if allowed and device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                bucket = cache.get(_failure_bucket_key(request.user)) or {}
                detail: dict[str, Any] = {"event": "verified"}
                if bucket.get("pending"):
                    detail["failures_before"] = bucket["pending"]
                cache.delete(_failure_bucket_key(request.user))
                audit_record(action="otp", request=request, detail=detail)
                return redirect(request.GET.get("next") or "core:home")
        _audit_otp_failure(request, throttled)
        if throttled:
            wait = settings.RENCAI_OTP_THROTTLE_MAX_SECONDS
            form.add_error("token", f"输错次数过多，请等待最多{wait}秒后再输入验证码。")
        else:
            form.add_error("token", "验证码不正确或已过期；多次输错后需等待片刻再试。")
    return render(request, "core/otp_verify.html", {"form": form})


language = allow(PUBLIC)(set_language)
