"""一人一策: a negotiated package for one top talent, outside the standard policies.

Each package becomes its own one-off policy (inactive, so nobody else can apply) with one version
whose clauses list the agreed items; its entitlement is approved by someone other than the officer
who drew it up, and its money is booked in the same ledger as every other policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.policies.models import Entitlement, Policy, PolicyVersion
from rencai.policies.services import entitlement_grant
from rencai.policies.validation import validate_level_shares
from rencai.talents.models import Talent

PREFIX = "yirenyice"


@dataclass(frozen=True)
class Item:
    title: str
    due_on: date
    amount: Decimal


@transaction.atomic
def package_create(*, talent: Talent, title: str, basis: str, items: list[Item], level_shares: dict[str, str],
                   by: User, request: HttpRequest | None = None) -> Entitlement:
    """Draw up the package; returns its 待审批 entitlement, which another officer must approve."""
    if by.role != Role.OFFICE_ADMIN:
        raise ValidationError("只有人才办管理员可以制定一人一策")
    if not items or any(i.amount <= 0 or not i.title.strip() for i in items):
        raise ValidationError("一人一策至少要有一项，每项要有名称和大于零的金额")
    validate_level_shares(level_shares)
    n = Policy.objects.filter(code__startswith=f"{PREFIX}-{talent.pk}-").count() + 1
    policy = Policy.objects.create(code=f"{PREFIX}-{talent.pk}-{n}", title=f"一人一策：{talent.name} {title}",
                                   doc_number=basis, beneficiary_kind="talent", active=False)
    total = sum((i.amount for i in items), Decimal(0))
    clauses = "\n".join(f"{k}. {i.title}：{i.amount} 元，{i.due_on:%Y-%m-%d} 兑现" for k, i in enumerate(items, 1))
    version = PolicyVersion(policy=policy, number=1, clauses=clauses, effective_from=timezone.localdate(),
                            conditions=[], amount=total, schedule=[{"after_months": 0, "share": "1"}],
                            level_shares=level_shares, notice_days=0, change_note="一人一策", created_by=by)
    version.full_clean()
    version.save()
    entitlement = entitlement_grant(policy_code=policy.code, beneficiary=talent, source=f"一人一策:{policy.code}",
                                    instalments=[(i.due_on, i.amount) for i in items], by=by, request=request)
    # the officer who negotiated it counts as its reviewer, so they cannot approve it themselves
    Entitlement.objects.filter(pk=entitlement.pk).update(reviewed_by=by)
    entitlement.refresh_from_db()
    return entitlement
