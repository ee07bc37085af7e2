"""The plain records the engine reads: one talent profile, one enterprise need.

The caller chooses `key` (a spreadsheet row number in file mode, a database id in the app) and gets it
back in every result, so the engine never needs to know where a record came from.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Key", "NeedRecord", "TalentRecord"]

Key = int | str


@dataclass(frozen=True, slots=True)
class TalentRecord:
    """One talent profile as the office keeps it (人才信息). Text fields may be empty, never None."""

    key: Key
    name: str
    discipline: str = ""  # 一级学科: name or code as written
    discipline_code: str = ""  # the same, resolved by the caller against the national catalog (e.g. 0805)
    major: str = ""  # 所学专业
    research: str = ""  # 研究方向
    achievements: str = ""  # 代表性成果
    title: str = ""  # 职称
    degree: str = ""  # 最高学位 (or 最高学历 when the degree is missing)
    employer: str = ""  # 工作单位
    talent_type: str = ""  # 人才类型
    flexible_mode: str = ""  # 柔性方式
    tier: str = ""  # 人才层次 A–E
    region: str = ""  # 所在地区
    available: bool = True  # False: paused, left, or otherwise not to be matched now
    capacity_lead: int | None = None  # None: the plan's default for "1+N"
    capacity_service: int | None = None


@dataclass(frozen=True, slots=True)
class NeedRecord:
    """One enterprise need (企业需求)."""

    key: Key
    enterprise: str
    title: str  # 需求名称
    description: str  # 需求描述, the enterprise's own words
    field: str = ""  # 所属领域
    expected: str = ""  # 期望人才: degree, field, experience
    need_type: str = ""  # 需求类型
    demand: int = 1  # 需求人数
    urgency: str = ""  # 紧急程度
    enterprise_code: str = ""  # 统一社会信用代码
    industry_codes: tuple[str, ...] = ()  # GB/T 4754 codes the caller resolved from 所属领域 (e.g. "C", "26")
    discipline_codes: tuple[str, ...] = ()  # disciplines the caller resolved from 期望人才 / 所属领域
    # Requirements the caller resolved (the app's 学历层次); the engine reads 期望人才 itself and uses these
    # only where that text names no degree or title (see requirements.py).
    min_degree: str = ""  # 博士 / 硕士 / 学士
    min_title: str = ""  # 正高级 / 副高级 / 中级 (or a title: 教授, 高级工程师)
