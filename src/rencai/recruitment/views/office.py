"""Campaign, pipeline and funnel pages for office staff and (their own posts only) enterprise users."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.files import serve_attachment
from rencai.core.lifecycle import history_for
from rencai.core.listing import clean_text, int_param
from rencai.core.masking import mask_id_number, mask_phone
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404
from rencai.core.sensitive import can_reveal
from rencai.core.stats import picture_json, picture_xlsx
from rencai.needs.models import Kind, Need
from rencai.orgs.models import Enterprise
from rencai.recruitment import selectors, services
from rencai.recruitment.forms import (
    CampaignForm,
    ContractForm,
    EnterprisePostForm,
    EventEditForm,
    EventForm,
    IntentionForm,
    MoveForm,
    PostEditForm,
    PostForm,
)
from rencai.recruitment.models import PIPELINE, Campaign, Event, Intention, Post, Source, Stage

OFFICE = (Role.OFFICE_ADMIN, Role.REVIEWER)
READERS = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.ENTERPRISE)


def _campaign(request: AuthedRequest, pk: int) -> Campaign:
    """The campaign if the user may read it: office staff by scope, an enterprise user where it has posts.
    (campaigns_for is already the user's scope: filtering it again through Campaign.visible_to, which knows no
    enterprise, refused every enterprise user.)"""
    campaign = selectors.campaigns_for(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("活动不存在或不在您的可见范围内"))
    return campaign


@allow(*READERS)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    campaigns = selectors.campaigns_for(request.user).select_related("zone")
    rows = [(c, selectors.intentions_for(request.user, post__campaign=c).count()) for c in campaigns[:100]]
    return render(request, "recruitment/campaign_list.html", {"rows": rows})


@allow(*OFFICE)
def campaign_create(request: AuthedRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, zones=request.user.visible_zones())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        city = data["zone"].city if data.get("zone") else request.user.city
        try:
            campaign = services.campaign_create(by=request.user, request=request, city=city, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("recruitment:campaign", pk=campaign.pk)
    return render(request, "recruitment/form.html", {"form": form, "title": _("新建招才活动")})


@allow(*OFFICE)
def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, zones=request.user.visible_zones(),
                        initial={"stages": campaign.stages})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.campaign_update(campaign=form.instance, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("recruitment:campaign", pk=campaign.pk)
    return render(request, "recruitment/form.html", {"form": form, "title": _("修改招才活动"),
                                                     "back": ("recruitment:campaign", [campaign.pk])})


def _booth_staff_choices(event: Event) -> QuerySet[User]:
    """Who may staff a booth: active office staff of the campaign's zone (or city), and the users of the
    enterprises with posts in the campaign."""
    from django.db.models import Q

    campaign = event.campaign
    office = Q(role__in=OFFICE)
    office &= Q(zone=campaign.zone_id) | Q(zone__isnull=True, city=campaign.city_id) if campaign.zone_id \
        else Q(city=campaign.city_id) | Q(zone__city=campaign.city_id)
    hirers = Q(role=Role.ENTERPRISE, enterprises__recruit_posts__campaign=campaign)
    chosen = Q(pk__in=event.booth_staff.values("pk")) if event.pk else Q(pk__in=[])
    return User.objects.filter((office | hirers | chosen) & Q(is_active=True)).distinct().order_by("role", "username")


@allow(*OFFICE)
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(request.user, Event.objects.select_related("campaign"), pk=pk)
    if event.campaign not in Campaign.objects.visible_to(request.user):
        return redirect("recruitment:booth", pk=event.pk)  # booth staff of another zone: their booth page
    form = EventEditForm(request.POST or None, instance=event, staff=_booth_staff_choices(event))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.event_update(event=form.instance, booth_staff=list(form.cleaned_data["booth_staff"]),
                                            by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("recruitment:campaign", pk=event.campaign_id)
    return render(request, "recruitment/form.html", {"form": form, "title": _("修改场次与展位工作人员"),
                                                     "back": ("recruitment:campaign", [event.campaign_id])})


@allow(*READERS)
def post_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Office staff, or the enterprise the post belongs to, change its title, field and headcount."""
    post = get_visible_or_404(request.user, Post.objects.select_related("campaign", "enterprise"), pk=pk)
    form = PostEditForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.post_update(post=form.instance, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("recruitment:campaign", pk=post.campaign_id)
    return render(request, "recruitment/form.html", {"form": form, "title": _("修改岗位") + f" · {post}",
                                                     "back": ("recruitment:campaign", [post.campaign_id])})


@allow(Role.ENTERPRISE)
def enterprise_campaigns(request: AuthedRequest) -> HttpResponse:
    """The campaigns an enterprise may join with a post, and the posts it already has in each."""
    from rencai.orgs.models import Enterprise

    own = Enterprise.objects.filter(members=request.user).select_related("zone")
    campaigns = services.campaigns_open_to_enterprises(own).order_by("starts_on", "pk")
    mine = Post.objects.visible_to(request.user).filter(campaign__in=campaigns).select_related("campaign")
    rows = [(c, [p for p in mine if p.campaign_id == c.pk]) for c in campaigns[:100]]
    return render(request, "recruitment/enterprise_campaigns.html", {"rows": rows})


@allow(Role.ENTERPRISE)
def enterprise_post_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """An enterprise user offers one of its published needs as a post in a campaign of its zone or city."""
    from rencai.orgs.models import Enterprise

    own = Enterprise.objects.filter(members=request.user)
    # Campaigns are office records (no enterprise scope): the ones open to this user's enterprises are the scope here.
    campaign = services.campaigns_open_to_enterprises(own).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("活动不存在或不接受本企业报名"))
    needs = selectors.enterprise_needs_for_posts(request.user).exclude(recruit_posts__campaign=campaign)
    form = EnterprisePostForm(request.POST or None, needs=needs)
    if request.method == "POST" and form.is_valid():
        extra = {"headcount": form.cleaned_data["headcount"]} if form.cleaned_data.get("headcount") else {}
        try:
            post = services.post_add(campaign=campaign, by=request.user, request=request,
                                     need=form.cleaned_data["need"], **extra)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已添加岗位：%(title)s") % {"title": post.title})
            return redirect("recruitment:campaign", pk=campaign.pk)
    return render(request, "recruitment/enterprise_post.html", {"form": form, "campaign": campaign,
                                                                "has_needs": needs.exists()})


@allow(*READERS)
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    posts = Post.objects.visible_to(request.user).filter(campaign=campaign).select_related("enterprise", "need")
    events = campaign.events.prefetch_related("booth_staff")
    context = {"campaign": campaign, "posts": posts, "events": events,
               "enterprises": sorted({p.enterprise.name for p in posts}),
               "stages": [Stage(s).label for s in campaign.enabled_stages()],
               "is_office": request.user.role in OFFICE, "is_enterprise": request.user.role == Role.ENTERPRISE,
               "booths": set(selectors.booths_for(request.user).filter(campaign=campaign).values_list("pk", flat=True)),
               "event_form": EventForm(), "post_form": _post_form(request, campaign)}
    return render(request, "recruitment/campaign_detail.html", context)


def _post_form(request: AuthedRequest, campaign: Campaign, data: object = None) -> PostForm:
    enterprises = Enterprise.objects.visible_to(request.user)
    needs = Need.objects.visible_to(request.user).filter(kind__in=[Kind.TALENT, Kind.ASSISTANT])
    return PostForm(data, enterprises=enterprises, needs=needs)


@allow(*OFFICE)
@require_POST
def event_add(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            services.event_add(campaign=campaign, by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("已添加场次"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
    return redirect("recruitment:campaign", pk=campaign.pk)


@allow(*OFFICE)
@require_POST
def post_add(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    form = _post_form(request, campaign, request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            services.post_add(campaign=campaign, by=request.user, request=request, **data)
            messages.success(request, _("已添加岗位"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(str(e) for v in form.errors.values() for e in v))
    return redirect("recruitment:campaign", pk=campaign.pk)


@allow(*OFFICE)
def intention_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff enter an intention gathered at a booth (the candidate consented on paper or on the spot)."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    posts = Post.objects.visible_to(request.user).filter(campaign=campaign).select_related("enterprise")
    form = IntentionForm(request.POST or None, posts=posts)
    events = campaign.events.all()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        event = events.filter(pk=request.POST.get("event") or 0).first()
        try:
            intention = services.intention_capture(event=event, source=Source.STAFF, by=request.user,
                                                   request=request, **data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for field, problems in errors.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("已登记求职意向"))
            return redirect("recruitment:intention", pk=intention.pk)
    return render(request, "recruitment/entry.html", {"form": form, "campaign": campaign, "events": events})


@allow(*READERS)
def pipeline(request: AuthedRequest) -> HttpResponse:
    campaign_id = int_param(request, "campaign")  # anything not a plain number is no filter, never a 500
    stage = clean_text(request.GET.get("stage", "")) or None
    rows = selectors.intentions_for(request.user, post__campaign=campaign_id, stage=stage)
    counts = dict(selectors.intentions_for(request.user, post__campaign=campaign_id).values_list("stage")
                  .order_by().annotate(n=Count("pk")))
    context = {"rows": rows[:200], "total": rows.count(), "campaigns": selectors.campaigns_for(request.user),
               "campaign_id": campaign_id, "stage": stage,
               "stages": [(s.value, s.label, counts.get(s.value, 0)) for s in Stage]}
    return render(request, "recruitment/pipeline.html", context)


def _intention(request: AuthedRequest, pk: int) -> Intention:
    return get_visible_or_404(request.user, Intention.objects.select_related(
        "candidate", "post__enterprise", "post__campaign", "event", "talent", "entitlement"), pk=pk)


@allow(*READERS)
def intention_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    intention = _intention(request, pk)
    candidate = intention.candidate
    sensitive = [{"field": f, "label": getattr(candidate._meta.get_field(f), "verbose_name", f),
                  "has_value": bool(getattr(candidate, f)),
                  "masked": mask(getattr(candidate, f)) if getattr(candidate, f) else "",
                  "can_reveal": can_reveal(request.user, candidate, f)}
                 for f, mask in (("id_number", mask_id_number), ("phone", mask_phone))]
    context = {"intention": intention, "candidate": candidate, "sensitive": sensitive,
               "moves": services.INTENTION.moves_for(intention, request.user),
               "history": history_for(intention), "contract_form": ContractForm(),
               "others": selectors.intentions_for(request.user, candidate=candidate).exclude(pk=intention.pk),
               "can_upload": intention.stage in PIPELINE[: PIPELINE.index(Stage.ARRIVED)]}
    return render(request, "recruitment/intention_detail.html", context)


@allow(*READERS)
@require_POST
def intention_move(request: AuthedRequest, pk: int) -> HttpResponse:
    intention = _intention(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.intention_move(intention=intention, move=form.cleaned_data["move"], by=request.user,
                                    reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("已更新阶段"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("recruitment:intention", pk=intention.pk)


@allow(*READERS)
@require_POST
def contract_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    intention = _intention(request, pk)
    form = ContractForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.contract_upload(intention=intention, file=form.cleaned_data["contract"], by=request.user,
                                     request=request)
            messages.success(request, _("已上传签约合同"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("请选择合同文件"))
    return redirect("recruitment:intention", pk=intention.pk)


@allow(*READERS)
def contract_download(request: AuthedRequest, pk: int) -> FileResponse:
    return serve_attachment(request, _intention(request, pk), "contract")


def _funnel_rows(request: AuthedRequest) -> tuple[QuerySet[Intention], dict]:
    filters = {"post__campaign": int_param(request, "campaign"),
               "event__university": clean_text(request.GET.get("university", "")) or None,
               "post__enterprise": int_param(request, "enterprise"),
               "post__field_text": clean_text(request.GET.get("field", "")) or None}
    return selectors.intentions_for(request.user, **filters), {k: v for k, v in filters.items() if v}


@allow(*READERS)
def funnel(request: AuthedRequest) -> HttpResponse:
    rows, filters = _funnel_rows(request)
    picture = selectors.funnel_picture(rows)
    everything = selectors.intentions_for(request.user)
    context = {"picture": picture, "query": request.GET.urlencode(), "campaigns": selectors.campaigns_for(request.user),
               "universities": sorted(set(everything.exclude(event=None).values_list("event__university", flat=True))),
               "fields": sorted({f for f in everything.values_list("post__field_text", flat=True) if f}),
               "current": request.GET}
    return render(request, "recruitment/funnel.html", context)


@allow(*READERS)
def funnel_json(request: AuthedRequest) -> HttpResponse:
    rows, _ = _funnel_rows(request)
    return picture_json(selectors.funnel_picture(rows))


@allow(*READERS)
def funnel_xlsx(request: AuthedRequest) -> HttpResponse:
    rows, filters = _funnel_rows(request)
    picture = selectors.funnel_picture(rows)
    summary = [("概况", ["指标", "数值"], [["意向总数", picture["total"]], ["签约", picture["signed"]],
                                           ["区内参保", picture["insured"]], ["签约转化率(%)", picture["conversion"]],
                                           ["平均签约用时(天)", picture["time_to_sign"] or ""]])]
    return picture_xlsx(request, picture=picture, title="招才引智漏斗", object_type="recruitment.intention",
                        filters={k: str(v) for k, v in filters.items()}, first=summary,
                        sheets=[("funnel", "漏斗", "阶段"), ("by_university", "按高校", "高校"),
                                ("by_enterprise", "按企业", "企业"), ("by_field", "按领域", "领域"),
                                ("hires_by_source", "签约来源", "来源"), ("days_in_stage", "平均停留天数", "阶段")])


def insurance_import_url() -> str:
    return reverse("core:import_start", args=["social_insurance"])
