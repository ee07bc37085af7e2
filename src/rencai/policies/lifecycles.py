"""The lives of an application and of an entitlement, as tables of moves on the core lifecycle.

Separation of duties is a guard on the move: the second reviewer is not the first, the approver reviewed
neither step (nor checked the 免申即享 list), finance never pays what it approved (in instalment_pay).
Every move writes one core StateChange row; a review step's policy version and clause go in its `data`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.core.lifecycle import SYSTEM, Lifecycle, Move, history_for
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.policies.models import AUTO_SOURCE, Application, Entitlement

REVIEWERS = frozenset({Role.REVIEWER, Role.OFFICE_ADMIN})
APPROVERS = frozenset({Role.OFFICE_ADMIN})
APPLICANTS = frozenset({Role.TALENT, Role.ENTERPRISE})
PAYERS = frozenset({Role.FINANCE})
A = Application.Status
E = Entitlement.Status


def deciders(obj: Any, *moves: str) -> set[int]:
    """Who made any of these moves on the record, ever (an appeal sent back to 初审 does not wash it)."""
    return set(history_for(obj).filter(move__in=moves).exclude(by=None).values_list("by_id", flat=True))


def _not_first_reviewer(app: Application, user: Any) -> str | None:
    return "初审人不能同时复审" if user is not None and user.pk in deciders(app, "first") else None


def _not_a_reviewer(app: Application, user: Any) -> str | None:
    if user is not None and user.pk in deciders(app, "first", "second"):
        return "审核人不能批准自己审核过的申请"
    return None


def _applicant(app: Application, user: Any) -> str | None:
    if user is None:
        return "只有申请人可以办理"
    own = app.applicant_id == user.pk or (app.talent is not None and app.talent.user_id == user.pk) or (
        app.enterprise is not None and app.enterprise.members.filter(pk=user.pk).exists())
    return None if own else "只有申请人可以办理"


def _applicant_users(app: Application) -> list[Any]:
    return [app.applicant]


def _application_url(app: Application) -> str:
    return reverse("policies:application", args=[app.pk])


APPLICATION = Lifecycle(field="status", states=A, label="兑现申请", key="policies.application",
                        kind="policies.application", url=_application_url, moves=[
    Move("first", (A.SUBMITTED,), A.FIRST_PASSED, REVIEWERS, "初审通过"),
    Move("second", (A.FIRST_PASSED,), A.SECOND_PASSED, REVIEWERS, "复审通过", guard=_not_first_reviewer),
    Move("reject", (A.SUBMITTED, A.FIRST_PASSED), A.REJECTED, REVIEWERS, "驳回", reason_required=True,
         notify=_applicant_users),
    Move("notice", (A.SECOND_PASSED,), A.NOTICE, REVIEWERS, "发起公示"),
    Move("object", (A.NOTICE,), A.REJECTED, REVIEWERS, "公示有异议，驳回", reason_required=True,
         notify=_applicant_users),
    Move("approve", (A.NOTICE,), A.APPROVED, APPROVERS, "公示期满，批准", guard=_not_a_reviewer,
         notify=_applicant_users),
    Move("resubmit", (A.REJECTED,), A.SUBMITTED, APPLICANTS, "修改后重新提交", guard=_applicant),
    Move("appeal", (A.REJECTED,), A.APPEALED, APPLICANTS, "申诉", reason_required=True, guard=_applicant),
    Move("uphold", (A.APPEALED,), A.SUBMITTED, APPROVERS, "申诉成立，重新审核", reason_required=True,
         notify=_applicant_users),
    Move("dismiss", (A.APPEALED,), A.REJECTED, APPROVERS, "维持驳回", reason_required=True,
         notify=_applicant_users),
])


def _auto_only(ent: Entitlement, user: Any) -> str | None:
    return None if ent.source == AUTO_SOURCE else "只有免申即享名单需要复核公示；其他兑现由管理员直接审批"


def _approvable(ent: Entitlement, user: Any) -> str | None:
    if ent.source == AUTO_SOURCE:
        if ent.status == E.PENDING:
            return "免申即享名单须先由审核人员复核并公示，公示期满后才能批准"
        if ent.reviewed_by_id is None:
            return "免申即享名单尚未复核，不能批准"
    elif ent.status != E.PENDING:
        return f"该兑现资格当前为{ent.get_status_display()}，不能批准"
    if user is not None and ent.reviewed_by_id == user.pk:
        return "审核人不能批准自己审核的事项"
    return None


def _entitlement_url(ent: Entitlement) -> str:
    return reverse("policies:entitlement", args=[ent.pk])


def beneficiary_users(ent: Entitlement) -> list[Any]:
    """The accounts that act for the beneficiary: the talent's own account, or the enterprise's members."""
    if ent.talent is not None:
        return [ent.talent.user] if ent.talent.user_id else []
    return list(ent.enterprise.members.all()) if ent.enterprise is not None else []


ENTITLEMENT = Lifecycle(field="status", states=E, label="兑现资格", key="policies.entitlement",
                        kind="policies.entitlement", url=_entitlement_url, moves=[
    Move("check", (E.PENDING,), E.NOTICE, REVIEWERS, "复核并公示", guard=_auto_only),
    Move("approve", (E.PENDING, E.NOTICE), E.APPROVED, APPROVERS, "批准并预留资金", guard=_approvable,
         notify=beneficiary_users),
    # a postdoc's departure stops the subsidy whoever records it, so any staff member or the platform may
    Move("stop", (E.PENDING, E.NOTICE, E.APPROVED), E.STOPPED,
         REGISTER_WRITERS | {SYSTEM}, "终止未付分期",
         reason_required=True, notify=beneficiary_users),
    Move("complete", (E.APPROVED,), E.DONE, PAYERS, "兑付完毕"),
    Move("reopen", (E.DONE,), E.APPROVED, PAYERS, "国库退回，重新待付", reason_required=True),
])
