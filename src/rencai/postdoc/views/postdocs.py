"""Postdoc pages: the register and its export, a postdoc's timeline, milestones, the overdue list, reminders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, city_wide
from rencai.core.audit import audit_record
from rencai.core.exports import Column, export_queryset
from rencai.core.inbox import notices_about
from rencai.core.listing import Filter, ListSpec, filtered, paginate, zone_choices
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, STAFF_AND_PARTIES, Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.postdoc.forms import AssistanceForm, MilestoneForm, SettingsForm
from rencai.postdoc.models import ACTIVE_STAGES, Postdoc, PostdocSettings, PostdocStage
from rencai.postdoc.notices import DEADLINE
from rencai.postdoc.services import postdoc_record as record_milestone
from rencai.postdoc.services import settings_update, steps_for
from rencai.postdoc.subsidies import entitlements_for

POSTDOC_READERS = REGISTER_READERS | {Role.ENTERPRISE, Role.LIAISON, Role.TALENT}


POSTDOC_SPEC = ListSpec(
    search_fields=["talent__name", "station__name", "station__enterprise__name", "topic", "supervisor",
                   "co_supervisor", "partner__institution__name"],
    search_label=_("姓名、工作站、企业、课题、导师、高校"),
    filters=[Filter("stage", _("状态"), "stage", PostdocStage.choices),
             Filter("zone", _("旗区/园区"), "station__enterprise__zone", zone_choices)],
    sorts=[("-entered_on", _("最近进站")), ("exit_due", _("出站截止")), ("talent__name", _("姓名"))],
)


def visible_postdocs(request: AuthedRequest) -> QuerySet[Postdoc]:
    return Postdoc.objects.visible_to(request.user).select_related(
        "talent", "station__enterprise__zone", "partner__institution")


@allow(*POSTDOC_READERS)
def postdoc_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_postdocs(request), POSTDOC_SPEC)
    context = {"page": paginate(request, queryset, POSTDOC_SPEC), "state": state, "spec": POSTDOC_SPEC,
               "today": timezone.localdate(), "is_staff": request.user.is_office_staff}
    return render(request, "postdoc/postdoc_list.html#results" if request.htmx else "postdoc/postdoc_list.html",
                  context)


def _next(p: Postdoc) -> str:
    found = p.next_deadline()
    return f"{found[0]} {found[1]:%Y-%m-%d}" if found else ""


POSTDOC_COLUMNS = [
    Column("姓名", lambda p: p.talent.name), Column("工作站", lambda p: p.station.name),
    Column("设站企业", lambda p: p.station.enterprise.name),
    Column("旗区/园区", lambda p: p.station.enterprise.zone.name),
    Column("合作高校", lambda p: p.partner.institution.name if p.partner else ""),
    Column("一级学科", lambda p: p.partner.discipline if p.partner else ""),
    Column("双站双城", lambda p: "是" if p.partner and p.partner.two_cities else ""),
    Column("研究课题", "topic"), Column("企业导师", "supervisor"), Column("高校合作导师", "co_supervisor"),
    Column("进站日期", "entered_on"), Column("开题截止", "proposal_due"), Column("中期评估截止", "midterm_due"),
    Column("出站截止", "exit_due"), Column("状态", lambda p: p.get_stage_display()), Column("下一期限", _next),
    Column("出站/退站日期", "left_on"),
    Column("出站后留区", lambda p: {True: "是", False: "否"}.get(p.stayed_in_zone, "")),
]


@allow(*POSTDOC_READERS)
def postdoc_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_postdocs(request), POSTDOC_SPEC)
    return export_queryset(request, queryset=queryset, columns=POSTDOC_COLUMNS, title="博士后",
                           filters=state.selected | {"q": state.q})


def postdoc_for(request: AuthedRequest, pk: int) -> Postdoc:
    return get_visible_or_404(request.user, Postdoc.objects.select_related(
        "talent", "station__enterprise__zone", "partner__institution"), pk=pk)


@allow(*POSTDOC_READERS)
def postdoc_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The timeline: each milestone with its date, documents and result, the deadlines, the subsidy schedule."""
    postdoc = postdoc_for(request, pk)
    can_write = request.user.role in REGISTER_WRITERS
    today = timezone.localdate()
    found = postdoc.next_deadline()
    steps = steps_for(postdoc, request.user) if can_write else []
    return render(request, "postdoc/postdoc_detail.html", {
        "p": postdoc, "milestones": visible_related(postdoc.milestones, request.user).select_related("by"),
        "can_write": can_write,
        "steps": steps, "form": MilestoneForm(initial={"on": today}, kinds=[str(s.kind) for s in steps]),
        "next": found, "days_left": (found[1] - today).days if found else None, "overdue": postdoc.is_overdue(today),
        "assistance": visible_related(postdoc.assistance, request.user).select_related("by"),
        "assist_form": AssistanceForm(prefix="assist", initial={"on": today}),
        "reminders": notices_about(postdoc, kinds=[DEADLINE]).select_related("recipient")
        if request.user.is_office_staff else [],
        "entitlements": entitlements_for(postdoc.source, visible_to=request.user),
    })


@allow(*POSTDOC_READERS)
def milestone_document(request: AuthedRequest, pk: int, milestone_id: int) -> FileResponse:
    """A milestone's attachment, only to those who may see the postdoc; never a public media URL."""
    postdoc = postdoc_for(request, pk)
    milestone = get_visible_or_404(request.user, postdoc.milestones.exclude(document=""), pk=milestone_id)
    audit_record(action="view", request=request, obj=milestone, detail={"document": milestone.document.name})
    return FileResponse(milestone.document.open("rb"), as_attachment=True,
                        filename=milestone.document.name.rsplit("/", 1)[-1])


@allow(*REGISTER_WRITERS)
@require_POST
def postdoc_record(request: AuthedRequest, pk: int) -> HttpResponse:
    postdoc = postdoc_for(request, pk)
    form = MilestoneForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("postdoc:postdoc", pk=postdoc.pk)
    data = form.cleaned_data
    try:
        milestone = record_milestone(
            postdoc=postdoc, kind=data["kind"], on=data["on"], by=request.user, result=data["result"],
            documents=data["documents"], note=data["note"], months=data["months"] or 0,
            stayed_in_zone=data["stayed_in_zone"], document=data["document"], request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        result = f"（{milestone.result}）" if milestone.result else ""
        messages.success(request, f"已记录{milestone.kind}{result}")
    return redirect("postdoc:postdoc", pk=postdoc.pk)


def _due(postdoc: Postdoc) -> tuple[str, date]:
    """The next milestone and its deadline of a postdoc in station (every active stage has one)."""
    deadline = postdoc.next_deadline()
    assert deadline is not None, postdoc.pk
    return deadline


@allow(*REGISTER_READERS)
def overdue_list(request: AuthedRequest) -> HttpResponse:
    """Postdocs past the deadline of their next milestone, longest overdue first."""
    today = timezone.localdate()
    late = [p for p in visible_postdocs(request).filter(stage__in=ACTIVE_STAGES) if p.is_overdue(today)]
    rows = sorted(((p, *_due(p), (today - _due(p)[1]).days) for p in late), key=lambda row: -row[3])
    soon = [p for p in visible_postdocs(request).filter(stage__in=ACTIVE_STAGES)
            if not p.is_overdue(today) and (_due(p)[1] - today).days <= 30]
    soon.sort(key=lambda p: _due(p)[1])
    return render(request, "postdoc/overdue.html", {"rows": rows, "soon": soon, "today": today})


@allow(*STAFF_AND_PARTIES)
def my_reminders(request: AuthedRequest) -> HttpResponse:
    """The old reminders page: deadline reminders now live in the one inbox; old links land there."""
    return redirect(f"{reverse('core:inbox')}?kind={DEADLINE}")


@city_wide("博士后工作设置")
@allow(Role.OFFICE_ADMIN)
def settings_view(request: AuthedRequest) -> HttpResponse:
    current = PostdocSettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        settings = form.save(commit=False)
        settings.reminder_days = form.cleaned_data["reminder_days_text"]
        settings_update(settings=settings, by=request.user, request=request)
        messages.success(request, "已保存期限设置；已进站博士后的期限不变，新进站的按新设置计算")
        return redirect("postdoc:settings")
    return render(request, "postdoc/edit.html", {"form": form, "title": "博士后期限与提醒设置"})
