"""An award's page: milestones (submit, issuer acceptance, office approval, payment), stage gates, final 验收,
and the task book and acceptance opinion as .docx and PDF."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.challenges import papers, services
from rencai.challenges.forms import AcceptanceForm
from rencai.challenges.lifecycles import MILESTONE, OFFICE
from rencai.challenges.models import Award, AwardStatus, Milestone, Mode, StageGate
from rencai.core.access import AuthedRequest, allow
from rencai.core.exports import attachment_header
from rencai.core.lifecycle import history_for
from rencai.core.listing import clean_text
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import get_visible_or_404, visible_related

AWARD_READERS = STAFF | frozenset({Role.ENTERPRISE, Role.BUREAU, Role.TALENT})


def _errors(request: AuthedRequest, exc: ValidationError | PermissionDenied) -> None:
    for text in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, text)


@allow(*AWARD_READERS)
def award_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    award = get_visible_or_404(request.user, Award.objects.select_related("challenge", "bid"), pk=pk)
    user = request.user
    milestones = [(ms, [m for m in MILESTONE.moves_for(ms, user) if m.name not in ("pay", "release")])
                  for ms in visible_related(award.milestones, user).select_related("payment")]
    others = Award.objects.visible_to(user).filter(challenge=award.challenge, status=AwardStatus.ACTIVE).exclude(
        pk=award.pk)
    return render(request, "challenges/award.html", {
        "a": award, "c": award.challenge, "milestones": milestones, "pay_key": uuid.uuid4().hex,
        "can_pay": user.role == Role.FINANCE, "is_office": user.role in OFFICE,
        "gates": visible_related(award.gates, user), "decisions": StageGate.Decision.choices,
        "race": award.challenge.mode == Mode.RACE, "others": others,
        "active": award.status == AwardStatus.ACTIVE, "accept_form": AcceptanceForm(),
        "history": history_for(award)})


@require_POST
@allow(*AWARD_READERS)
def milestone_move(request: AuthedRequest, pk: int) -> HttpResponse:
    milestone = get_visible_or_404(request.user, Milestone, pk=pk)
    move = clean_text(request.POST.get("move", ""))
    try:
        services.milestone_move(milestone=milestone, move=move, by=request.user,
                                reason=request.POST.get("reason", ""), report=request.POST.get("report", ""),
                                request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已办理")
    return redirect("challenges:award", milestone.award_id)


@require_POST
@allow(Role.FINANCE)
def milestone_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    milestone = get_visible_or_404(request.user, Milestone, pk=pk)
    key = clean_text(request.POST.get("key", ""))
    try:
        services.milestone_pay(milestone=milestone, by=request.user, idempotency_key=f"challenges:{key}",
                               request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"第{milestone.seq}期 {milestone.amount} 元已支付")
    return redirect("challenges:award", milestone.award_id)


@require_POST
@allow(*OFFICE)
def award_gate(request: AuthedRequest, pk: int) -> HttpResponse:
    award = get_visible_or_404(request.user, Award, pk=pk)
    merged = None
    if target := clean_text(request.POST.get("merged_into", "")):
        merged = Award.objects.visible_to(request.user).filter(pk=int(target) if target.isdigit() else 0).first()
    try:
        services.stage_gate(award=award, decision=clean_text(request.POST.get("decision", "")),
                            reason=request.POST.get("reason", ""), by=request.user, merged_into=merged,
                            request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, "阶段评估已记录")
    return redirect("challenges:award", pk)


@require_POST
@allow(*OFFICE)
def award_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    award = get_visible_or_404(request.user, Award.objects.select_related("challenge"), pk=pk)
    form = AcceptanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写验收意见和成果数")
        return redirect("challenges:award", pk)
    results = []
    for i, kpi in enumerate(award.challenge.kpis):
        results.append({"name": kpi["name"], "target": kpi["target"], "unit": kpi.get("unit", ""),
                        "result": clean_text(request.POST.get(f"kpi_{i}", "")),
                        "met": bool(request.POST.get(f"met_{i}"))})
    try:
        services.award_accept(award=award, by=request.user, kpi_results=results, request=request,
                              **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已完成最终验收")
    return redirect("challenges:award", pk)


def _file(content: bytes, name: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = attachment_header(name)
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@allow(*AWARD_READERS)
def award_paper(request: AuthedRequest, pk: int, paper: str, fmt: str) -> HttpResponse:
    award = get_visible_or_404(request.user, Award.objects.select_related("challenge", "bid"), pk=pk)
    if paper == "acceptance" and award.status != AwardStatus.ACCEPTED:
        messages.error(request, "项目尚未验收，没有验收意见")
        return redirect("challenges:award", pk)
    content = papers.task_book(award) if paper == "taskbook" else papers.acceptance_opinion(award)
    title = f"{award.challenge.title}{'任务书' if paper == 'taskbook' else '验收意见'}"
    if fmt == "pdf":
        return _file(papers.pdf_bytes(content), f"{title}.pdf", "application/pdf")
    return _file(papers.docx_bytes(content), f"{title}.docx", DOCX)
