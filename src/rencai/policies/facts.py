"""The facts a rule sees about a talent or an enterprise: plain values named as in rules.SCHEMA."""

from __future__ import annotations

from datetime import date
from typing import Any

from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent


def _age(birth: date | None, today: date) -> int:
    if birth is None:
        return 0
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def talent_facts(talent: Talent, today: date) -> dict[str, Any]:
    return {"talent": {
        "tier": talent.tier or "",
        "degree": talent.degree or "",
        "education": talent.education or "",
        "age": _age(talent.birth_date, today),
        "title": talent.title or "",
        "talent_type": talent.talent_type or "",
        "discipline_code": talent.discipline_code or "",
        "zone": talent.zone.code,
        "years_in_zone": max(0, today.year - talent.created_at.year) if talent.created_at else 0,
        "has_employer": bool(talent.employer),
    }}


def enterprise_facts(enterprise: Enterprise, today: date) -> dict[str, Any]:
    indicator = enterprise.indicators.filter(year__lt=today.year).order_by("-year").first()
    platforms = list(enterprise.platforms.all())
    return {"enterprise": {
        "qualifications": list(enterprise.qualifications or []),
        "industry_code": enterprise.industry_code or "",
        "rd_spending": float(indicator.rd_spending) if indicator else 0.0,
        "has_rd_institution": bool(indicator and indicator.has_rd_institution),
        "invention_patents": indicator.invention_patents if indicator else 0,
        "platform_kinds": sorted({p.kind for p in platforms}),
        "platform_levels": sorted({p.level for p in platforms if p.level}),
        "zone": enterprise.zone.code,
    }}


def facts_for(beneficiary: Talent | Enterprise, today: date) -> dict[str, Any]:
    if isinstance(beneficiary, Talent):
        return talent_facts(beneficiary, today)
    return enterprise_facts(beneficiary, today)
