"""Invented talents: profiles that the default tier rules classify A–E, placed in the demo's enterprises.

Each profile is a kind of person the office registers (an academician advising an enterprise, a doctor sent by a
university, a master's graduate hired by a magnet maker, a master technician …) with the age, title, degree and
honours that make the published tier rules give the intended tier. A few tiers are set by hand, as offices do.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from rencai.core.catalogs import discipline_by_code
from rencai.demo import cv
from rencai.demo.data import (
    ACADEMY_HONOURS,
    AS_OF,
    INSTITUTIONS,
    NATIONAL_HONOURS,
    OUTSIDE_CITIES,
    PERSONA_INSTITUTION,
    PROVINCIAL_HONOURS,
    SKILL_HONOURS,
    InstitutionInfo,
)
from rencai.demo.fields import FIELDS, FIELDS_BY_KEY, Field
from rencai.demo.people import People, weighted
from rencai.demo.platforms import Hosts
from rencai.demo.specs import AchievementSpec, EmploymentSpec, EnterpriseSpec, TalentSpec

FULL_TIME, FLEXIBLE, LOCAL, DOCTOR, POSTDOC = "全职引进", "柔性引进", "本土培养", "博士服务", "博士后"


@dataclass(frozen=True)
class Profile:
    key: str
    count: int
    tier: str  # what the default tier rules (or, when manual, the office) give this kind of person
    ages: tuple[int, int]
    levels: tuple[tuple[str, int], ...]  # full / vice / mid / junior / none / skilled title level
    degrees: tuple[tuple[str, int], ...]
    types: tuple[tuple[str, int], ...]
    honours: tuple[str, ...] = ()
    items: tuple[int, int] = (2, 3)
    manual: bool = False
    fields: tuple[str, ...] = ()  # fixed fields, one per person, for the few top talents


PROFILES = (
    Profile("academician", 4, "A", (63, 80), (("full", 1),), (("博士", 8), ("硕士", 2)), ((FLEXIBLE, 1),),
            ACADEMY_HONOURS, (6, 8), fields=("rare_earth", "mining", "grass", "hydrogen")),
    Profile("national", 9, "B", (41, 58), (("full", 1),), (("博士", 1),), ((FLEXIBLE, 7), (FULL_TIME, 3)),
            NATIONAL_HONOURS, (5, 7),
            fields=("rare_earth", "rare_earth", "new_energy", "coal_chem", "vaccine", "dairy", "auto", "agri",
                    "mining")),
    Profile("one_policy", 1, "B", (38, 47), (("full", 1),), (("博士", 1),), ((FULL_TIME, 1),), (), (4, 6),
            manual=True, fields=("hydrogen",)),
    Profile("provincial", 15, "C", (36, 55), (("full", 11), ("vice", 9)), (("博士", 8), ("硕士", 2)),
            ((LOCAL, 50), (FULL_TIME, 25), (FLEXIBLE, 25)), PROVINCIAL_HONOURS, (3, 5)),
    Profile("professor", 15, "C", (42, 60), (("full", 1),), (("博士", 1),),
            ((LOCAL, 35), (FULL_TIME, 25), (FLEXIBLE, 40)), (), (3, 5)),
    Profile("senior", 68, "D", (33, 57), (("vice", 1),), (("博士", 35), ("硕士", 45), ("学士", 20)),
            ((LOCAL, 40), (FULL_TIME, 25), (FLEXIBLE, 10), (DOCTOR, 25)), (), (2, 4)),
    Profile("chief_engineer", 17, "D", (40, 58), (("full", 1),), (("硕士", 6), ("学士", 4)),
            ((LOCAL, 70), (FULL_TIME, 30)), (), (2, 4)),
    Profile("doctor", 76, "E", (29, 38), (("mid", 5), ("none", 5)), (("博士", 1),),
            ((DOCTOR, 40), (POSTDOC, 30), (FULL_TIME, 25), (LOCAL, 5)), (), (1, 3)),
    Profile("master", 80, "E", (26, 36), (("mid", 5), ("junior", 3), ("none", 2)), (("硕士", 1),),
            ((FULL_TIME, 45), (LOCAL, 55)), (), (0, 2)),
    Profile("technician", 12, "", (32, 56), (("skilled", 1),), (("学士", 4), ("", 6)), ((LOCAL, 1),),
            SKILL_HONOURS, (1, 2)),
    Profile("master_technician", 3, "D", (40, 55), (("skilled", 1),), (("学士", 1), ("", 2)), ((LOCAL, 1),),
            ("全国技术能手",), (2, 3), manual=True),
)
PROFILES_BY_KEY = {p.key: p for p in PROFILES}
TECHNICIAN_FIELDS = ("rare_earth", "mining", "auto", "coal_chem", "new_energy", "dairy")
POSTDOC_AGES = (29, 33)
FLEXIBLE_MODES = (("候鸟式", 25), ("周末式", 25), ("兼职", 15), ("顾问", 10), ("项目合作", 25))
ACADEMICIAN_MODES = (("顾问", 5), ("项目合作", 3), ("候鸟式", 2))
NEARBY_MODES = (("兼职", 4), ("项目合作", 4), ("顾问", 2))
FEMALE_SHARE = {"dairy": 0.45, "grass": 0.45, "agri": 0.4, "vaccine": 0.45}
ACADEMIC_TITLES = {
    "university": {"full": "教授", "vice": "副教授", "mid": "讲师", "junior": "助教"},
    "institute": {"full": "研究员", "vice": "副研究员", "mid": "助理研究员", "junior": "研究实习员"},
}
OUTSIDE_TRADES = ("华科", "精工", "凯达", "新锐", "恒通", "联创", "泰和", "海川", "德高", "众合", "博纳", "立信")
ABROAD = ("德国亚琛工业大学", "日本东北大学金属材料研究所", "德国卡尔斯鲁厄理工学院")
TIER_GROUP = {"one_policy": "B", "master_technician": ""}


@dataclass
class Placement:
    setting: str  # university / institute / enterprise: decides the title ladder
    employer: str
    zone: str
    region: str
    sending: InstitutionInfo | None = None  # sending unit (派出单位) of flexible talents, doctors and postdocs
    host: EnterpriseSpec | None = None  # enterprise that employs or hosts the talent


def title_for(rng: random.Random, level: str, setting: str, field: Field, manual: bool) -> str:
    if level == "none":
        return ""
    if level == "skilled":
        return "高级技师" if manual or rng.random() < 0.5 else "技师"
    if setting in ACADEMIC_TITLES:
        return ACADEMIC_TITLES[setting][level]
    senior = rng.choice(field.senior_titles)
    mid = senior.removeprefix("高级")
    return {"full": "正高级工程师", "vice": senior, "mid": mid, "junior": "助理" + mid}[level]


class TalentMaker:
    def __init__(self, rng: random.Random, people: People, enterprises: list[EnterpriseSpec]) -> None:
        self.rng = rng
        self.people = people
        self.by_field: dict[str, list[EnterpriseSpec]] = defaultdict(list)
        for enterprise in enterprises:
            self.by_field[enterprise.field].append(enterprise)
        self.persona_enterprise = self.by_field["rare_earth"][0]
        self.hosts = Hosts()

    # --- who is made, in which field ---------------------------------------------------------------------

    def slots(self) -> list[tuple[Profile, str]]:
        rng = self.rng
        quota = Counter({f.key: f.talents for f in FIELDS})
        fixed = [(p, key) for p in PROFILES for key in p.fields]
        technicians = [p for p in PROFILES if p.levels == (("skilled", 1),)]
        for _, key in fixed:
            quota[key] -= 1
        quota["rare_earth"] -= 1  # the talent persona
        chosen = []
        for profile in technicians:
            for _ in range(profile.count):
                key = weighted(rng, [(k, quota[k]) for k in TECHNICIAN_FIELDS if quota[k] > 0])
                quota[key] -= 1
                chosen.append((profile, key))
        pool = sorted(quota.elements())
        rng.shuffle(pool)
        rest = [p for p in PROFILES if p not in technicians for _ in range(p.count - len(p.fields))]
        rest.remove(PROFILES_BY_KEY["doctor"])  # the persona takes one doctor's place
        assert len(pool) == len(rest), "field quotas and profile counts must both add up to the same total"
        return [*fixed, *chosen, *zip(rest, pool, strict=True)]

    def build(self) -> list[TalentSpec]:
        talents = [self.make(PROFILES_BY_KEY["doctor"], FIELDS_BY_KEY["rare_earth"], persona=True)]
        slots = self.slots()
        self.rng.shuffle(slots)
        talents += [self.make(profile, FIELDS_BY_KEY[key]) for profile, key in slots]
        return talents

    # --- one person ----------------------------------------------------------------------------------------

    def make(self, profile: Profile, field: Field, *, persona: bool = False) -> TalentSpec:
        rng, people = self.rng, self.people
        degree = weighted(rng, profile.degrees)
        talent_type = DOCTOR if persona else self._type(profile, degree)
        level = self._level(profile, talent_type)
        age = rng.randint(*(POSTDOC_AGES if talent_type == POSTDOC else profile.ages))
        place = self._place(profile, field, talent_type, degree, level, persona)
        gender = people.gender(0.1 if profile.tier == "A" else FEMALE_SHARE.get(field.key, 0.25))
        province = people.home_province(place.sending.province if place.sending else "")
        birth = people.birth_date(age)
        name = people.name(gender, birth.year, province)
        code, majors = field.disciplines[0] if rng.random() < 0.5 else rng.choice(field.disciplines)
        major = rng.choice(majors)
        educations = cv.studies(rng, birth_year=birth.year, degree=degree, field=field, major=major,
                                doctoral_school=self._doctoral_school(place, field))
        graduated = educations[-1].end.year
        level = self._seniority(level, talent_type, graduated, degree)
        jobs, introduced = self._jobs(profile, place, field, level, degree, talent_type, graduated)
        made = self._items(profile, field, place.setting, graduated, level)
        directions = rng.sample(field.crafts if level == "skilled" else field.directions,
                                2 if level == "skilled" else rng.choice((2, 2, 3)))
        spec = TalentSpec(
            name=name, gender=gender, birth_date=birth,
            id_number=people.id_number(birth, gender, province), phone=people.mobile(),
            education=cv.EDUCATION_OF_DEGREE[degree], degree=degree, graduated_from=educations[-1].school,
            major=educations[-1].major, discipline_code="" if level == "skilled" else code,
            discipline="" if level == "skilled" else _discipline_name(code),
            research_directions="；".join(directions),
            title=title_for(rng, level, place.setting, field, profile.manual), employer=place.employer,
            institution=place.sending.name if place.sending else "", talent_type=talent_type,
            flexible_mode=self._mode(profile, talent_type, place.sending), achievements="", region=place.region,
            remarks="", zone=place.zone, field=field.key, expected_tier=profile.tier,
            manual_tier=profile.tier if profile.manual else "",
            employer_code=place.host.credit_code if place.host else "",
            educations=educations, employments=jobs, items=made,
        )
        spec.achievements = self._summary(profile, spec, place.setting, directions)
        spec.remarks = self._remarks(profile, spec, place, introduced)
        return spec

    def _type(self, profile: Profile, degree: str) -> str:
        types = [(t, w) for t, w in profile.types if degree == "博士" or t not in (DOCTOR, POSTDOC)]
        return weighted(self.rng, types)

    def _level(self, profile: Profile, talent_type: str) -> str:
        if talent_type == POSTDOC:
            return "none"  # postdocs hold no title while in station
        level = weighted(self.rng, profile.levels)
        return "mid" if talent_type == DOCTOR and level in ("none", "junior") else level

    def _mode(self, profile: Profile, talent_type: str, unit: InstitutionInfo | None) -> str:
        if talent_type == FLEXIBLE:
            if unit and unit.city == "包头市":  # no migrating or weekend trips for a unit in the same city
                return weighted(self.rng, NEARBY_MODES)
            return weighted(self.rng, ACADEMICIAN_MODES if profile.tier == "A" else FLEXIBLE_MODES)
        if talent_type == DOCTOR:
            return weighted(self.rng, (("驻企服务", 8), ("项目合作", 2)))
        return ""

    def _place(self, profile: Profile, field: Field, talent_type: str, degree: str, level: str,
               persona: bool) -> Placement:
        rng = self.rng
        if talent_type in (FLEXIBLE, DOCTOR):
            unit = self._unit(PERSONA_INSTITUTION) if persona else self._sending_unit(field, profile, talent_type)
            host = self.persona_enterprise if persona else self._enterprise(field)
            if profile.tier == "A":
                if field.key == "rare_earth":
                    host = self.persona_enterprise
                self.hosts.academician.append(host.credit_code)
            return Placement(unit.kind, _academic_employer(unit, field), host.zone, unit.city, unit, host)
        if talent_type == POSTDOC:
            host = self._enterprise(field, postdoc=True)
            self.hosts.postdoc.append(host.credit_code)
            unit = self._sending_unit(field, profile, talent_type)
            return Placement("enterprise", host.name, host.zone, "包头市", unit, host)
        homes = [u for u in INSTITUTIONS if u.zone and field.key in u.fields]
        if degree == "博士" and level in ("full", "vice", "mid") and homes and rng.random() < 0.2:
            home = rng.choice(homes)
            return Placement(home.kind, _academic_employer(home, field), home.zone, "包头市")
        host = self._enterprise(field)
        return Placement("enterprise", host.name, host.zone, "包头市", None, host)

    @staticmethod
    def _unit(name: str) -> InstitutionInfo:
        return next(u for u in INSTITUTIONS if u.name == name)

    def _sending_unit(self, field: Field, profile: Profile, talent_type: str) -> InstitutionInfo:
        units = [u for u in INSTITUTIONS if field.key in u.fields]
        if talent_type == DOCTOR:  # doctors serve from the region's own universities
            units = [u for u in units if u.local and u.kind == "university"]
        # flexible experts mostly come from outside the region; the top ones even more so
        far = 4 if profile.tier in ("A", "B") else 2 if talent_type == FLEXIBLE else 1
        return self.rng.choices(units, weights=[far if not u.local else 1 for u in units])[0]

    def _enterprise(self, field: Field, *, postdoc: bool = False) -> EnterpriseSpec:
        """Bigger enterprises employ and host more people; those still clearing the three zeros, fewer."""
        candidates = self.by_field[field.key]
        if postdoc:
            candidates = [e for e in candidates if e.innovation != "lagging" and e.employees >= 100] or candidates
        weights = [math.sqrt(e.employees) * (0.4 if e.innovation == "lagging" else 1) for e in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    def _doctoral_school(self, place: Placement, field: Field) -> str:
        unit = place.sending
        if unit and unit.kind == "university" and not unit.local and self.rng.random() < 0.5:
            return unit.name  # professors of a strong university often took their doctorate there
        return ""

    @staticmethod
    def _seniority(level: str, talent_type: str, graduated: int, degree: str) -> str:
        """Five years after graduating an engineer has a middle title; only the newest have none."""
        years = AS_OF.year - graduated
        if degree == "博士" and level == "junior":
            return "mid"  # a doctorate is recognised as a middle title
        if talent_type != POSTDOC and level in ("junior", "none") and years >= 5:
            return "mid"
        if level == "none" and years >= 3 and talent_type != POSTDOC:
            return "junior"
        return level

    def _jobs(self, profile: Profile, place: Placement, field: Field, level: str, degree: str, talent_type: str,
              graduated: int) -> tuple[list[EmploymentSpec], date | None]:
        rng = self.rng
        if talent_type == POSTDOC:
            year = rng.randint(max(graduated, AS_OF.year - 1), AS_OF.year)
            month = rng.choice((1, 3, 4, 5, 6) if year == AS_OF.year else (7, 9, 10, 12))
            return [EmploymentSpec(date(year, month, 1), None, place.employer, "博士后研究人员（在站）")], None
        if place.setting != "enterprise":
            return cv.academic_career(rng, start=graduated, setting=place.setting, level=level,
                                      employer=place.employer, degree=degree, field=field), None
        introduced = None
        if talent_type == FULL_TIME:
            abroad = 6 if profile.key == "one_policy" else 2
            year = rng.randint(min(graduated + abroad, AS_OF.year), AS_OF.year)
            introduced = date(year, rng.randint(1, 6 if year == AS_OF.year else 12), 1)
        business = rng.choice(field.businesses).word
        previous = f"{rng.choice(OUTSIDE_CITIES)}{rng.choice(OUTSIDE_TRADES)}{business}有限公司"
        jobs = cv.enterprise_career(rng, start=graduated, level=level, employer=place.employer,
                                    introduced=introduced, previous=previous)
        if profile.key == "one_policy":
            jobs[0].employer, jobs[0].position = rng.choice(ABROAD), "博士后研究员、研究员"
        return jobs, introduced

    def _items(self, profile: Profile, field: Field, setting: str, graduated: int,
               level: str) -> list[AchievementSpec]:
        rng = self.rng
        count = rng.randint(*profile.items)
        if level == "skilled":
            honours = rng.sample(profile.honours, min(count, len(profile.honours)))
            return [AchievementSpec("award", h, rng.randint(max(graduated + 8, 2012), AS_OF.year - 1), "技能人才荣誉")
                    for h in honours] + [AchievementSpec(
                        "other", f"{rng.choice(field.crafts)}技术革新", rng.randint(2018, AS_OF.year - 1),
                        f"年创效益{rng.randint(20, 300)}万元")]
        group = TIER_GROUP.get(profile.key, profile.tier)
        return cv.items(rng, count=count, group=group, setting=setting, field=field, since=graduated,
                        senior=level in ("full", "vice"))

    def _summary(self, profile: Profile, spec: TalentSpec, setting: str, directions: list[str]) -> str:
        rng = self.rng
        if profile.key == "master" and rng.random() < 0.3:
            return ""  # newer records are often thin
        if profile.levels == (("skilled", 1),):
            honours = "、".join(a.title for a in spec.items if a.kind == "award") or rng.choice(profile.honours)
            other = next((a for a in spec.items if a.kind == "other"), None)
            text = f"{honours}；长期从事{directions[0]}工作"
            return text + (f"；完成{other.title}，{other.detail}。" if other else "。")
        opening = ""
        if profile.tier == "A":
            opening = f"{rng.choice(profile.honours)}，长期从事{directions[0]}研究"
        elif profile.honours:
            opening = rng.choice(profile.honours)
        elif profile.key == "one_policy":
            abroad = spec.employments[0]
            years = (abroad.end or AS_OF).year - abroad.start.year
            opening = f"曾在{abroad.employer}从事{directions[0]}研究{years}年"
        group = TIER_GROUP.get(profile.key, profile.tier)
        return cv.summary(rng, group=group, setting=setting, made=spec.items, opening=opening)

    def _remarks(self, profile: Profile, spec: TalentSpec, place: Placement, introduced: date | None) -> str:
        rng = self.rng
        host = place.host
        if spec.talent_type == FLEXIBLE and host:
            years = 3 if profile.tier == "A" else rng.choice((1, 2, 3))
            year = rng.randint(AS_OF.year - years, AS_OF.year - 1)  # agreements still running on AS_OF
            start = date(year, rng.choice((7, 9) if year == AS_OF.year - years else (1, 3, 5, 7, 9)), 1)
            end = date(start.year + years, start.month, 1)
            return (f"柔性服务单位：{host.name}；{spec.flexible_mode}；"
                    f"协议期{start:%Y}年{start.month}月至{end:%Y}年{end.month}月")
        if spec.talent_type == DOCTOR and host:
            return (f"服务单位：{host.name}；服务期2025年9月至2026年8月；"
                    "每月到企业服务不少于1次、每次不少于2天，全年不少于30天")
        if spec.talent_type == POSTDOC and host and place.sending:
            mentor = self.people.person(rng.randint(45, 58))[0]
            entry = spec.employments[0].start
            return (f"{entry:%Y}年{entry.month}月进站；与{place.sending.name}联合培养（双站双城）；"
                    f"企业合作导师：{mentor}；课题：{spec.research_directions.split('；')[0]}")
        if profile.key == "one_policy":
            return "经市人才工作领导小组研究，按“一人一策”认定为B类人才"
        if profile.key == "master_technician":
            self.hosts.masters.append((spec.employer_code, spec.name))
            return "按高技能人才认定为D类（人才办审定）"
        if introduced:
            return f"{introduced:%Y}年{introduced.month}月全职引进"
        return ""


def _academic_employer(unit: InstitutionInfo, field: Field) -> str:
    return unit.name + field.college if unit.kind == "university" else unit.name


def _discipline_name(code: str) -> str:
    discipline = discipline_by_code(code)
    return discipline.name if discipline else ""


def build_talents(rng: random.Random, people: People, enterprises: list[EnterpriseSpec]) -> tuple[list[TalentSpec],
                                                                                                  Hosts]:
    maker = TalentMaker(rng, people, enterprises)
    return maker.build(), maker.hosts
