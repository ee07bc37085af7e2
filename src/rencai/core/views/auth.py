"""Log-in, the TOTP second factor for staff (enrolment and verification), log-out and lock-outs."""

from __future__ import annotations

import io
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import LoginView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.access import PUBLIC, allow, unverified_ok
from rencai.core.audit import audit_record
from rencai.core.roles import EVERYONE, STAFF


class RencaiLoginView(LoginView):
    allowed_roles = frozenset({PUBLIC})
    template_name = "core/login.html"
    redirect_authenticated_user = True


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


@allow(*EVERYONE)
@unverified_ok
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
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
def otp_enrol(request: HttpRequest) -> HttpResponse:
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


@allow(*STAFF)
@unverified_ok
def otp_verify(request: HttpRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("core:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit_record(action="otp", request=request, detail={"event": "verified"})
                return redirect(request.GET.get("next") or "core:home")
        audit_record(action="otp", request=request, allowed=False, detail={"event": "verify_failed"})
        form.add_error("token", "验证码不正确或已过期；多次输错后需等待片刻再试。")
    return render(request, "core/otp_verify.html", {"form": form})


language = allow(PUBLIC)(set_language)
