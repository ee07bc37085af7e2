"""Pages of matching: rounds and their side-by-side review, proposals to the parties, the thesaurus, learning."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, city_wide
from rencai.core.audit import audit_record
from rencai.core.listing import int_param
from rencai.core.models import Notice
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import get_visible_or_404, is_city_level
from rencai.core.sensitive import masked_value
from rencai.matching import services
from rencai.matching.forms import AnswerForm, ConflictForm, RatingForm, RoundForm, ThesaurusForm
from rencai.matching.learning import learn_weights
from rencai.matching.models import (
    Conflict,
    LearnedWeights,
    MatchRound,
    Pairing,
    RoundStatus,
    ThesaurusTerm,
)
from rencai.matching.notices import PAIRING
from rencai.matching.selectors import proposals_for, round_review
from rencai.matching.tasks import run_round

PARTIES = (Role.ENTERPRISE, Role.TALENT)


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@allow(*REGISTER_READERS)
def round_list(request: AuthedRequest) -> HttpResponse:
    rounds = MatchRound.objects.visible_to(request.user).select_related("zone", "campaign")[:200]
    return render(
        request, "matching/round_list.html", {"rounds": rounds, "can_edit": request.user.role in REGISTER_WRITERS}
    )


@allow(*REGISTER_WRITERS)
def round_create_view(request: AuthedRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        needs = data.pop("needs")
        try:
            match_round = services.round_create(by=request.user, needs=needs, **data)
        except ValidationError as error:
            _error(request, error)
        else:
            run_round.enqueue(match_round.pk)
            messages.success(request, "批次已创建，正在运行匹配")
            return redirect("matching:round_detail", match_round.pk)
    return render(request, "matching/round_form.html", {"form": form})


def _round(request: AuthedRequest, pk: int) -> MatchRound:
    return get_visible_or_404(request.user, MatchRound, pk=pk)


@allow(*REGISTER_READERS)
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    match_round = _round(request, pk)
    context = {
        "round": match_round,
        "review": round_review(match_round, request.user),
        "can_edit": request.user.role in REGISTER_WRITERS and match_round.status != RoundStatus.PUBLISHED,
        "can_rate": request.user.role in REGISTER_WRITERS,
    }
    return render(request, "matching/round_detail.html", context)


@require_POST
@allow(*REGISTER_WRITERS)
def round_run_view(request: AuthedRequest, pk: int) -> HttpResponse:
    match_round = _round(request, pk)
    run_round.enqueue(match_round.pk)
    messages.success(request, "已重新规划")
    return redirect("matching:round_detail", match_round.pk)


@require_POST
@allow(*REGISTER_WRITERS)
def round_pin_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pin or exclude a pair (htmx); the plan is redone right away so the page shows its effect."""
    match_round = _round(request, pk)
    need = get_visible_or_404(request.user, services.round_needs(match_round), pk=request.POST.get("need"))
    talent = get_visible_or_404(request.user, services.round_talents(match_round), pk=request.POST.get("talent"))
    kind = request.POST.get("kind", "")
    if kind not in ("pin", "exclude", ""):
        raise PermissionDenied("未知操作")
    try:
        services.round_pin(
            round=match_round,
            need=need,
            talent=talent,
            kind=kind,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        run_round.enqueue(match_round.pk)
    return redirect("matching:round_detail", match_round.pk)


@require_POST
@allow(*REGISTER_WRITERS)
def round_publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    match_round = _round(request, pk)
    try:
        count = services.round_publish(round=match_round, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已发布 {count} 个配对，并通知了企业和人才")
    return redirect("matching:round_detail", match_round.pk)


@allow(*PARTIES)
def my_proposals(request: AuthedRequest) -> HttpResponse:
    pairings = proposals_for(request.user)
    rows = [{"p": p, "phone": masked_value(p.talent, "phone")} for p in pairings]
    notices = Notice.objects.visible_to(request.user).filter(kind=PAIRING)[:20]
    title = "为我推荐的专家" if request.user.role == Role.ENTERPRISE else "为我推荐的需求"
    return render(
        request,
        "matching/proposals.html",
        {
            "rows": rows,
            "notices": notices,
            "title": title,
            "form": AnswerForm(),
            "is_enterprise": request.user.role == Role.ENTERPRISE,
        },
    )


@require_POST
@allow(*PARTIES)
def pairing_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    pairing = get_visible_or_404(request.user, Pairing, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择接受或拒绝")
        return redirect("matching:proposals")
    try:
        services.pairing_answer(
            pairing=pairing, user=request.user, answer=form.cleaned_data["answer"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, "已提交答复")
    return redirect("matching:proposals")


@require_POST
@allow(*REGISTER_WRITERS)
def pairing_complete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    pairing = get_visible_or_404(request.user, Pairing, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.pairing_complete(pairing=pairing, by=request.user, rating=form.cleaned_data["rating"])
        except ValidationError as error:
            _error(request, error)
    else:
        messages.error(request, "评分为 1–5")
    return redirect("matching:round_detail", pairing.round_id)


@city_wide("同义词表")
@allow(*REGISTER_READERS)
def thesaurus_page(request: AuthedRequest) -> HttpResponse:
    can_edit = request.user.role in REGISTER_WRITERS and is_city_level(request.user)  # city-wide data
    editing = ThesaurusTerm.objects.filter(pk=int_param(request, "edit", 0)).first()
    form = ThesaurusForm(request.POST or None, instance=editing)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有人才办管理员和审核员可以编辑词表")
        if form.is_valid():
            term = form.save(commit=False)
            term.updated_by = request.user
            term.save()
            audit_record(action="update" if editing else "create", request=request, user=request.user, obj=term)
            messages.success(request, f"已保存词条「{term.concept}」，下次运行批次时生效")
            return redirect("matching:thesaurus")
    context = {"terms": ThesaurusTerm.objects.all(), "form": form, "can_edit": can_edit, "editing": editing}
    return render(request, "matching/thesaurus.html", context)


@require_POST
@city_wide("同义词表")
@allow(*REGISTER_WRITERS)
def thesaurus_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(ThesaurusTerm, pk=pk)
    audit_record(action="delete", request=request, user=request.user, obj=term)
    term.delete()
    return redirect("matching:thesaurus")


def _conflicts(request: AuthedRequest):
    return Conflict.objects.visible_to(request.user).select_related("talent", "enterprise")


@allow(*REGISTER_READERS)
def conflict_page(request: AuthedRequest) -> HttpResponse:
    """Declared conflicts of interest: the talent is never proposed to that enterprise."""
    can_edit = request.user.role in REGISTER_WRITERS
    form = ConflictForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有人才办管理员和审核员可以登记利益冲突")
        if form.is_valid():
            conflict = form.save(commit=False)
            conflict.created_by = request.user
            conflict.save()
            audit_record(action="create", request=request, user=request.user, obj=conflict)
            messages.success(request, "已登记，下次运行批次时生效")
            return redirect("matching:conflicts")
    return render(
        request, "matching/conflicts.html", {"conflicts": _conflicts(request), "form": form, "can_edit": can_edit}
    )


@require_POST
@allow(*REGISTER_WRITERS)
def conflict_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    conflict = get_visible_or_404(request.user, Conflict.objects.select_related("talent", "enterprise"), pk=pk)
    audit_record(action="delete", request=request, user=request.user, obj=conflict)
    conflict.delete()
    return redirect("matching:conflicts")


@city_wide("匹配学习权重")
@allow(*REGISTER_READERS)
def learning_page(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.role not in REGISTER_WRITERS:
            raise PermissionDenied("只有人才办管理员和审核员可以重新学习")
        result = learn_weights(by=request.user)
        messages.success(request, f"学习完成，当前使用：{result.metrics.get('used')}")
        return redirect("matching:learning")
    latest = LearnedWeights.objects.first()
    in_use = LearnedWeights.objects.filter(in_use=True).first()
    return render(
        request,
        "matching/learning.html",
        {
            "latest": latest,
            "in_use": in_use,
            "weights": services.current_weights().to_dict(),
            "can_edit": request.user.role in REGISTER_WRITERS and is_city_level(request.user),
        },
    )
