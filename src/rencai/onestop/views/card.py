"""The talent's phone page, the 人才码 and its public key, the partner's scan-and-redeem page, family."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from rencai.core.access import PUBLIC, AuthedRequest, allow, deny
from rencai.core.models import User
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import get_visible_or_404
from rencai.core.sensitive import can_reveal, masked_value
from rencai.onestop import cardtoken, selectors, services
from rencai.onestop.forms import FamilyForm, TokenForm, WaitForm
from rencai.onestop.models import FamilyMember, PartnerVenue, ServiceItem, SigningKey, TalentCard
from rencai.talents.models import Talent


def qr_data_uri(text: str) -> str:
    """The code as an SVG QR image in a data: URI (an <img>, so nothing is injected into the page)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def family_rows(user: User, members: Iterable[FamilyMember]) -> list[dict[str, Any]]:
    return [{"m": m, "fields": [(f, label, masked_value(m, f), can_reveal(user, m, f), bool(getattr(m, f)))
                                for f, label in (("name", "姓名"), ("id_number", "身份证号"))]}
            for m in members]


@allow(Role.TALENT)
def mine(request: AuthedRequest) -> HttpResponse:
    talent = selectors.my_talent(request.user)
    if talent is None:
        return deny(request, "您的账号尚未关联人才档案")
    context = selectors.talent_page(request.user, talent)
    context["family_rows"] = family_rows(request.user, context["family"])
    context["family_form"] = FamilyForm()
    context["wait_form"] = WaitForm()
    return render(request, "onestop/mine.html", context)


@allow(Role.TALENT)
def card_code(request: AuthedRequest) -> HttpResponse:
    """A fresh signed code (htmx refreshes it before it expires)."""
    talent = selectors.my_talent(request.user)
    card = TalentCard.objects.visible_to(request.user).filter(talent=talent).first() if talent else None
    if card is None:
        return HttpResponse("<p class='muted'>尚未开通人才码</p>")
    try:
        token = services.card_token(card)
    except ValidationError as exc:
        return HttpResponse(format_html("<p class='error'>{}</p>", " ".join(exc.messages)))
    return render(request, "onestop/_card_code.html", {"card": card, "token": token, "qr": qr_data_uri(token),
                                                        "lifetime": cardtoken.LIFETIME_SECONDS})


@allow(PUBLIC)
def public_key(request: HttpRequest) -> JsonResponse:
    """The office's public keys: a partner verifies 人才码 offline with these alone."""
    keys = [{"kid": k.kid, "alg": "Ed25519", "public_key": k.public_key, "active": k.active}
            for k in SigningKey._base_manager.order_by("-created_at")]
    if not keys:
        key = services.signing_key()
        keys = [{"kid": key.kid, "alg": "Ed25519", "public_key": key.public_key, "active": True}]
    return JsonResponse({"format": "RC1.<base64url(JSON)>.<base64url(Ed25519 signature)>", "keys": keys})


@allow(Role.PARTNER)
def partner(request: AuthedRequest) -> HttpResponse:
    venues = list(PartnerVenue.objects.visible_to(request.user).prefetch_related("items"))
    form = TokenForm(request.POST or None)
    context: dict = {"form": form, "venues": venues}
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        try:
            claims = services.card_verify(token)
        except cardtoken.CardRefused as exc:
            context["refused"] = str(exc)
        else:
            card = claims["card"]
            context.update(claims=claims, token=token, offers=[
                (v, i, services.quota_left(card, i)) for v in venues for i in v.items.all() if i.code in claims["e"]])
    records = (services.Redemption.objects.visible_to(request.user).select_related("card", "item", "venue")[:30])
    context["records"] = records
    return render(request, "onestop/partner.html", context)


@allow(Role.PARTNER)
@require_POST
def partner_redeem(request: AuthedRequest) -> HttpResponse:
    venue = get_visible_or_404(request.user, PartnerVenue, pk=request.POST.get("venue"))
    item = get_visible_or_404(request.user, ServiceItem, pk=request.POST.get("item"))
    try:
        row = services.redeem(token=request.POST.get("token", ""), item=item, venue=venue, by=request.user,
                              request=request)
    except (cardtoken.CardRefused, PermissionDenied) as exc:
        messages.error(request, f"核销失败：{exc}")
    else:
        messages.success(request, f"已核销：{row.item.name}（卡号 {row.card.number}），本年度剩余"
                                  f"{services.quota_left(row.card, item)}次")
    return redirect("onestop:partner")


@allow(*REGISTER_READERS)
def cards(request: AuthedRequest) -> HttpResponse:
    rows = TalentCard.objects.visible_to(request.user).select_related("talent")
    without = Talent.objects.visible_to(request.user).filter(card__isnull=True).order_by("name")[:1000]
    return render(request, "onestop/cards.html", {"rows": rows[:300], "without": without,
                                                  "can_edit": request.user.role in REGISTER_WRITERS})


@allow(*REGISTER_WRITERS)
@require_POST
def card_issue(request: AuthedRequest) -> HttpResponse:
    talent = get_visible_or_404(request.user, Talent, pk=request.POST.get("talent"))
    try:
        card = services.card_issue(talent=talent, by=request.user, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已为{talent.name}开通人才码 {card.number}")
    return redirect("onestop:cards")


@allow(*REGISTER_WRITERS)
@require_POST
def card_act(request: AuthedRequest, talent_pk: int, action: str) -> HttpResponse:
    talent = get_visible_or_404(request.user, Talent, pk=talent_pk)
    try:
        if action == "issue":
            services.card_issue(talent=talent, by=request.user, request=request)
        else:
            card = get_visible_or_404(request.user, TalentCard, talent=talent)
            if action == "suspend":
                services.card_suspend(card=card, by=request.user, reason=request.POST.get("reason", ""),
                                      request=request)
            elif action == "restore":
                services.card_restore(card=card, by=request.user, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(request.POST.get("next") or "onestop:cards")


@allow(Role.TALENT, *REGISTER_WRITERS)
@require_POST
def family_add(request: AuthedRequest, talent_pk: int = 0) -> HttpResponse:
    talent = get_visible_or_404(request.user, Talent, pk=talent_pk or request.POST.get("talent"))
    form = FamilyForm(request.POST, instance=FamilyMember(talent=talent))
    if form.is_valid():
        try:
            services.family_add(member=form.instance, by=request.user, request=request)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "已登记家属")
    else:
        messages.error(request, "家属信息填写不完整")
    return redirect("onestop:mine" if request.user.role == Role.TALENT else "onestop:family")


@allow(*REGISTER_READERS)
def family(request: AuthedRequest) -> HttpResponse:
    members = FamilyMember.objects.visible_to(request.user).select_related("talent")[:300]
    talents = Talent.objects.visible_to(request.user).order_by("name")[:1000]
    return render(request, "onestop/family.html", {
        "family_rows": family_rows(request.user, members), "form": FamilyForm(), "talents": talents,
        "can_edit": request.user.role in REGISTER_WRITERS})


@allow(Role.TALENT)
@require_POST
def wait_join(request: AuthedRequest) -> HttpResponse:
    talent = selectors.my_talent(request.user)
    form = WaitForm(request.POST)
    if talent is None or not form.is_valid():
        messages.error(request, "请填写到岗日期")
    else:
        services.wait_join(talent=talent, arrival_on=form.cleaned_data["arrival_on"], by=request.user,
                           request=request)
        messages.success(request, "已申请人才公寓，进入轮候")
    return redirect("onestop:mine")
