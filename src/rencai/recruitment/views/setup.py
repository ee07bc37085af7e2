"""Setting a competition up in the browser: the competition, its tracks, rounds, rubric, judges and entries, and the
scores judges hand in. Office staff only; every write goes through services (an edit saved unchanged writes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rencai.core.access import AuthedRequest, allow
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404
from rencai.recruitment import services
from rencai.recruitment.forms import (
    CompetitionForm,
    CriterionForm,
    EntryForm,
    JudgeForm,
    RoundForm,
    ScoreForm,
    TrackForm,
)
from rencai.recruitment.models import Competition, Criterion, Entry, Judge, Round, Track

OFFICE = (Role.OFFICE_ADMIN, Role.REVIEWER)


def _errors_into(form: BaseForm, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, problems in errors.items():
        form.add_error(field if field in form.fields else None, problems)


def _form_page(request: AuthedRequest, form: BaseForm, save: Callable[[], Any], *, title: str,
               back: str, back_args: list[Any]) -> HttpResponse:
    """Show the form; on a valid POST call `save` (a service), then go back. A refusal shows beside the form."""
    if request.method == "POST" and form.is_valid():
        try:
            changed = save()
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect(back, *back_args)
    return render(request, "recruitment/form.html", {"form": form, "title": title,
                                                     "back": (back, back_args)})


def _competition(request: AuthedRequest, pk: int) -> Competition:
    return get_visible_or_404(request.user, Competition, pk=pk)


@allow(*OFFICE)
def competition_create(request: AuthedRequest) -> HttpResponse:
    return _competition_form(request, Competition())


@allow(*OFFICE)
def competition_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _competition_form(request, _competition(request, pk))


def _competition_form(request: AuthedRequest, competition: Competition) -> HttpResponse:
    form = CompetitionForm(request.POST or None, instance=competition, zones=request.user.visible_zones())
    if request.method == "POST" and form.is_valid():
        try:
            services.competition_save(competition=form.instance, by=request.user, request=request)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return redirect("recruitment:competition", pk=form.instance.pk)
    title = _("修改大赛") if competition.pk else _("新建创新创业大赛")
    return render(request, "recruitment/form.html", {"form": form, "title": title})


# --- tracks, rounds and the rubric: three small records of one competition --------------------------------------


def _part_page(request: AuthedRequest, obj: Track | Round | Criterion, form_class: Any, title: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=obj)
    return _form_page(request, form, lambda: services.competition_part_save(obj=form.instance, by=request.user,
                                                                            request=request),
                      title=f"{title} · {obj.competition}", back="recruitment:competition",
                      back_args=[obj.competition_id])


@allow(*OFFICE)
def track_create(request: AuthedRequest, pk: int) -> HttpResponse:
    return _part_page(request, Track(competition=_competition(request, pk)), TrackForm, _("添加赛道"))


@allow(*OFFICE)
def track_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _part_page(request, get_visible_or_404(request.user, Track, pk=pk), TrackForm, _("修改赛道"))


@allow(*OFFICE)
def round_create(request: AuthedRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    seq = (competition.rounds.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    return _part_page(request, Round(competition=competition, seq=seq), RoundForm, _("添加比赛轮次"))


@allow(*OFFICE)
def round_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _part_page(request, get_visible_or_404(request.user, Round, pk=pk), RoundForm, _("修改比赛轮次"))


@allow(*OFFICE)
def criterion_create(request: AuthedRequest, pk: int) -> HttpResponse:
    return _part_page(request, Criterion(competition=_competition(request, pk)), CriterionForm, _("添加评分项"))


@allow(*OFFICE)
def criterion_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _part_page(request, get_visible_or_404(request.user, Criterion, pk=pk), CriterionForm, _("修改评分项"))


# --- judges and entries ------------------------------------------------------------------------------------------


def _judge_page(request: AuthedRequest, judge: Judge) -> HttpResponse:
    experts = User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username")
    form = JudgeForm(request.POST or None, instance=judge, competition=judge.competition, experts=experts)

    def save() -> list[str]:
        declared = list(form.cleaned_data.get("declared") or [])
        return services.judge_save(judge=form.instance, declared=declared, by=request.user, request=request)

    title = _("修改评委") if judge.pk else _("添加评委")
    return _form_page(request, form, save, title=f"{title} · {judge.competition}", back="recruitment:competition",
                      back_args=[judge.competition_id])


@allow(*OFFICE)
def judge_create(request: AuthedRequest, pk: int) -> HttpResponse:
    return _judge_page(request, Judge(competition=_competition(request, pk)))


@allow(*OFFICE)
def judge_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _judge_page(request, get_visible_or_404(request.user, Judge.objects.select_related("competition"), pk=pk))


def _entry_page(request: AuthedRequest, entry: Entry, competition: Competition) -> HttpResponse:
    form = EntryForm(request.POST or None, instance=entry, competition=competition)
    title = _("修改参赛项目") if entry.pk else _("登记参赛项目")
    return _form_page(request, form, lambda: services.entry_save(entry=form.instance, by=request.user,
                                                                 request=request),
                      title=f"{title} · {competition}", back="recruitment:competition", back_args=[competition.pk])


@allow(*OFFICE)
def entry_create(request: AuthedRequest, pk: int) -> HttpResponse:
    return _entry_page(request, Entry(), _competition(request, pk))


@allow(*OFFICE)
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_visible_or_404(request.user, Entry.objects.select_related("track__competition"), pk=pk)
    return _entry_page(request, entry, entry.track.competition)


@allow(*OFFICE)
def entry_scores(request: AuthedRequest, pk: int) -> HttpResponse:
    """Office staff enter a judge's score sheet for an entry in the round it is in (conflicts refused)."""
    entry = get_visible_or_404(request.user, Entry.objects.select_related("track__competition", "reached"), pk=pk)
    competition = entry.track.competition
    form = ScoreForm(request.POST or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_record(judge=form.cleaned_data["judge"], entry=entry, round=entry.reached,
                                  values=form.values(), by=request.user, request=request)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("已保存评分"))
            return redirect("recruitment:competition", pk=competition.pk)
    judges = [(j, services.judge_conflicts(j, entry)) for j in competition.judges.all()]
    return render(request, "recruitment/scores.html", {"form": form, "entry": entry, "competition": competition,
                                                       "judges": judges})
