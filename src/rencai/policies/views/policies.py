"""Policy pages: the list, a policy with its versions and rules, a new version, and "what if"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from rencai.core.access import AuthedRequest, allow, city_wide
from rencai.core.roles import STAFF, STAFF_AND_PARTIES, Role
from rencai.policies.forms import PolicyForm, VersionForm, WhatIfForm
from rencai.policies.models import Policy, PolicyVersion
from rencai.policies.rules import SCHEMA, TYPE_LABEL
from rencai.policies.services import policy_create, policy_version_create
from rencai.policies.whatif import Scenario, simulate


@allow(*STAFF_AND_PARTIES)
def policy_list(request: AuthedRequest) -> HttpResponse:
    policies = Policy.objects.filter(active=True).prefetch_related("versions")
    if request.user.role == Role.TALENT:
        policies = policies.filter(beneficiary_kind="talent")
    elif request.user.role == Role.ENTERPRISE:
        policies = policies.filter(beneficiary_kind="enterprise")
    elif request.user.role == Role.LIAISON:
        policies = policies.none()
    return render(request, "policies/list.html", {"policies": policies,
                                                  "is_staff": request.user.is_office_staff})


@allow(*STAFF_AND_PARTIES)
def policy_detail(request: AuthedRequest, code: str) -> HttpResponse:
    policy = get_object_or_404(Policy, code=code)
    can_apply = request.user.role == {"talent": Role.TALENT, "enterprise": Role.ENTERPRISE}[policy.beneficiary_kind]
    if not (request.user.is_office_staff or can_apply):
        return render(request, "core/denied.html", {"reason": "该政策不面向您的角色"}, status=403)
    versions = list(policy.versions.select_related("created_by"))
    return render(request, "policies/detail.html", {
        "policy": policy, "version": versions[0] if versions else None, "versions": versions,
        "can_apply": can_apply and policy.active, "can_edit": request.user.role == Role.OFFICE_ADMIN,
    })


@city_wide("政策")
@allow(Role.OFFICE_ADMIN)
def policy_create_view(request: AuthedRequest) -> HttpResponse:
    """A new policy; its rules are then written as version 1 on the revision page."""
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = policy_create(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建政策“{policy.title}”，请填写第1版规则")
            return redirect("policies:version_create", code=policy.code)
    return render(request, "policies/policy_form.html", {"form": form})


@city_wide("政策")
@allow(Role.OFFICE_ADMIN)
def version_create(request: AuthedRequest, code: str) -> HttpResponse:
    """A change to a policy is a new version; entitlements keep the version they were granted under."""
    policy = get_object_or_404(Policy, code=code)
    current = policy.current_version
    initial = {f: getattr(current, f) for f in VersionForm.Meta.fields} if current else {}
    form = VersionForm(request.POST or None, initial=initial,
                       instance=PolicyVersion(policy=policy, number=(current.number + 1) if current else 1,
                                              created_by=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            version = policy_version_create(policy=policy, version=form.instance, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存第{version.number}版")
            return redirect("policies:detail", code=policy.code)
    fields = {s: [(f, TYPE_LABEL[spec[0]], spec[1]) for f, spec in SCHEMA[s].items()] for s in SCHEMA}
    return render(request, "policies/version_form.html", {"policy": policy, "form": form,
                                                          "fields": fields[policy.beneficiary_kind],
                                                          "subject": policy.beneficiary_kind})


@allow(*STAFF)
def whatif(request: AuthedRequest, code: str) -> HttpResponse:
    """Change amount, age limit or tiers and see who would qualify and what it would cost; nothing is booked."""
    policy = get_object_or_404(Policy, code=code)
    form = WhatIfForm(request.GET or None)
    result = None
    if form.is_valid():
        scenario = Scenario(amount=form.cleaned_data["amount"], max_age=form.cleaned_data["max_age"],
                            tiers=form.cleaned_data["tiers"] or None)
        result = simulate(policy=policy, scenario=scenario, zones=request.user.visible_zones())
    return render(request, "policies/whatif.html", {"policy": policy, "form": form, "result": result})
