"""The office's pages: the list, a 榜单's page and timeline, its form, its moves, the panel draw and the award."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.challenges import selectors, services
from rencai.challenges.forms import ChallengeForm, parse_tranches
from rencai.challenges.lifecycles import CHALLENGE, OFFICE, is_issuer
from rencai.challenges.models import Bid, BidStatus, Challenge, Objection, PanelDraw, Status
from rencai.challenges.views import READERS
from rencai.core.access import AuthedRequest, allow
from rencai.core.exports import xlsx_response
from rencai.core.listing import clean_text
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.funds.models import Fund
from rencai.talents.models import Talent

AUTHORS = OFFICE | frozenset({Role.ENTERPRISE})


def _errors(request: AuthedRequest, exc: ValidationError | PermissionDenied) -> None:
    for text in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, text)


@allow(*READERS)
def challenge_list(request: AuthedRequest) -> HttpResponse:
    queryset = selectors.challenges_for(request.user)
    status = clean_text(request.GET.get("status", ""))
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "challenges/list.html", {
        "challenges": queryset, "statuses": Status.choices, "status": status,
        "can_create": request.user.role in AUTHORS, "totals": selectors.outcome_totals(request.user)})


@allow(*AUTHORS)
def challenge_create(request: AuthedRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        challenge = form.save(commit=False)
        challenge.kpis = form.cleaned_data["kpis_text"]
        try:
            challenge = services.challenge_create(challenge=challenge, by=request.user,
                                                  cofunders=form.cleaned_data["cofunders_text"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"榜单“{challenge}”已保存为草稿")
            return redirect("challenges:detail", challenge.pk)
    return render(request, "challenges/edit.html", {"form": form, "challenge": None})


@allow(*AUTHORS)
def challenge_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    if not (request.user.role in OFFICE or is_issuer(challenge, request.user)):
        raise PermissionDenied("只有发榜方或人才办可以修改榜单")
    form = ChallengeForm(request.POST or None, instance=challenge, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
        fields["kpis"] = form.cleaned_data["kpis_text"]
        try:
            services.challenge_update(challenge=Challenge.objects.get(pk=pk), by=request.user, fields=fields,
                                      cofunders=form.cleaned_data["cofunders_text"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "榜单已保存")
            return redirect("challenges:detail", pk)
    return render(request, "challenges/edit.html", {"form": form, "challenge": challenge})


@require_POST
@allow(*AUTHORS)
def challenge_from_need(request: AuthedRequest, pk: int) -> HttpResponse:
    """A draft 榜单 from an enterprise need (技术攻关), keeping the link; the author completes it on the form."""
    from datetime import timedelta

    from django.utils import timezone

    from rencai.needs.models import Need

    need = get_visible_or_404(request.user, Need, pk=pk)
    cap = Decimal(str(need.budget or 0)) * 10000 or Decimal("1000000")
    try:
        challenge = services.challenge_from_need(need=need, by=request.user, cap=cap,
                                                 deadline=timezone.localdate() + timedelta(days=30), request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("challenges:list")
    messages.success(request, "已根据需求生成榜单草稿，请补充考核指标和验收标准")
    return redirect("challenges:edit", challenge.pk)


@allow(*READERS)
def challenge_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    user = request.user
    members, ranking = selectors.ranking(user, challenge)
    staff = user.role in STAFF
    draw = PanelDraw.objects.visible_to(user).filter(challenge=challenge).first()
    excluded = []
    if draw is not None:
        names = dict(Talent.objects.filter(pk__in=[int(k) for k in draw.excluded]).values_list("pk", "name"))
        excluded = [(names.get(int(k), k), reasons) for k, reasons in draw.excluded.items()]
    return render(request, "challenges/detail.html", {
        "c": challenge, "moves": [m for m in CHALLENGE.moves_for(challenge, user) if m.name != "award"],
        "can_award": challenge.status == Status.NOTICE and user.role == Role.OFFICE_ADMIN,
        "can_edit": challenge.status in (Status.DRAFT, Status.PENDING)
        and (user.role in OFFICE or is_issuer(challenge, user)),
        "cofunders": visible_related(challenge.cofunders, user),
        "bids": selectors.bids_for(user, challenge).exclude(status=BidStatus.DRAFT),
        "draw": draw, "excluded": excluded, "panel": visible_related(challenge.panel, user).select_related("talent"),
        "can_draw": staff and user.role in OFFICE and challenge.status == Status.CLOSED,
        "members": members, "ranking": ranking,
        "objections": Objection.objects.visible_to(user).filter(challenge=challenge),
        "awards": selectors.awards_for(user, challenge), "staff": staff})


@allow(*READERS)
def challenge_timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    return render(request, "challenges/timeline.html",
                  {"c": challenge, "history": selectors.timeline(request.user, challenge)})


@require_POST
@allow(*READERS)
def challenge_move(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    move = clean_text(request.POST.get("move", ""))
    try:
        services.challenge_move(challenge=challenge, move=move, by=request.user,
                                reason=request.POST.get("reason", ""), request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已{CHALLENGE.move(move).label}")
    return redirect("challenges:detail", pk)


@require_POST
@allow(*OFFICE)
def panel_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    seed_text = clean_text(request.POST.get("seed", "")).strip()
    try:
        seed = int(seed_text) if seed_text else None
        draw = services.panel_draw(challenge=challenge, by=request.user, seed=seed, request=request)
    except ValueError:
        messages.error(request, "随机种子应为整数，或留空由系统生成")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已抽取 {len(draw.drawn)} 位专家（随机种子 {draw.seed}）")
    return redirect("challenges:detail", pk)


@require_POST
@allow(*OFFICE)
def conflict_declare(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    try:
        talent = get_visible_or_404(request.user, Talent, pk=int(request.POST.get("talent", "0") or 0))
        services.conflict_declare(challenge=challenge, talent=talent, reason=request.POST.get("reason", ""),
                                  by=request.user, request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    except ValueError:
        messages.error(request, "请选择专家")
    else:
        messages.success(request, "已登记回避")
    return redirect("challenges:detail", pk)


@require_POST
@allow(*OFFICE)
def objection_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = get_visible_or_404(request.user, Objection, pk=pk)
    try:
        services.objection_resolve(objection=objection, by=request.user,
                                   resolution=request.POST.get("resolution", ""), request=request)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("challenges:detail", objection.challenge_id)


@allow(Role.OFFICE_ADMIN)
def challenge_award(request: AuthedRequest, pk: int) -> HttpResponse:
    """The decision: pick the winners (one, or N in a race), their amounts and milestones, and the fund."""
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    bids = list(Bid.objects.visible_to(request.user).filter(challenge=challenge, status=BidStatus.FROZEN))
    _, ranking = selectors.ranking(request.user, challenge)
    funds = Fund.objects.visible_to(request.user).filter(zone=challenge.zone).order_by("-year", "level")
    if request.method == "POST":
        try:
            fund = funds.get(pk=int(request.POST.get("fund", "0") or 0))
            winners = []
            for bid in bids:
                if request.POST.get(f"win_{bid.pk}"):
                    amount = Decimal(request.POST.get(f"amount_{bid.pk}", "") or "0")
                    winners.append(services.Winner(bid=bid, amount=amount,
                                                   tranches=parse_tranches(request.POST.get(f"plan_{bid.pk}", ""))))
            services.challenge_award(challenge=challenge, winners=winners, fund=fund, by=request.user,
                                     request=request)
        except (Fund.DoesNotExist, ValueError, InvalidOperation):
            messages.error(request, "请选择资金来源并填写资助金额")
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已决定立项，各期资金已在资金中预留")
            return redirect("challenges:detail", pk)
    plans = {b.pk: "\n".join(f"{p['title']}|{p['due']}|{p['deliverable']}|{p['percent']}"
                             for p in (b.latest_version().plan if b.latest_version() else [])) for b in bids}
    return render(request, "challenges/award_form.html", {
        "c": challenge, "bids": [(b, plans[b.pk], b.latest_version()) for b in bids], "ranking": ranking,
        "funds": funds})


@allow(*STAFF)
def scores_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """评分表: every expert's score of every bid (staff only; names of experts, codes of bids)."""
    challenge = get_visible_or_404(request.user, Challenge, pk=pk)
    members, ranking = selectors.ranking(request.user, challenge)
    header = ["排名", "方案编号", "团队负责人", "单位", *[str(m.talent) for m in members], "平均分", "极差", "标准差"]
    rows = [[r.rank, r.bid.code, r.bid.lead_name, r.bid.unit, *[r.scores.get(m.pk, "") for m in members],
             r.mean, r.spread, r.stdev] for r in ranking]
    return xlsx_response(f"{challenge.title}评分表", [("评分表", header, rows)])
