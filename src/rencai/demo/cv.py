"""The parts of a talent's CV: studies, jobs, itemised achievements and the summary a clerk reads first."""

from __future__ import annotations

import random
from datetime import date

from rencai.demo.data import AS_OF, REGIONAL_SCHOOLS, VOCATIONAL_SCHOOLS
from rencai.demo.fields import Field
from rencai.demo.specs import AchievementSpec, EducationSpec, EmploymentSpec

LAST_GRADUATION = AS_OF.year - 1
EDUCATION_OF_DEGREE = {"博士": "博士研究生", "硕士": "硕士研究生", "学士": "大学本科", "": "大学专科"}
ACADEMIC_RANKS = {"university": ("讲师", "副教授", "教授"), "institute": ("助理研究员", "副研究员", "研究员")}
RANK_OF_LEVEL = {"mid": 0, "vice": 1, "full": 2}
ENTERPRISE_LADDERS = {
    "full": (("技术员", "工艺工程师", "技术部副部长", "技术中心主任"), ("总工程师", "副总经理（分管技术）")),
    "vice": (("技术员", "工艺工程师"), ("研发部副经理", "主任工程师", "技术部部长", "质量部部长")),
    "mid": (("技术员",), ("研发工程师", "工艺工程师", "质量工程师", "设备工程师")),
    "junior": ((), ("技术员", "研发助理", "工艺技术员")),
    "none": ((), ("技术员", "研发助理", "工艺技术员")),
    "skilled": (("操作工", "班组长"), ("车间副主任", "首席技师", "技术组组长")),
}
PAPERS = {"A": (200, 450), "B": (80, 220), "C": (40, 120), "D": (8, 45), "E": (2, 12), "": (0, 0)}
PATENTS = {"A": (30, 90), "B": (15, 50), "C": (6, 30), "D": (2, 15), "E": (0, 4), "": (0, 2)}
AWARDS = {
    "A": ("国家科学技术进步奖二等奖", "国家技术发明奖二等奖", "内蒙古自治区科学技术进步奖一等奖"),
    "B": ("国家科学技术进步奖二等奖", "内蒙古自治区科学技术进步奖一等奖", "内蒙古自治区科学技术进步奖二等奖"),
    "C": ("内蒙古自治区科学技术进步奖一等奖", "内蒙古自治区科学技术进步奖二等奖", "包头市科学技术进步奖一等奖"),
    "D": ("内蒙古自治区科学技术进步奖三等奖", "包头市科学技术进步奖一等奖", "包头市科学技术进步奖二等奖"),
    "E": ("包头市科学技术进步奖三等奖", "内蒙古自治区职工优秀技术创新成果奖"),
}
FARM_AWARD = "内蒙古自治区农牧业丰收奖一等奖"
FARM_FIELDS = ("agri", "grass", "dairy")
KIND_WEIGHTS = {
    "academic": (("paper", 45), ("project", 30), ("patent", 15), ("award", 10)),
    "enterprise": (("patent", 40), ("project", 30), ("paper", 20), ("award", 10)),
}
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# Funding (万元) by kind of project, first match wins, and the year each programme began.
FUNDING = (("青年科学基金", (20, 30)), ("面上项目", (50, 60)), ("地区科学基金", (30, 35)), ("联合基金", (200, 300)),
           ("国家重点研发计划", (300, 2000)), ("科技重大专项", (500, 2000)), ("揭榜挂帅", (200, 1000)),
           ("自治区", (50, 300)), ("包头市", (20, 100)))
PROGRAMME_START = (("国家重点研发计划", 2016), ("揭榜挂帅", 2020), ("区域创新发展联合基金", 2019),
                   ("重点研发和成果转化计划", 2019))


def patent_number(rng: random.Random, year: int, kind: int = 1) -> str:
    """ZL + the application number (year, kind 1 = invention, serial) + its check digit.

    Since October 2003 the number has 12 digits (2021 1 0345678); before, 8 (97 1 23874).
    """
    if year >= 2004:
        digits = f"{year}{kind}{rng.randrange(10**7):07d}"
    else:
        digits = f"{year % 100:02d}{kind}{rng.randrange(10**5):05d}"
    check = sum(int(d) * w for d, w in zip(digits, PATENT_WEIGHTS, strict=False)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


# --- studies --------------------------------------------------------------------------------------------------


def _spans(rng: random.Random, birth_year: int, degree: str, relaxed: bool) -> list[tuple[int, int]]:
    lengths = {"": [3], "学士": [4], "硕士": [4, 3], "博士": [4, 3, rng.choice((3, 4, 4, 5))]}[degree]
    start = birth_year + 18 + (rng.choice((0, 0, 0, 1)) if relaxed else 0)
    if 1966 <= start <= 1977:
        start = 1978  # the first students admitted after the entrance examination resumed
    spans = []
    for n, length in enumerate(lengths if relaxed else [min(length, 4 if n == 0 else 3)
                                                           for n, length in enumerate(lengths)]):
        if n and relaxed:
            start += rng.choice((0, 0, 0, 1, 2))  # some worked a few years between degrees
        spans.append((start, start + length))
        start += length
    return spans


def studies(rng: random.Random, *, birth_year: int, degree: str, field: Field, major: str,
            doctoral_school: str = "") -> list[EducationSpec]:
    """Degrees from the first to the highest, each starting in September and ending in June."""
    spans = _spans(rng, birth_year, degree, relaxed=True)
    if spans[-1][1] > LAST_GRADUATION:
        spans = _spans(rng, birth_year, degree, relaxed=False)
    if degree == "":
        (start, end), = spans
        return [EducationSpec(date(start, 9, 1), date(end, 6, 30), rng.choice(VOCATIONAL_SCHOOLS),
                              rng.choice(field.craft_majors), "")]
    universities = [s for s in field.schools if s.endswith(("大学", "学院"))]  # institutes grant no bachelors
    regional = REGIONAL_SCHOOLS["farming" if field.farming else "engineering"]
    schools = [rng.choice((*regional, *universities)), rng.choice((*field.schools, *regional[:2])),
               doctoral_school or rng.choice(field.schools)]
    majors = [rng.choice(field.undergrad_majors), major, major]
    degrees = ["学士", "硕士", "博士"]
    return [EducationSpec(date(start, 9, 1), date(end, 6, 30), schools[n], majors[n], degrees[n])
            for n, (start, end) in enumerate(spans)]


# --- jobs -----------------------------------------------------------------------------------------------------


def _steps(rng: random.Random, start: int, count: int, gap: tuple[int, int]) -> list[int]:
    """Years in which `count` successive posts began: a promotion every few years, none after last year."""
    years = [start]
    for _ in range(count - 1):
        years.append(max(years[-1] + 1, min(years[-1] + rng.randint(*gap), LAST_GRADUATION)))
    return years


def academic_career(rng: random.Random, *, start: int, setting: str, level: str, employer: str, degree: str,
                    field: Field) -> list[EmploymentSpec]:
    jobs = []
    if degree == "博士" and rng.random() < 0.35 and start + 2 < LAST_GRADUATION:
        jobs.append(EmploymentSpec(date(start, 7, 1), date(start + 2, 6, 30), rng.choice(field.schools),
                                   "博士后研究人员"))
        start += 2
    ranks = ACADEMIC_RANKS[setting][: RANK_OF_LEVEL.get(level, 0) + 1]
    years = _steps(rng, start, len(ranks), (4, 7))
    for n, (rank, year) in enumerate(zip(ranks, years, strict=True)):
        position = rank
        if setting == "university" and rank == "教授" and degree == "博士":
            position = "教授、博士生导师"
        elif setting == "university" and rank == "副教授":
            position = "副教授、硕士生导师"
        end = date(years[n + 1], 6, 30) if n + 1 < len(years) else None
        jobs.append(EmploymentSpec(date(year, 7, 1), end, employer, position))
    return jobs


def enterprise_career(rng: random.Random, *, start: int, level: str, employer: str, introduced: date | None,
                      previous: str) -> list[EmploymentSpec]:
    """Rising through one enterprise, or (introduced talents) a previous employer and then this one."""
    ladder, finals = ENTERPRISE_LADDERS[level]
    posts = [*ladder, rng.choice(finals)]
    if introduced is not None:
        before = posts[-2] if len(posts) > 1 else "技术员"
        return [EmploymentSpec(date(start, 7, 1), introduced, previous, before),
                EmploymentSpec(introduced, None, employer, posts[-1])]
    posts = posts[-max(1, min(len(posts), (LAST_GRADUATION - start) // 3 + 1)):]
    years = _steps(rng, start, len(posts), (3, 6))
    return [EmploymentSpec(date(year, 7, 1), date(years[n + 1], 6, 30) if n + 1 < len(years) else None,
                           employer, post) for n, (post, year) in enumerate(zip(posts, years, strict=True))]


# --- achievements ---------------------------------------------------------------------------------------------


def _project_detail(rng: random.Random, title: str, group: str) -> str:
    leads = group in ("A", "B", "C") or (group == "D" and rng.random() < 0.6)
    if not leads:
        return f"参与，排名第{rng.randint(2, 6)}"
    low, high = next((money for word, money in FUNDING if word in title), (20, 100))
    return f"主持，经费{rng.randint(low, high)}万元"


def _earliest(title: str) -> int:
    return next((year for word, year in PROGRAMME_START if word in title), 1980)


def items(rng: random.Random, *, count: int, group: str, setting: str, field: Field, since: int,
          senior: bool) -> list[AchievementSpec]:
    """Itemised papers, patents, projects and awards, each title at most once per person."""
    pools = {"paper": list(field.papers), "patent": list(field.patents), "project": list(field.projects),
             "award": list(AWARDS.get(group, AWARDS["E"])) + ([FARM_AWARD] if field.key in FARM_FIELDS else [])}
    for pool in pools.values():
        rng.shuffle(pool)
    if senior:  # young scientists' grants are for the under-35s
        pools["project"] = [t for t in pools["project"] if "青年科学基金" not in t]
    if group in ("A", "B", "C"):  # leading people list their national projects first
        pools["project"].sort(key=lambda title: title.startswith("国家"))
    weights = KIND_WEIGHTS["enterprise" if setting == "enterprise" else "academic"]
    kinds = [weighted_kind(rng, weights) for _ in range(count)]
    if kinds and group in ("A", "B", "C"):
        kinds[0] = "project"
    first = min(since + 1, AS_OF.year)
    made = []
    for kind in kinds:
        if not pools[kind]:
            continue
        title = pools[kind].pop()
        last = AS_OF.year - (1 if kind in ("award", "patent") else 0)
        year = max(rng.randint(min(first, last), last), min(_earliest(title), last))
        if kind == "paper":
            journal = rng.choice(field.journals)
            detail = f"{journal}，{year}年，{'通讯作者' if senior and rng.random() < 0.6 else '第一作者'}"
        elif kind == "patent":
            detail = f"发明专利，{patent_number(rng, max(first - 1, year - rng.randint(1, 3)))}，{year}年授权"
        elif kind == "project":
            detail = _project_detail(rng, title, group)
        else:
            detail = f"排名第{rng.randint(1, 2) if group in ('A', 'B', 'C') else rng.randint(2, 7)}"
        made.append(AchievementSpec(kind, title, year, detail))
    return made


def weighted_kind(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weights], weights=[w for _, w in weights])[0]


def summary(rng: random.Random, *, group: str, setting: str, made: list[AchievementSpec],
            opening: str = "") -> str:
    """代表性成果 as offices write it: honour first, then projects, papers, patents, awards."""
    parts = [opening] if opening else []
    projects = [a for a in made if a.kind == "project"]
    if projects and projects[0].detail.startswith("主持"):
        parts.append(f"主持{projects[0].title}等科研项目{len(projects) + rng.randint(1, 8)}项")
    elif projects:
        parts.append(f"参与{projects[0].title}")
    papers = max(rng.randint(*PAPERS[group]) // (3 if setting == "enterprise" else 1),
                 sum(a.kind == "paper" for a in made))
    if papers and setting != "enterprise":
        parts.append(f"发表学术论文{papers}篇，其中SCI/EI收录{papers * rng.randint(40, 70) // 100}篇")
    elif papers:
        parts.append(f"发表论文{papers}篇")
    patents = max(rng.randint(*PATENTS[group]), sum(a.kind == "patent" for a in made))
    if patents:
        parts.append(f"授权发明专利{patents}件")
    awards = [a.title for a in made if a.kind == "award"]
    if awards:
        parts.append("获" + "、".join(awards[:2]))
    return "；".join(parts) + "。" if parts else ""
