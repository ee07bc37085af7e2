"""What a need requires of a person (学历层次, 职称) and whether a talent meets it.

Read once per need from 期望人才 ("博士学位，副高级以上职称"; "硕士及以上，博士优先"; "博士或高级职称"), or from
the level the caller resolved (`NeedRecord.min_degree` / `min_title`) when the text names none. A phrase
with 优先 is a preference, not a requirement. Levels are small integers so that the index can keep one byte
per talent for each:
    degree  学士 1 · 硕士 2 · 博士 3           (专科 0; unknown −1)
    title   中级 1 · 副高 2 · 正高 3 · 院士 4  (初级 0; unknown −1)
A talent whose level is unknown is neither penalised nor rewarded: an empty 最高学位 is not evidence of a
lower one. The title table is the engine's own (the engine stands alone, without the talents app).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalise import normalise
from .records import NeedRecord, TalentRecord

__all__ = [
    "DEGREE_NAMES",
    "TITLE_NAMES",
    "UNKNOWN",
    "Requirement",
    "degree_level",
    "is_hard_shortfall",
    "requirement_of",
    "shortfall_factor",
    "title_level",
]

UNKNOWN = -1
DEGREE_NAMES = {0: "专科", 1: "学士", 2: "硕士", 3: "博士"}
TITLE_NAMES = {0: "初级", 1: "中级", 2: "副高级", 3: "正高级", 4: "院士"}
# A stated requirement the person does not meet halves the score per level short (a 硕士 for a need that
# asks for a 博士: × 0.5; a 学士: × 0.25), so a near-perfect topic fit below the requirement ranks under a
# fair fit that meets it; a preference (…优先) costs a tenth, however far short.
HARD_FACTOR = 0.5
PREFERENCE_FACTOR = 0.9

# ---- the person's side -------------------------------------------------------------------------------

_BASE_TITLES = ("工程师", "农艺师", "畜牧师", "兽医师", "实验师", "经济师", "会计师", "统计师", "讲师", "教师", "编辑")
_TITLE_WORDS: dict[str, int] = {
    "院士": 4,
    **{f"正高级{base}": 3 for base in _BASE_TITLES},
    **{f"高级{base}": 2 for base in _BASE_TITLES},
    **dict.fromkeys(_BASE_TITLES, 1),
    **{f"助理{base}": 0 for base in _BASE_TITLES},
    **dict.fromkeys(("教授级高级工程师", "研究员级高级工程师", "教授级高工", "研究员级高工", "教授级工程师"), 3),
    **dict.fromkeys(("正高级", "正高", "教授", "研究员", "主任医师", "主任药师", "主任护师", "推广研究员"), 3),
    **dict.fromkeys(("副高级", "副高", "副教授", "副研究员", "副主任医师", "副主任药师", "副主任护师", "高工"), 2),
    **dict.fromkeys(("中级", "助理研究员", "主治医师", "主管药师", "主管护师"), 1),
    **dict.fromkeys(("初级", "助教", "技术员", "研究实习员", "医师", "药师", "护师"), 0),
}
# Longest first: 助理研究员 before 研究员, 高级工程师 before 工程师, 副教授 before 教授.
_TITLES_LONGEST_FIRST = sorted(_TITLE_WORDS.items(), key=lambda item: -len(item[0]))


@lru_cache(maxsize=4096)
def title_level(title: str) -> int:
    """The level of a 职称 as written (教授级高工 is 正高, 助理研究员 中级), UNKNOWN when none is named."""
    text = normalise(title)
    if not text:
        return UNKNOWN
    for word, level in _TITLES_LONGEST_FIRST:
        if word in text:
            return level
    return UNKNOWN


@lru_cache(maxsize=1024)
def degree_level(degree: str) -> int:
    """The level of a 最高学位 / 最高学历 as written (博士研究生 3, 硕士 2, 大学本科 1), UNKNOWN otherwise."""
    text = normalise(degree)
    if "博士" in text:
        return 3
    if "硕士" in text or "研究生" in text:
        return 2
    if "学士" in text or "本科" in text:
        return 1
    if "专科" in text or "大专" in text or "高职" in text:
        return 0
    return UNKNOWN


def talent_levels(talent: TalentRecord) -> tuple[int, int]:
    return degree_level(talent.degree), title_level(talent.title)


# ---- the need's side ---------------------------------------------------------------------------------

# Words that name a degree in 期望人才; 博士后 asks for a doctor too.
# Longest first, each occurrence read once: 博士研究生 is a doctor, not a 研究生.
_DEGREE_WORDS = (
    ("博士研究生", 3),
    ("硕士研究生", 2),
    ("博士", 3),
    ("硕士", 2),
    ("研究生", 2),
    ("本科", 1),
    ("学士", 1),
    ("大专", 0),
    ("专科", 0),
)
# 中级 titles a need names as a requirement; 教师, 中级 alone (高校教师, 中级技工) are not one.
_NEED_MIDDLE_TITLES = ("讲师", "工程师", "农艺师", "畜牧师", "兽医师", "实验师", "助理研究员", "主治医师")
# Words that name a title level in a need. Bare 高级 only counts next to 职称 (高级技师 is a skill grade).
_NEED_TITLE_WORDS = sorted(
    [(w, min(level, 3)) for w, level in _TITLE_WORDS.items() if level >= 2 or w in _NEED_MIDDLE_TITLES],
    key=lambda item: -len(item[0]),
)
_TITLE_CLAUSE = re.compile(r"(正高|副高|高级|中级)(?:级)?(?:以上|及以上)?(?:专业技术)?职称")
_CLAUSES = re.compile(r"[，,。；;！!？?\n（）()]+")
_NO_LIMIT = ("不限", "不要求")


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a need asks of a person. 0 in a level means "no requirement" (学士 and 中级 are 1)."""

    degree: int = 0
    title: int = 0
    either: bool = False  # "博士或副高以上职称": meeting one of the two is enough
    preferred_degree: int = 0
    preferred_title: int = 0

    def __bool__(self) -> bool:
        return bool(self.degree or self.title or self.preferred_degree or self.preferred_title)

    def describe(self) -> str:
        """The requirement in the words of a clerk: 博士、副高级以上职称 (or 博士或副高级以上职称)."""
        parts = []
        if self.degree:
            parts.append(DEGREE_NAMES[self.degree] + ("" if self.degree == 3 else "及以上学历"))
        if self.title:
            parts.append(TITLE_NAMES[self.title] + ("职称" if self.title == 3 else "及以上职称"))
        return ("或" if self.either else "、").join(parts)


def requirement_of(need: NeedRecord) -> Requirement:
    """The need's requirement: 期望人才's own words first, the caller's resolved level where they name none."""
    parsed = _parse(need.expected)
    degree, title = parsed.degree, parsed.title
    if not degree and not parsed.preferred_degree and need.min_degree:
        degree = max(0, degree_level(need.min_degree))
    if not title and not parsed.preferred_title and need.min_title:
        title = min(3, max(0, title_level(need.min_title)))
    if degree == parsed.degree and title == parsed.title:
        return parsed
    return Requirement(
        degree, title, parsed.either and bool(degree and title), parsed.preferred_degree, parsed.preferred_title
    )


@lru_cache(maxsize=4096)
def _parse(text: str) -> Requirement:
    text = normalise(text)
    if not text:
        return Requirement()
    degree = title = preferred_degree = preferred_title = 0
    either = False
    for clause in _CLAUSES.split(text):
        if not clause or any(word in clause for word in _NO_LIMIT):
            continue
        found_degree = _lowest_degree(clause)
        found_title = _lowest_title(clause)
        if "优先" in clause:
            preferred_degree = max(preferred_degree, found_degree)
            preferred_title = max(preferred_title, found_title)
            continue
        if found_degree and found_title and "或" in clause:
            either = True
        degree, title = max(degree, found_degree), max(title, found_title)
    either = either and bool(degree and title)
    return Requirement(
        degree,
        title,
        either,
        preferred_degree if preferred_degree > degree else 0,
        preferred_title if preferred_title > title else 0,
    )


def _lowest_degree(clause: str) -> int:
    """The lowest degree a clause names ("硕士及以上" and "硕士或博士" both ask for at least a 硕士).
    0: none, or only 专科 (no requirement for an engine that matches doctors and experts)."""
    found: list[int] = []
    for word, level in _DEGREE_WORDS:
        if word in clause:
            found.append(level)
            clause = clause.replace(word, " ")
    return min(found) if found else 0


def _lowest_title(clause: str) -> int:
    found: list[int] = []
    rest = clause
    for match in _TITLE_CLAUSE.finditer(rest):
        found.append({"正高": 3, "副高": 2, "高级": 2, "中级": 1}[match.group(1)])
    rest = _TITLE_CLAUSE.sub(" ", rest)
    for word, level in _NEED_TITLE_WORDS:
        if word in rest:
            found.append(level)
            rest = rest.replace(word, " ")
    return min(found) if found else 0


# ---- the verdict -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shortfall:
    """How far one talent is below one need's requirement."""

    factor: float  # multiplies the score; 1.0 when nothing stated is unmet (or unknown)
    hard: bool  # a stated requirement (not a preference) is unmet
    degree_short: int  # levels below the required (or preferred) degree; 0 when met or unknown
    title_short: int


def shortfall_factor(requirement: Requirement, degree: int, title: int) -> Shortfall:
    """The penalty of one talent (its degree and title levels) against one requirement."""
    if not requirement:
        return Shortfall(1.0, False, 0, 0)
    degree_short = _short(requirement.degree, degree)
    title_short = _short(requirement.title, title)
    if requirement.either:
        met = degree_short == 0 or title_short == 0
        hard_factor = 1.0 if met else max(HARD_FACTOR**degree_short, HARD_FACTOR**title_short)
        if met:
            degree_short = title_short = 0
    else:
        hard_factor = HARD_FACTOR ** (degree_short + title_short)
    if hard_factor < 1.0:
        return Shortfall(hard_factor, True, degree_short, title_short)
    preferred_degree = _short(requirement.preferred_degree, degree)
    preferred_title = _short(requirement.preferred_title, title)
    if preferred_degree or preferred_title:
        return Shortfall(PREFERENCE_FACTOR, False, preferred_degree, preferred_title)
    return Shortfall(1.0, False, 0, 0)


def is_hard_shortfall(factor: float) -> bool:
    """Whether a score factor of `shortfall_factor` comes from an unmet requirement (not a preference)."""
    return factor <= HARD_FACTOR + 1e-6


def _short(wanted: int, has: int) -> int:
    if not wanted or has == UNKNOWN:
        return 0
    return max(0, wanted - has)
