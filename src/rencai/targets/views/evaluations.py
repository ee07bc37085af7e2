"""Policy-effect evaluations: the plan, its lock, the results, the finding, and the evaluator's extract."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response
from rencai.core.listing import int_param
from rencai.core.models import User
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import get_visible_or_404
from rencai.policies.models import Policy, PolicyVersion
from rencai.targets import services
from rencai.targets.evaluation import CODEBOOK, GROUPS, extract_rows
from rencai.targets.forms import EvaluationActionForm, EvaluationNewForm, form_errors
from rencai.targets.models import Evaluation
from rencai.targets.selectors import city_of
from rencai.targets.services import EVALUATION_LIFE, WRITERS

READERS = STAFF | {Role.EVALUATOR}


@allow(*READERS)
def evaluation_list(request: AuthedRequest) -> HttpResponse:
    rows = Evaluation.objects.visible_to(request.user).select_related("version__policy")
    policy = Policy.objects.filter(pk=int_param(request, "policy", 0)).first() if request.GET.get("policy") else None
    if policy is not None:
        rows = rows.filter(version__policy=policy)
    can_write = request.user.role in WRITERS
    return render(request, "targets/evaluations.html", {
        "rows": rows, "can_write": can_write, "policy": policy,
        "versions": (PolicyVersion.objects.select_related("policy").order_by("policy__code", "-number")
                     if can_write else []),
        "evaluators": User.objects.filter(role=Role.EVALUATOR, is_active=True) if can_write else []})


@allow(*WRITERS)
def evaluation_new(request: AuthedRequest) -> HttpResponse:
    """A new evaluation: the question, the version, the population and the outcome — the plan, not yet locked."""
    city = city_of(request.user)
    form = EvaluationNewForm(request.POST)
    if city is None or not form.is_valid():
        messages.error(request, form_errors(form) if form.errors else "须选择政策版本并填写评估问题")
        return HttpResponseRedirect(reverse("targets:evaluations"))
    data = form.cleaned_data
    try:
        ev = services.evaluation_create(version=data["version"], city=city, question=data["question"],
                                        degree=data["degree"], by=request.user, outcome_months=data["outcome_months"],
                                        evaluator=data["evaluator"], request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(reverse("targets:evaluations"))
    return HttpResponseRedirect(reverse("targets:evaluation", args=[ev.pk]))


@allow(*READERS)
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ev = get_visible_or_404(request.user, Evaluation.objects.all().select_related("version__policy"), pk=pk)
    versions = PolicyVersion.objects.filter(policy=ev.version.policy).exclude(pk=ev.version_id)
    results = ev.results or {}
    return render(request, "targets/evaluation.html", {
        "ev": ev, "groups": GROUPS, "results": results, "moves": EVALUATION_LIFE.moves_for(ev, request.user),
        "can_write": request.user.role in WRITERS, "versions": versions,
        "retention": [(GROUPS[k], v) for k, v in results.get("retention", {}).items()],
        "can_extract": request.user.role in {Role.EVALUATOR, Role.OFFICE_ADMIN}})


@allow(*WRITERS)
def evaluation_action(request: AuthedRequest, pk: int) -> HttpResponse:
    ev = get_visible_or_404(request.user, Evaluation.objects.all(), pk=pk)
    form = EvaluationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return HttpResponseRedirect(reverse("targets:evaluation", args=[ev.pk]))
    data = form.cleaned_data
    try:
        if data["action"] == "lock":
            services.evaluation_lock(evaluation=ev, by=request.user, request=request)
        elif data["action"] == "run":
            services.evaluation_run(evaluation=ev, by=request.user, request=request)
        else:
            services.evaluation_conclude(evaluation=ev, by=request.user, finding=data["finding"],
                                         recommendation=data["recommendation"],
                                         followup_version=data["followup_version"], request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(reverse("targets:evaluation", args=[ev.pk]))


@allow(Role.EVALUATOR, Role.OFFICE_ADMIN)
def evaluation_extract(request: AuthedRequest, pk: int) -> HttpResponse:
    """The pseudonymised extract and its codebook: no name, ID number or phone; every download audited."""
    ev = get_visible_or_404(request.user, Evaluation.objects.all(), pk=pk)
    rows = extract_rows(ev, timezone.localdate())
    audit_record(action="export", request=request, obj=ev, object_repr=f"评估假名化数据：{ev}",
                 detail={"rows": len(rows), "pseudonymised": True})
    header = [c for c, _ in CODEBOOK]
    codebook = [[c, d.replace("N个月", f"{ev.outcome_months}个月")] for c, d in CODEBOOK]
    return xlsx_response(f"评估数据{ev.pk}", [("数据", header, rows), ("字段说明", ["字段", "含义"], codebook)])
