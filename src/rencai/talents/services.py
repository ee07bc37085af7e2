"""Writes to the talent register: tier assignment and saving with audit."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.talents.models import Talent, TierRule
from rencai.talents.tiers import classify, talent_facts


def active_rules() -> list[TierRule]:
    return list(TierRule.objects.filter(active=True).order_by("priority", "tier", "pk"))


def talent_apply_tier(*, talent: Talent, rules: Sequence[TierRule] | None = None) -> None:
    """Give the tier by rules unless staff set it by hand; remember which rule gave it."""
    if talent.tier_manual and talent.tier:
        talent.tier_rule = None
        return
    rule = classify(talent_facts(talent), active_rules() if rules is None else rules)
    talent.tier_manual = False
    talent.tier = rule.tier if rule else ""
    talent.tier_rule = rule


@transaction.atomic
def talent_save(*, talent: Talent, by: User | None, request: HttpRequest | None = None) -> Talent:
    created = talent.pk is None
    talent_apply_tier(talent=talent)
    talent.full_clean(exclude=["name_key", "id_number_hash", "phone_hash"])
    talent.save()
    audit_record(action="create" if created else "update", request=request, user=by, obj=talent)
    return talent


@transaction.atomic
def tiers_reclassify(*, by: User | None, request: HttpRequest | None = None) -> int:
    """After the rules change, re-derive every rule-given tier; returns how many changed."""
    rules = active_rules()
    changed = 0
    for talent in Talent.objects.filter(tier_manual=False).iterator(chunk_size=2000):
        before = (talent.tier, talent.tier_rule_id)
        talent_apply_tier(talent=talent, rules=rules)
        if (talent.tier, talent.tier_rule_id) != before:
            Talent.objects.filter(pk=talent.pk).update(tier=talent.tier, tier_rule=talent.tier_rule)
            changed += 1
    audit_record(action="update", request=request, user=by, object_type="talents.tierrule",
                 object_repr="按规则重新分层", detail={"changed": changed})
    return changed
