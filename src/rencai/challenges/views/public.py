"""Public pages (no log-in): the published 榜单, one 榜单, the 公示 and their .xlsx; objections for signed-in users."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.challenges import selectors, services
from rencai.challenges.models import Award, Bid, Challenge, Status
from rencai.core.access import PUBLIC, AuthedRequest, allow
from rencai.core.exports import xlsx_response
from rencai.core.roles import EVERYONE


def _public(pk: int) -> Challenge:
    try:
        return selectors.public_challenges().get(pk=pk)
    except Challenge.DoesNotExist:
        raise Http404("榜单不存在或尚未发布") from None


def _notice_rows(challenge: Challenge) -> list[tuple[int, str, str, object]]:
    """The 公示 list: the proposed winners' team leads and units with their mean scores and rank."""
    from rencai.challenges.models import Score

    rows: dict[int, tuple[Bid, list[Decimal]]] = {}
    for s in Score.objects.filter(assignment__challenge=challenge).select_related("assignment__bid"):
        rows.setdefault(s.assignment.bid_id, (s.assignment.bid, []))[1].append(s.total)
    ranked = sorted(((bid, sum(v) / len(v)) for bid, v in rows.values()), key=lambda x: -x[1])
    return [(i, bid.lead_name, bid.unit, round(mean, 2)) for i, (bid, mean) in enumerate(ranked, start=1)]


@allow(PUBLIC)
def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "challenges/public_list.html", {"challenges": selectors.public_challenges()})


PUBLIC_HEADER = ["榜单名称", "发榜方", "旗区/园区", "方式", "资助上限（元）", "揭榜截止日期", "揭榜条件", "状态"]


@allow(PUBLIC)
def public_xlsx(request: HttpRequest) -> HttpResponse:
    rows = [[c.title, c.issuer_name, str(c.zone), c.get_mode_display(), c.cap, c.deadline, c.eligibility,
             c.get_status_display()] for c in selectors.public_challenges()]
    return xlsx_response("揭榜挂帅榜单", [("榜单", PUBLIC_HEADER, rows)])


@allow(PUBLIC)
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _public(pk)
    return render(request, "challenges/public_detail.html", {
        "c": challenge, "cofunders": challenge.cofunders.all(), "open": challenge.status == Status.PUBLISHED,
        "in_notice": challenge.status == Status.NOTICE,
        "awards": Award.objects.filter(challenge=challenge).select_related("bid")
        if challenge.status in (Status.AWARDED, Status.ACCEPTED) else []})


@allow(PUBLIC)
def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _public(pk)
    if challenge.status not in (Status.NOTICE, Status.AWARDED, Status.ACCEPTED):
        raise Http404("该榜单尚未公示评审结果")
    return render(request, "challenges/notice.html", {"c": challenge, "rows": _notice_rows(challenge),
                                                      "open": challenge.status == Status.NOTICE})


@allow(PUBLIC)
def public_notice_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _public(pk)
    if challenge.status not in (Status.NOTICE, Status.AWARDED, Status.ACCEPTED):
        raise Http404("该榜单尚未公示评审结果")
    return xlsx_response(f"{challenge.title}公示名单",
                         [("公示名单", ["排名", "团队负责人", "单位", "平均分"], _notice_rows(challenge))])


@require_POST
@allow(*EVERYONE)
def objection_file(request: AuthedRequest, pk: int) -> HttpResponse:
    challenge = _public(pk)
    try:
        services.objection_file(challenge=challenge, by=request.user, text=request.POST.get("text", ""),
                                request=request)
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
    else:
        messages.success(request, "异议已提交，人才办将核实处理并答复")
    return redirect("challenges:public_notice", pk)
