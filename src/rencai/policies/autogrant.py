"""免申即享: find, from the platform's own data, everyone who qualifies and has no entitlement yet."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User, Zone
from rencai.core.roles import Role
from rencai.orgs.models import Enterprise
from rencai.policies.facts import facts_for
from rencai.policies.lifecycles import ENTITLEMENT
from rencai.policies.models import AUTO_SOURCE, Entitlement, Policy
from rencai.policies.review import REVIEWERS, add_working_days
from rencai.policies.rules import evaluate_conditions
from rencai.policies.services import beneficiary_key, entitlement_approve, entitlement_grant, version_in_force
from rencai.policies.whatif import _beneficiaries
from rencai.talents.models import Talent

__all__ = ["AUTO_SOURCE", "autogrant_approve", "autogrant_check", "scan_all", "scan_policy", "system_user"]


def system_user() -> User:
    """The account the nightly run acts as: it cannot log in, and it never approves or pays."""
    user, _ = User.objects.get_or_create(username="rencai-system", defaults={
        "role": Role.REVIEWER, "is_active": False, "display_name": "系统（免申即享）"})
    return user


def applicant_keys(policy: Policy, beneficiary: Talent | Enterprise | None = None) -> set[str]:
    """Beneficiaries with a live (not rejected) application of the policy (of one beneficiary, if given)."""
    from rencai.policies.models import Application

    live = Application.objects.filter(policy=policy).exclude(status=Application.Status.REJECTED)
    if beneficiary is not None:
        live = live.filter(**{"talent" if isinstance(beneficiary, Talent) else "enterprise": beneficiary})
    return ({f"talent:{pk}" for pk in live.exclude(talent=None).values_list("talent_id", flat=True)}
            | {f"enterprise:{pk}" for pk in live.exclude(enterprise=None).values_list("enterprise_id", flat=True)})


def scan_policy(policy: Policy, today: date, zones: QuerySet[Zone] | None = None) -> list[Entitlement]:
    """Create a 待审批 entitlement, with its trace, for each new qualifier; safe to run again."""
    version = version_in_force(policy, today)
    granted_keys = set(Entitlement.objects.filter(policy=policy).values_list("beneficiary_key", flat=True))
    granted_keys |= applicant_keys(policy)  # an applicant is paid through the application, never twice
    by = system_user()
    created = []
    for beneficiary in _beneficiaries(policy, zones if zones is not None else Zone.objects.all()):
        if beneficiary_key(beneficiary) in granted_keys:
            continue
        if not all(r.held for r in evaluate_conditions(version.conditions, facts_for(beneficiary, today))):
            continue
        try:
            with transaction.atomic():
                # the policy row is the lock application_approve takes too: an approval running now waits, and
                # an application submitted since the list above was read is seen here
                Policy.objects.select_for_update().filter(pk=policy.pk).first()
                if beneficiary_key(beneficiary) in applicant_keys(policy, beneficiary):
                    continue
                created.append(entitlement_grant(policy_code=policy.code, beneficiary=beneficiary,
                                                 source=AUTO_SOURCE, by=by, today=today))
        except ValidationError:
            continue  # over a cap: nothing to offer this person now
    return created


def scan_all(today: date) -> dict[str, int]:
    return {p.code: len(scan_policy(p, today)) for p in Policy.objects.filter(active=True, auto_grant=True)}


@transaction.atomic
def autogrant_check(*, entitlements: list[Entitlement], by: User, start: date | None = None,
                    request: HttpRequest | None = None) -> tuple[list[Entitlement], list[str]]:
    """复核: a reviewer checks the nightly list and puts it on 公示 for each version's notice_days working days.

    Nothing is reserved yet; an office admin who did not check it approves after the notice ends.
    """
    start = start or timezone.localdate()
    if by.role not in REVIEWERS:
        raise ValidationError("您的角色不能复核免申即享名单")
    checked, problems = [], []
    for entitlement in entitlements:
        ent = Entitlement.objects.select_related("version").get(pk=entitlement.pk)
        until = add_working_days(start, ent.version.notice_days)

        def on_notice(e: Entitlement, until: date = until) -> None:
            e.reviewed_by, e.notice_from, e.notice_until = by, start, until

        try:
            checked.append(ENTITLEMENT.transition(
                ent, move="check", by=by, reason=f"复核无误，公示 {start} 至 {until}", on=start, request=request,
                apply=on_notice, data={"version": ent.version.number, "amount": str(ent.amount)}))
        except ValidationError as exc:
            problems.append(f"{ent}：{'；'.join(exc.messages)}")
    return checked, problems


@transaction.atomic
def autogrant_approve(*, entitlements: list[Entitlement], by: User, today: date | None = None,
                      request: HttpRequest | None = None) -> tuple[int, list[str]]:
    """批准 after the notice: approve each (reserving its money); report those refused, one by one."""
    done, problems = 0, []
    for entitlement in entitlements:
        try:
            with transaction.atomic():
                entitlement_approve(entitlement=entitlement, by=by, today=today, request=request)
            done += 1
        except ValidationError as exc:
            problems.append(f"{entitlement}：{'；'.join(exc.messages)}")
    audit_record(action="update", request=request, user=by, object_type="policies.entitlement",
                 object_repr="免申即享批量批准", detail={"approved": done, "refused": len(problems)})
    return done, problems
