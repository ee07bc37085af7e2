"""Reading what a need asks for: its field (一级学科, industry) and the degree level it wants."""

from __future__ import annotations

from rencai.core.catalogs import find_discipline
from rencai.needs.models import Level
from rencai.orgs.industry import find_industry_code

LEVEL_WORDS = [(Level.DOCTOR, ("博士",)), (Level.MASTER, ("硕士", "研究生")), (Level.BACHELOR, ("本科", "学士"))]


def level_from_text(text: str) -> str:
    """The lowest degree a 期望人才 text names ("本科或硕士" → 学士); 不限 when it names none."""
    found = [level for level, words in LEVEL_WORDS if any(w in text for w in words)]
    if not found:
        return Level.ANY
    return found[-1]


def resolve_field(text: str) -> tuple[str, str]:
    """A 所属领域 cell as (discipline code, industry code); either may be empty when not recognised."""
    if not text:
        return "", ""
    discipline = find_discipline(text)
    return (discipline.code if discipline else ""), (find_industry_code(text) or "")
