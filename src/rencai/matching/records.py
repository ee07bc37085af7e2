"""Django models → the engine's plain records. Keys are database ids."""

from __future__ import annotations

from rencai.matching.engine import NeedRecord, TalentRecord, ThesaurusEntry
from rencai.matching.fieldknowledge import resolve_discipline, resolve_industries
from rencai.needs.models import Level, Need
from rencai.talents.models import Talent


def talent_record(talent: Talent) -> TalentRecord:
    return TalentRecord(
        key=talent.pk,
        name=talent.name,
        discipline=talent.discipline,
        discipline_code=talent.discipline_code or resolve_discipline(talent.discipline, talent.major),
        major=talent.major,
        research=talent.research_directions,
        achievements=talent.achievements,
        title=talent.title,
        degree=talent.degree or talent.education,
        employer=talent.employer,
        talent_type=talent.talent_type,
        flexible_mode=talent.flexible_mode,
        tier=talent.tier,
        region=talent.region,
    )


def need_record(need: Need) -> NeedRecord:
    industries = (need.industry_code,) if need.industry_code else resolve_industries(need.field_text)
    return NeedRecord(
        key=need.pk,
        enterprise=need.enterprise.name,
        title=need.title,
        description=need.description,
        field=need.field_text,
        expected=need.expected_talent,
        need_type=need.kind,
        demand=max(1, need.headcount - need.filled),
        urgency=need.urgency,
        enterprise_code=need.enterprise.credit_code or "",
        industry_codes=tuple(industries),
        discipline_codes=(need.discipline_code,) if need.discipline_code else (),
        min_degree="" if need.level == Level.ANY else need.level,
    )


def thesaurus_entries() -> list[ThesaurusEntry]:
    from rencai.matching.models import ThesaurusTerm

    return [
        ThesaurusEntry(concept=t.concept, terms=tuple(t.synonym_list()), broader=t.broader)
        for t in ThesaurusTerm.objects.all()
    ]
