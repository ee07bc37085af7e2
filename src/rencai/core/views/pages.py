"""Home, audit log, reveal of personal data and API tokens."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from rencai.core.access import PUBLIC, AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import Column, export_queryset
from rencai.core.listing import Filter, ListSpec, filtered, paginate
from rencai.core.models import AuditEvent
from rencai.core.roles import EVERYONE, Role
from rencai.core.routes import all_routes
from rencai.core.sensitive import can_reveal, masked_value
from rencai.core.token_models import TokenUse, token_expiry
from rencai.core.tokens import TOKEN_DAYS_CHOICES, api_token_create, api_token_revoke
from rencai.core.widgets import home_widgets


@allow(*EVERYONE)
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/home.html", {"widgets": home_widgets(request)})


AUDIT_SPEC = ListSpec(
    search_fields=["username", "object_repr", "object_type", "path", "ip"],
    search_label=_("用户、对象或地址"),
    filters=[
        Filter("action", _("操作"), "action", AuditEvent.Action.choices),
        Filter("allowed", _("结果"), "allowed", [("True", _("允许")), ("False", _("拒绝"))]),
        Filter("role", _("角色"), "role", Role.choices),
    ],
    sorts=[("-at", _("最新在前")), ("at", _("最早在前"))],
    page_size=50,
)


def _audit_rows(request: HttpRequest):
    queryset, state = filtered(request, AuditEvent.objects.select_related("user"), AUDIT_SPEC)
    tz = timezone.get_current_timezone()
    for param, lookup in (("from", "at__gte"), ("to", "at__lte")):
        value = request.GET.get(param, "")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            continue
        moment = datetime.combine(day, time.min if param == "from" else time.max, tzinfo=tz)
        queryset = queryset.filter(**{lookup: moment})
        state.selected[param] = value
    return queryset, state


@allow(Role.OFFICE_ADMIN)
def audit_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = _audit_rows(request)
    page = paginate(request, queryset, AUDIT_SPEC)
    template = "core/audit_list.html#results" if request.htmx else "core/audit_list.html"
    return render(request, template, {"page": page, "state": state, "spec": AUDIT_SPEC})


AUDIT_COLUMNS = [
    Column("时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("用户", "username"), Column("角色", "role_label"), Column("来源地址", "ip"),
    Column("操作", lambda e: e.get_action_display()), Column("对象类型", "object_type"),
    Column("对象", "object_repr"), Column("地址", "path"),
    Column("结果", lambda e: "允许" if e.allowed else "拒绝"), Column("详情", lambda e: str(e.detail or "")),
]


@allow(Role.OFFICE_ADMIN)
def audit_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = _audit_rows(request)
    return export_queryset(request, queryset=queryset, columns=AUDIT_COLUMNS, title="审计日志",
                           filters=state.selected | {"q": state.q})


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看原因", min_length=2, max_length=200)


@allow(*EVERYONE)
@require_POST
def reveal(request: AuthedRequest, model: str, pk: int, field: str) -> HttpResponse:
    """Show one sensitive value in full, to a role allowed to see it, with a reason that is audited."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    if field not in getattr(model_class, "sensitive_fields", {}):
        raise Http404
    manager = model_class.objects
    queryset = manager.visible_to(request.user) if hasattr(manager, "visible_to") else manager.none()
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    form = RevealForm(request.POST)
    context = {"obj": obj, "field": field, "model": model, "masked": masked_value(obj, field), "form": form}
    if not can_reveal(request.user, obj, field):
        audit_record(action="denied", request=request, obj=obj, allowed=False, detail={"field": field})
        raise PermissionDenied("您的角色不能查看完整的个人信息")
    if not form.is_valid():
        return render(request, "core/_sensitive.html", context | {"error": "请填写查看原因（至少2个字）"})
    audit_record(action="reveal", request=request, obj=obj,
                 detail={"field": field, "reason": form.cleaned_data["reason"]})
    return render(request, "core/_sensitive.html", context | {"revealed": getattr(obj, field)})


@allow(Role.OFFICE_ADMIN)
def access_overview(request: AuthedRequest) -> HttpResponse:
    """Who may open each page and API endpoint, read from the declarations themselves."""
    labels = dict(Role.choices) | {PUBLIC: "所有人（无需登录）"}
    rows = [{"route": r, "roles": [labels.get(x, x) for x in sorted(r.roles or [])],
             "write": [labels.get(x, x) for x in sorted(r.write_roles or [])]} for r in all_routes()]
    return render(request, "core/access_overview.html", {"rows": rows})


class ApiTokenForm(forms.Form):
    days = forms.TypedChoiceField(label="有效期", coerce=int, initial=90,
                                  choices=[(d, f"{d}天") for d in TOKEN_DAYS_CHOICES])
    read_only = forms.BooleanField(label="只读（只能查询，不能新建或修改）", required=False)


@allow(*EVERYONE)
def api_token(request: AuthedRequest) -> HttpResponse:
    """The user's API token: made with a life and a scope, shown once; its expiry and last use; revoked here."""
    form = ApiTokenForm(request.POST if request.POST.get("action") == "create" else None)
    context: dict[str, object] = {"fresh": False, "revoked": False}
    if request.method == "POST" and request.POST.get("action") == "revoke":
        context["revoked"] = api_token_revoke(user=request.user, request=request)
    elif request.method == "POST" and form.is_valid():
        context["token"] = api_token_create(user=request.user, days=form.cleaned_data["days"],
                                            read_only=form.cleaned_data["read_only"], request=request)
        context["fresh"] = True
    token = cast("Token | None", context.get("token")) or Token.objects.filter(user=request.user).select_related(
        "use").first()
    if token is not None:
        use = TokenUse.objects.filter(token=token).first()
        context |= {"token": token, "use": use, "expires_at": token_expiry(token),
                    "expired": token_expiry(token) <= timezone.now()}
    return render(request, "core/api_token.html", context | {"form": form})
