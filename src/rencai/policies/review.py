"""Applications and their review: 初审 → 复审 → 公示 (N working days: core.workcalendar, holidays and 调休) → 批准;
rejection with reasons, resubmission and appeal. Separation of duties: whoever reviewed may not approve; the
approver may not pay (checked again in instalment_pay)."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.lifecycle import history_for
from rencai.core.models import User
from rencai.core.workcalendar import add_working_days  # holidays and 调休 from the office's calendar
from rencai.orgs.models import Enterprise
from rencai.policies.lifecycles import APPLICATION, REVIEWERS
from rencai.policies.models import Application, Attachment, Entitlement, Policy
from rencai.policies.services import entitlement_approve, entitlement_grant, version_in_force
from rencai.talents.models import Talent

__all__ = ["REVIEWERS", "add_working_days", "application_approve", "application_review", "application_submit"]
S = Application.Status


@transaction.atomic
def application_submit(*, policy: Policy, beneficiary: Talent | Enterprise, by: User, statement: str = "",
                       files: list[tuple[str, UploadedFile]] | None = None,
                       request: HttpRequest | None = None) -> Application:
    if not policy.active:
        raise ValidationError("该政策已停止受理")
    is_talent = isinstance(beneficiary, Talent)
    if policy.beneficiary_kind != ("talent" if is_talent else "enterprise"):
        raise ValidationError(f"该政策的兑现对象是{policy.get_beneficiary_kind_display()}")
    talent = beneficiary if isinstance(beneficiary, Talent) else None
    enterprise = None if isinstance(beneficiary, Talent) else beneficiary
    live = Application.objects.filter(policy=policy, talent=talent, enterprise=enterprise).exclude(status=S.REJECTED)
    if live.exists():
        raise ValidationError("已有一份进行中的申请，请勿重复提交")
    version = version_in_force(policy, timezone.localdate())
    app = Application.objects.create(
        policy=policy, version=version, zone=beneficiary.zone, applicant=by, statement=statement,
        talent=talent, enterprise=enterprise,
    )
    for title, upload in files or []:
        # an uploaded file always has a name
        Attachment.objects.create(application=app, title=title or cast(str, upload.name), file=upload)
    audit_record(action="create", request=request, user=by, obj=app, detail={"policy": policy.code})
    return app


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("policy", "version").get(pk=app.pk)


def _data(app: Application, clause: str = "", **extra: object) -> dict:
    """What a review step rests on: the policy version and the clause (kept in the StateChange row)."""
    return {"version": app.version.number, "clause": clause.strip(), **extra}


def _reject_reasons(reason: str, clause: str) -> None:
    if not reason.strip():
        raise ValidationError("驳回必须写明理由")
    if not clause.strip():
        raise ValidationError("驳回必须注明依据的政策条款")


@transaction.atomic
def application_review(*, application: Application, by: User, passed: bool, reason: str = "", clause: str = "",
                       request: HttpRequest | None = None) -> Application:
    """初审 or 复审, by the application's status; 复审 must be someone other than 初审 (a guard)."""
    app = _locked(application)
    if app.status not in (S.SUBMITTED, S.FIRST_PASSED):
        raise ValidationError(f"申请当前为{app.get_status_display()}，不在审核环节")
    if not passed:
        _reject_reasons(reason, clause)
        move = "reject"
    else:
        move = "first" if app.status == S.SUBMITTED else "second"
    return APPLICATION.transition(app, move=move, by=by, reason=reason, request=request, data=_data(app, clause))


@transaction.atomic
def notice_start(*, applications: list[Application], by: User, start: date,
                 request: HttpRequest | None = None) -> list[Application]:
    """Put reviewed applications on public notice for their policy's N working days."""
    started = []
    for application in applications:
        app = _locked(application)
        until = add_working_days(start, app.version.notice_days)

        def dates(a: Application, until: date = until) -> None:
            a.notice_from, a.notice_until = start, until

        started.append(APPLICATION.transition(app, move="notice", by=by, reason=f"公示 {start} 至 {until}",
                                              on=start, request=request, apply=dates, data=_data(app)))
    return started


def _refuse_a_second_entitlement(a: Application) -> None:
    """The 免申即享 scan or another application may already have given this person the policy: approving would
    pay it twice (caps per person do not always catch it). The policy row is locked so a scan running now
    waits."""
    from rencai.policies.models import AUTO_SOURCE, Entitlement, Policy
    from rencai.policies.services import beneficiary_key

    Policy.objects.select_for_update().filter(pk=a.policy_id).first()
    other = (Entitlement.objects.filter(policy=a.policy_id, beneficiary_key=beneficiary_key(a.beneficiary))
             .exclude(status=Entitlement.Status.STOPPED).exclude(source=f"application:{a.pk}")
             .filter(Q(source=AUTO_SOURCE) | Q(source__startswith="application:")).first())
    if other is not None:
        origin = "免申即享" if other.source == AUTO_SOURCE else f"申请第{other.source.split(':', 1)[1]}号"
        raise ValidationError(f"{a.beneficiary}已有本政策的兑现资格（{origin}，{other.get_status_display()}），"
                              "不能重复兑现：请驳回本申请，或先终止原资格")


@transaction.atomic
def application_approve(*, application: Application, by: User, clause: str = "", today: date | None = None,
                        request: HttpRequest | None = None) -> Application:
    """After the notice period: create the entitlement and reserve its money. Reviewers may not approve."""
    today = today or timezone.localdate()
    app = _locked(application)
    if app.status == S.NOTICE and app.notice_until and today <= app.notice_until:
        raise ValidationError(f"公示期至 {app.notice_until} 结束，公示期满后才能批准")

    def grant(a: Application) -> None:
        _refuse_a_second_entitlement(a)
        entitlement = entitlement_grant(policy_code=a.policy.code, beneficiary=a.beneficiary,
                                        source=f"application:{a.pk}", by=by, request=request, today=today)
        second = history_for(a).filter(move="second").order_by("-at", "-pk").first()
        Entitlement.objects.filter(pk=entitlement.pk).update(reviewed_by=second.by if second else None)
        entitlement.refresh_from_db()
        a.entitlement = entitlement_approve(entitlement=entitlement, by=by, request=request, today=today)

    return APPLICATION.transition(app, move="approve", by=by, reason="公示期满无异议，予以批准", on=today,
                                  request=request, apply=grant, data=_data(app, clause))


@transaction.atomic
def application_reject_in_notice(*, application: Application, by: User, reason: str, clause: str,
                                 request: HttpRequest | None = None) -> Application:
    """An objection upheld during the notice period."""
    app = _locked(application)
    _reject_reasons(reason, clause)
    return APPLICATION.transition(app, move="object", by=by, reason=reason, request=request,
                                  data=_data(app, clause))


@transaction.atomic
def application_resubmit(*, application: Application, by: User, statement: str,
                         files: list[tuple[str, UploadedFile]] | None = None,
                         request: HttpRequest | None = None) -> Application:
    app = _locked(application)

    def update(a: Application) -> None:
        a.statement = statement

    app = APPLICATION.transition(app, move="resubmit", by=by, reason=statement[:500], request=request,
                                 apply=update, data=_data(app))
    for title, upload in files or []:
        # an uploaded file always has a name
        Attachment.objects.create(application=app, title=title or cast(str, upload.name), file=upload)
    return app


@transaction.atomic
def application_appeal(*, application: Application, by: User, text: str,
                       request: HttpRequest | None = None) -> Application:
    app = _locked(application)
    if not text.strip():
        raise ValidationError("请写明申诉理由")

    def update(a: Application) -> None:
        a.appeal_text = text

    return APPLICATION.transition(app, move="appeal", by=by, reason=text, request=request, apply=update,
                                  data=_data(app))


@transaction.atomic
def appeal_answer(*, application: Application, by: User, upheld: bool, reason: str,
                  request: HttpRequest | None = None) -> Application:
    """The office decides an appeal: upheld sends the application back to 初审; otherwise it stays rejected."""
    app = _locked(application)
    if not reason.strip():
        raise ValidationError("请写明处理意见")
    text = ("申诉成立，重新审核：" if upheld else "维持驳回：") + reason
    return APPLICATION.transition(app, move="uphold" if upheld else "dismiss", by=by, reason=text,
                                  request=request, data=_data(app))
