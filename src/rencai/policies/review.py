"""Applications and their review: 初审 → 复审 → 公示 (N working days) → 批准; rejection with reasons,
resubmission and appeal. Separation of duties: whoever reviewed may not approve; the approver may not pay
(checked again in instalment_pay)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.orgs.models import Enterprise
from rencai.policies.models import Application, Attachment, Decision, Entitlement, Policy
from rencai.policies.services import entitlement_approve, entitlement_grant, version_in_force
from rencai.talents.models import Talent

REVIEWERS = frozenset({Role.REVIEWER, Role.OFFICE_ADMIN})
S = Application.Status


def add_working_days(start: date, days: int) -> date:
    """The last day of a notice of `days` working days starting on `start` (weekends skipped;
    public holidays are not known to the platform, so offices lengthen N around them)."""
    if days <= 0:  # no notice period: it is over before it starts
        return start - timedelta(days=1)
    day, counted = start, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


@transaction.atomic
def application_submit(*, policy: Policy, beneficiary: Talent | Enterprise, by: User, statement: str = "",
                       files: list[tuple[str, UploadedFile]] | None = None,
                       request: HttpRequest | None = None) -> Application:
    if not policy.active:
        raise ValidationError("该政策已停止受理")
    is_talent = isinstance(beneficiary, Talent)
    if policy.beneficiary_kind != ("talent" if is_talent else "enterprise"):
        raise ValidationError(f"该政策的兑现对象是{policy.get_beneficiary_kind_display()}")
    live = Application.objects.filter(policy=policy, talent=beneficiary if is_talent else None,
                                      enterprise=None if is_talent else beneficiary).exclude(status=S.REJECTED)
    if live.exists():
        raise ValidationError("已有一份进行中的申请，请勿重复提交")
    version = version_in_force(policy, timezone.localdate())
    app = Application.objects.create(
        policy=policy, version=version, zone=beneficiary.zone, applicant=by, statement=statement,
        talent=beneficiary if is_talent else None, enterprise=None if is_talent else beneficiary,
    )
    for title, upload in files or []:
        Attachment.objects.create(application=app, title=title or upload.name, file=upload)
    audit_record(action="create", request=request, user=by, obj=app, detail={"policy": policy.code})
    return app


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("policy", "version").get(pk=app.pk)


def _record(app: Application, step: str, by: User, reason: str, clause: str) -> None:
    Decision.objects.create(application=app, step=step, by=by, reason=reason, clause=clause,
                            version_number=app.version.number)


def _require(app: Application, status: str, what: str) -> None:
    if app.status != status:
        raise ValidationError(f"申请当前为{app.get_status_display()}，不能{what}")


def _require_role(by: User, roles: frozenset[str], what: str) -> None:
    if by.role not in roles:
        raise ValidationError(f"您的角色不能{what}")


@transaction.atomic
def application_review(*, application: Application, by: User, passed: bool, reason: str = "", clause: str = "",
                       request: HttpRequest | None = None) -> Application:
    """初审 or 复审, by the application's status; 复审 must be someone other than 初审."""
    app = _locked(application)
    _require_role(by, REVIEWERS, "审核")
    if app.status == S.SUBMITTED:
        step, to = Decision.Step.FIRST, S.FIRST_PASSED
    elif app.status == S.FIRST_PASSED:
        step, to = Decision.Step.SECOND, S.SECOND_PASSED
        if by.pk in app.deciders(Decision.Step.FIRST):
            raise ValidationError("初审人不能同时复审")
    else:
        raise ValidationError(f"申请当前为{app.get_status_display()}，不在审核环节")
    if not passed:
        return _reject(app, by=by, reason=reason, clause=clause, request=request)
    _record(app, step, by, reason, clause)
    app.status = to
    app.save(update_fields=["status"])
    audit_record(action="update", request=request, user=by, obj=app, detail={"step": step, "passed": True})
    return app


def _reject(app: Application, *, by: User, reason: str, clause: str, request: HttpRequest | None) -> Application:
    if not reason.strip():
        raise ValidationError("驳回必须写明理由")
    if not clause.strip():
        raise ValidationError("驳回必须注明依据的政策条款")
    _record(app, Decision.Step.REJECT, by, reason, clause)
    app.status = S.REJECTED
    app.save(update_fields=["status"])
    audit_record(action="update", request=request, user=by, obj=app, detail={"reject": reason, "clause": clause})
    return app


@transaction.atomic
def notice_start(*, applications: list[Application], by: User, start: date,
                 request: HttpRequest | None = None) -> list[Application]:
    """Put reviewed applications on public notice for their policy's N working days."""
    _require_role(by, REVIEWERS, "发起公示")
    started = []
    for application in applications:
        app = _locked(application)
        _require(app, S.SECOND_PASSED, "公示")
        app.notice_from, app.notice_until = start, add_working_days(start, app.version.notice_days)
        app.status = S.NOTICE
        app.save(update_fields=["status", "notice_from", "notice_until"])
        _record(app, Decision.Step.NOTICE, by, f"公示 {start} 至 {app.notice_until}", "")
        started.append(app)
    audit_record(action="update", request=request, user=by, object_type="policies.application",
                 object_repr=f"公示 {len(started)} 项", detail={"notice": [a.pk for a in started]})
    return started


@transaction.atomic
def application_approve(*, application: Application, by: User, clause: str = "", today: date | None = None,
                        request: HttpRequest | None = None) -> Application:
    """After the notice period: create the entitlement and reserve its money. Reviewers may not approve."""
    today = today or timezone.localdate()
    app = _locked(application)
    _require(app, S.NOTICE, "批准")
    if app.notice_until and today <= app.notice_until:
        raise ValidationError(f"公示期至 {app.notice_until} 结束，公示期满后才能批准")
    if by.pk in app.deciders(Decision.Step.FIRST) | app.deciders(Decision.Step.SECOND):
        raise ValidationError("审核人不能批准自己审核过的申请")
    entitlement = entitlement_grant(policy_code=app.policy.code, beneficiary=app.beneficiary,
                                    source=f"application:{app.pk}", by=by, request=request, today=today)
    reviewers = app.decisions.filter(step=Decision.Step.SECOND).order_by("-at").first()
    Entitlement.objects.filter(pk=entitlement.pk).update(reviewed_by=reviewers.by if reviewers else None)
    entitlement.refresh_from_db()
    entitlement = entitlement_approve(entitlement=entitlement, by=by, request=request, today=today)
    _record(app, Decision.Step.APPROVE, by, "公示期满无异议，予以批准", clause)
    app.status, app.entitlement = S.APPROVED, entitlement
    app.save(update_fields=["status", "entitlement"])
    return app


@transaction.atomic
def application_reject_in_notice(*, application: Application, by: User, reason: str, clause: str,
                                 request: HttpRequest | None = None) -> Application:
    """An objection upheld during the notice period."""
    app = _locked(application)
    _require_role(by, REVIEWERS, "驳回")
    _require(app, S.NOTICE, "驳回")
    return _reject(app, by=by, reason=reason, clause=clause, request=request)


@transaction.atomic
def application_resubmit(*, application: Application, by: User, statement: str,
                         files: list[tuple[str, UploadedFile]] | None = None,
                         request: HttpRequest | None = None) -> Application:
    app = _locked(application)
    _require(app, S.REJECTED, "重新提交")
    app.statement, app.status = statement, S.SUBMITTED
    app.save(update_fields=["statement", "status"])
    for title, upload in files or []:
        Attachment.objects.create(application=app, title=title or upload.name, file=upload)
    _record(app, Decision.Step.RESUBMIT, by, statement[:500], "")
    audit_record(action="update", request=request, user=by, obj=app, detail={"resubmit": True})
    return app


@transaction.atomic
def application_appeal(*, application: Application, by: User, text: str,
                       request: HttpRequest | None = None) -> Application:
    app = _locked(application)
    _require(app, S.REJECTED, "申诉")
    if not text.strip():
        raise ValidationError("请写明申诉理由")
    app.status, app.appeal_text = S.APPEALED, text
    app.save(update_fields=["status", "appeal_text"])
    _record(app, Decision.Step.APPEAL, by, text, "")
    audit_record(action="update", request=request, user=by, obj=app, detail={"appeal": text[:200]})
    return app


@transaction.atomic
def appeal_answer(*, application: Application, by: User, upheld: bool, reason: str,
                  request: HttpRequest | None = None) -> Application:
    """The office decides an appeal: upheld sends the application back to 初审; otherwise it stays rejected."""
    app = _locked(application)
    _require_role(by, frozenset({Role.OFFICE_ADMIN}), "处理申诉")
    _require(app, S.APPEALED, "处理申诉")
    if not reason.strip():
        raise ValidationError("请写明处理意见")
    app.status = S.SUBMITTED if upheld else S.REJECTED
    app.save(update_fields=["status"])
    _record(app, Decision.Step.APPEAL_ANSWER, by, ("申诉成立，重新审核：" if upheld else "维持驳回：") + reason, "")
    audit_record(action="update", request=request, user=by, obj=app, detail={"appeal_upheld": upheld})
    return app
