"""系统管理: the office admin's pages for zones, bureaus and accounts (no shell needed after `rencai setup`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from rencai.core import accounts
from rencai.core.access import PUBLIC, AuthedRequest, allow
from rencai.core.accounts_forms import BureauForm, InviteForm, ReasonForm, ZoneForm
from rencai.core.models import Bureau, Zone
from rencai.core.roles import Role

ADMIN = Role.OFFICE_ADMIN


@allow(ADMIN)
def manage_home(request: AuthedRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    users = (accounts.managed_users(request.user).select_related("zone", "bureau", "talent_profile")
             .prefetch_related("enterprises", "institutions"))
    if role in Role.values:
        users = users.filter(role=role)
    rows = [{"user": u, "record": _record_of(u)} for u in users[:500]]
    return render(request, "core/manage_home.html", {
        "zones": request.user.visible_zones(), "bureaus": Bureau.objects.filter(city=request.user.city_id),
        "rows": rows, "roles": Role.choices, "role": role, "city_level": request.user.zone_id is None})


def _record_of(user: object) -> str:
    link = accounts.account_link(getattr(user, "role", ""))
    return link.describe(user) if link else ""  # type: ignore[arg-type]


def _city_record_edit(request: AuthedRequest, record: Zone | Bureau, form_class: type, title: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.city_record_save(record=form.save(commit=False), by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{title}“{record.name}”")
            return redirect("core:manage")
    return render(request, "core/manage_form.html", {"form": form, "title": title})


@allow(ADMIN)
def zone_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    zone = get_object_or_404(request.user.visible_zones(), pk=pk) if pk else Zone()
    return _city_record_edit(request, zone, ZoneForm, "旗区/园区")


@allow(ADMIN)
def bureau_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    bureau = get_object_or_404(Bureau.objects.filter(city=request.user.city_id), pk=pk) if pk else Bureau()
    return _city_record_edit(request, bureau, BureauForm, "局办")


@allow(ADMIN)
def user_invite(request: AuthedRequest) -> HttpResponse:
    initial = {"role": request.GET.get("role", "")}
    form = InviteForm(request.POST or None, admin=request.user, initial=initial)
    record_param = request.GET.get("record")
    if record_param and initial["role"] and f"record_{initial['role']}" in form.fields:
        form.fields[f"record_{initial['role']}"].initial = record_param
    if request.method == "POST" and form.is_valid():
        try:
            user, link = accounts.user_invite(user=form.save(commit=False), record=form.record, by=request.user,
                                              request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session["manage_link"] = request.build_absolute_uri(link)
            messages.success(request, f"已建立账号 {user.username}；请把设置密码的链接交给本人（3 天内有效）")
            return redirect("core:manage_user", pk=user.pk)
    return render(request, "core/manage_form.html", {"form": form, "title": "添加用户"})


@allow(ADMIN)
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    from axes.models import AccessAttempt
    from django_otp import devices_for_user

    user = accounts.managed_user(request.user, pk)
    return render(request, "core/manage_user.html", {
        "u": user, "record": _record_of(user), "link": request.session.pop("manage_link", ""),
        "devices": list(devices_for_user(user, confirmed=None)),
        "locked": AccessAttempt.objects.filter(username=user.username).exists(), "reason_form": ReasonForm()})


@require_POST
@allow(ADMIN)
def user_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    user = accounts.managed_user(request.user, pk)
    by = request.user
    try:
        if action == "password":
            link = accounts.user_reset_password(user=user, by=by, request=request)
            request.session["manage_link"] = request.build_absolute_uri(link)
            messages.success(request, "原密码已失效；请把新的设置密码链接交给本人")
        elif action == "second_factor":
            accounts.user_reset_second_factor(user=user, by=by, request=request)
            messages.success(request, "已重置动态验证码；本人下次登录时重新绑定身份验证器")
        elif action == "unlock":
            accounts.user_unlock(user=user, by=by, request=request)
            messages.success(request, "已解除登录锁定")
        elif action in ("deactivate", "activate"):
            accounts.user_set_active(user=user, active=action == "activate", by=by,
                                     reason=request.POST.get("reason", ""), request=request)
            messages.success(request, "账号已启用" if action == "activate" else "账号已停用")
        else:
            messages.error(request, "未知的操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("core:manage_user", pk=user.pk)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """An invited user (or one whose password the office reset) chooses a password through their link."""

    template_name = "core/set_password.html"
    success_url = reverse_lazy("core:login")
    post_reset_login = False
    allowed_roles = frozenset({PUBLIC})  # the link itself is the credential; it works once


@allow(ADMIN)
def calendar_page(request: AuthedRequest) -> HttpResponse:
    """工作日历: the year's holidays and 调休 days; the city's office adds next year's when they are published."""
    from django.utils import timezone

    from rencai.core.accounts_forms import CalendarDayForm
    from rencai.core.models import CalendarDay
    from rencai.core.workcalendar import calendar_day_set

    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else timezone.localdate().year
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST":
        accounts.require_city_admin(request.user)
        if form.is_valid():
            data = form.cleaned_data
            calendar_day_set(day=data["day"], kind=data["kind"], name=data["name"], by=request.user, request=request)
            messages.success(request, f"已更新 {data['day']:%Y-%m-%d}")
            return redirect(f"{request.path}?year={data['day'].year}")
    days = CalendarDay.objects.filter(day__year=year)
    return render(request, "core/manage_calendar.html", {"days": days, "year": year, "form": form,
                                                         "can_edit": request.user.zone_id is None})


@allow(ADMIN)
def office_page(request: AuthedRequest) -> HttpResponse:
    """人才办信息: the sender line and region printed on letters, notices and task books."""
    from rencai.core.accounts_forms import OfficeProfileForm
    from rencai.core.audit import audit_record
    from rencai.core.office import office_of

    profile = office_of(request.user.city)
    form = OfficeProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        accounts.require_city_admin(request.user)
        if form.is_valid():
            form.save()
            audit_record(action="update", request=request, obj=profile)
            messages.success(request, "已保存人才办信息")
            return redirect("core:manage")
    return render(request, "core/manage_form.html", {"form": form, "title": "人才办信息（公文落款）"})
