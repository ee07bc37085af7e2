"""Writing the demo into the registers.

Idempotent by natural keys (zone code, institution name, credit code, ID number), so a second run with the same
seed creates nothing new. A reset deletes the demo zones' talents and enterprises and the demo institutions; the
audit log is append-only and is never touched, and users stay (their audit entries point at them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError

from rencai.core.audit import audit_record
from rencai.core.crypto import lookup_hash
from rencai.core.models import City, Zone
from rencai.core.textnorm import name_key
from rencai.demo import challenges as demo_challenges
from rencai.demo import onestop as demo_onestop
from rencai.demo import recruitment as demo_recruitment
from rencai.demo import targets as demo_targets
from rencai.demo.accounts import DemoLogin, demo_accounts_ensure
from rencai.demo.data import CITY_CODE, CITY_NAME, INSTITUTIONS, PERSONA_INSTITUTION, ZONES
from rencai.demo.engagements import engagements_load, engagements_reset, engagements_summary
from rencai.demo.fields import FIELDS_BY_KEY
from rencai.demo.funds import funds_load, funds_summary
from rencai.demo.needs import needs_load, needs_reset, needs_summary
from rencai.demo.postdoc import kept_q, postdoc_kept, postdoc_load, postdoc_reset, postdoc_summary
from rencai.demo.specs import DemoData, EnterpriseSpec, TalentSpec
from rencai.orgs.models import Enterprise, EnterpriseContact, InnovationIndicator, Institution, Platform
from rencai.talents.models import Achievement, Education, Employment, Tag, Talent
from rencai.talents.services import active_rules, talent_apply_tier

DEMO_ZONE_CODES = tuple(zone.code for zone in ZONES)
# The newer areas, loaded after the registers in this order and reset before them in reverse (targets count them all).
AREAS = (("揭榜挂帅", demo_challenges), ("一站式服务", demo_onestop), ("招才引智", demo_recruitment),
         ("目标考核", demo_targets))


class DemoError(Exception):
    """Why the demo could not be loaded or reset, in plain Chinese."""


@dataclass
class LoadResult:
    created: dict[str, int]
    deleted: dict[str, int]
    totals: dict[str, int]
    tiers: dict[str, int]
    logins: list[DemoLogin]
    areas: list[str] = field(default_factory=list)  # one summary line per app the demo fills


def demo_reset() -> dict[str, int]:
    """Delete the demo's registers: talents and enterprises of the demo zones, and the demo institutions."""
    registers = {
        "人才": Talent.objects.filter(zone__code__in=DEMO_ZONE_CODES),
        "企业": Enterprise.objects.filter(zone__code__in=DEMO_ZONE_CODES),
        "派出单位": Institution.objects.filter(name__in=[info.name for info in INSTITUTIONS]),
    }
    deleted = {}
    try:
        with transaction.atomic():
            city_ids = list(City.objects.filter(name=CITY_NAME).values_list("pk", flat=True))
            for _label, area in reversed(AREAS):
                deleted.update(area.reset())
            deleted.update(engagements_reset(registers["企业"]))
            deleted.update(needs_reset(city_ids, registers["企业"]))
            deleted.update(postdoc_reset(registers["企业"]))
            if postdoc_kept():  # subsidy entitlements are ledger rows: keep what they and the stations name
                for label, q in kept_q().items():
                    registers[label] = registers[label].exclude(pk__in=registers[label].filter(q).values("pk"))
            for label, queryset in registers.items():
                deleted[label] = queryset.count()
                queryset.delete()
    except ProtectedError as exc:
        raise DemoError(_still_used(exc.protected_objects)) from exc
    except RestrictedError as exc:
        raise DemoError(_still_used(exc.restricted_objects)) from exc
    return deleted


def _still_used(objects: Iterable[Model]) -> str:
    kinds = "、".join(sorted({str(obj._meta.verbose_name) for obj in objects}))
    return f"演示数据还被其他记录引用（{kinds}），无法重置；请先删除这些记录"


@transaction.atomic
def demo_load(*, data: DemoData, reset: bool = False) -> LoadResult:
    deleted = demo_reset() if reset else {}
    city, zones = _city_and_zones()
    institutions = _institutions()
    created = {"企业": _enterprises(data.enterprises, zones), "人才": _talents(data.talents, zones, institutions)}
    logins = demo_accounts_ensure(
        data=data, city=city, zones=zones,
        enterprise=Enterprise.objects.get(credit_code=data.persona_enterprise),
        talent=Talent.objects.get(id_number_hash=lookup_hash(data.persona_talent)),
        institution=institutions[PERSONA_INSTITUTION],
    )
    created["需求"] = needs_load(data=data, city=city)
    created["服务协议"] = engagements_load(data=data, zones=zones)
    created["博士后"] = postdoc_load(data=data)
    created.update(funds_load(zones=zones))  # after the postdoc subsidies, before the areas that reserve money
    for label, area in AREAS:
        created[label] = area.load(data=data, city=city, zones=zones)
    areas = [needs_summary(city), postdoc_summary(), engagements_summary(), funds_summary()]
    areas += [line for line in (area.summary() for _label, area in AREAS) if line]
    result = LoadResult(created, deleted, _totals(), _tiers(), logins, areas)
    audit_record(action="import", object_type="demo", object_repr=f"载入演示数据（种子 {data.seed}）",
                 detail={"seed": data.seed, "reset": reset, "created": created, "deleted": deleted})
    return result


def _city_and_zones() -> tuple[City, dict[str, Zone]]:
    city, _ = City.objects.get_or_create(name=CITY_NAME, defaults={"code": CITY_CODE})
    zones = {}
    for info in ZONES:
        zones[info.code], _ = Zone.objects.update_or_create(code=info.code, defaults={"city": city, "name": info.name})
    return city, zones


def _institutions() -> dict[str, Institution]:
    units = {}
    for info in INSTITUTIONS:
        units[info.name], _ = Institution.objects.update_or_create(
            name=info.name, defaults={"kind": info.kind, "province": info.province, "city": info.city})
    return units


def _enterprises(specs: list[EnterpriseSpec], zones: dict[str, Zone]) -> int:
    """Enterprises not yet registered (by credit code), with their contacts, indicators and platforms."""
    existing = set(Enterprise.objects.filter(credit_code__in=[s.credit_code for s in specs])
                   .values_list("credit_code", flat=True))
    new = [s for s in specs if s.credit_code not in existing]
    rows = Enterprise.objects.bulk_create([
        Enterprise(name=s.name, name_key=name_key(s.name), credit_code=s.credit_code, zone=zones[s.zone],
                   industry_code=s.industry_code,
                   qualifications=s.qualifications, address=s.address, established_on=s.established_on,
                   employees=s.employees, remarks=s.remarks) for s in new])
    pairs = list(zip(rows, new, strict=True))
    EnterpriseContact.objects.bulk_create([
        EnterpriseContact(enterprise=e, name=c.name, position=c.position, phone=c.phone, is_primary=c.is_primary)
        for e, s in pairs for c in s.contacts])
    InnovationIndicator.objects.bulk_create([
        InnovationIndicator(enterprise=e, year=i.year, rd_spending=i.rd_spending,
                            has_rd_institution=i.has_rd_institution, invention_patents=i.invention_patents)
        for e, s in pairs for i in s.indicators])
    Platform.objects.bulk_create([
        Platform(enterprise=e, kind=p.kind, name=p.name, level=p.level, approved_on=p.approved_on,
                 location=p.location) for e, s in pairs for p in s.platforms])
    return len(new)


def _talent(spec: TalentSpec, zones: dict[str, Zone], institutions: dict[str, Institution]) -> Talent:
    return Talent(
        zone=zones[spec.zone], name=spec.name, gender=spec.gender, birth_date=spec.birth_date,
        id_number=spec.id_number, phone=spec.phone, education=spec.education, degree=spec.degree,
        graduated_from=spec.graduated_from, major=spec.major, discipline_code=spec.discipline_code,
        discipline=spec.discipline, research_directions=spec.research_directions, title=spec.title,
        employer=spec.employer, institution=institutions.get(spec.institution), talent_type=spec.talent_type,
        flexible_mode=spec.flexible_mode, achievements=spec.achievements, region=spec.region,
        remarks=spec.remarks, tier=spec.manual_tier, tier_manual=bool(spec.manual_tier),
    )


def _talents(specs: list[TalentSpec], zones: dict[str, Zone], institutions: dict[str, Institution]) -> int:
    """Talents not yet registered (by ID number), classified by the active tier rules, with their CV parts."""
    hashes = [lookup_hash(s.id_number) for s in specs]
    existing = set(Talent.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", flat=True))
    new = [s for s, h in zip(specs, hashes, strict=True) if h not in existing]
    rules = active_rules()
    talents = []
    for spec in new:
        talent = _talent(spec, zones, institutions)
        talent_apply_tier(talent=talent, rules=rules)
        talent.refresh_keys()  # bulk_create skips save(), which would do it
        talents.append(talent)
    Talent.objects.bulk_create(talents, batch_size=200)
    pairs = list(zip(talents, new, strict=True))
    Education.objects.bulk_create([Education(talent=t, start=e.start, end=e.end, school=e.school, major=e.major,
                                             degree=e.degree) for t, s in pairs for e in s.educations])
    Employment.objects.bulk_create([Employment(talent=t, start=j.start, end=j.end, employer=j.employer,
                                               position=j.position) for t, s in pairs for j in s.employments])
    Achievement.objects.bulk_create([Achievement(talent=t, kind=a.kind, title=a.title, year=a.year, detail=a.detail)
                                     for t, s in pairs for a in s.items])
    tags = {key: Tag.objects.get_or_create(name=field.tag)[0] for key, field in FIELDS_BY_KEY.items()}
    Talent.tags.through.objects.bulk_create([Talent.tags.through(talent_id=t.pk, tag_id=tags[s.field].pk)
                                             for t, s in pairs])
    return len(new)


def _totals() -> dict[str, int]:
    return {
        "旗区/园区": Zone.objects.filter(code__in=DEMO_ZONE_CODES).count(),
        "派出单位": Institution.objects.count(),
        "企业": Enterprise.objects.filter(zone__code__in=DEMO_ZONE_CODES).count(),
        "人才": Talent.objects.filter(zone__code__in=DEMO_ZONE_CODES).count(),
    }


def _tiers() -> dict[str, int]:
    tiers = Counter(Talent.objects.filter(zone__code__in=DEMO_ZONE_CODES).values_list("tier", flat=True))
    return {tier or "未分层": tiers[tier] for tier in sorted(tiers, key=lambda t: t or "Z")}
