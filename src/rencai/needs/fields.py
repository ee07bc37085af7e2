"""Reading what a need asks for: its field (一级学科, industry) and the degree level it wants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rencai.core.catalogs import discipline_by_code, find_discipline
from rencai.needs.models import Level
from rencai.orgs.industry import find_industry_code

LEVEL_WORDS = [(Level.DOCTOR, ("博士",)), (Level.MASTER, ("硕士", "研究生")), (Level.BACHELOR, ("本科", "学士"))]


def level_from_text(text: str) -> str:
    """The lowest degree a 期望人才 text names ("本科或硕士" → 学士); 不限 when it names none."""
    found = [level for level, words in LEVEL_WORDS if any(w in text for w in words)]
    if not found:
        return Level.ANY
    return found[-1]


CATALOG, THESAURUS = "catalog", "thesaurus"  # how a discipline was found (Need.DisciplineSource values)


@dataclass(frozen=True)
class FieldMapping:
    discipline_code: str
    industry_code: str
    source: str  # CATALOG, THESAURUS or "" (not recognised)


def map_field(text: str, built: tuple[Any, Any] | None = None) -> FieldMapping:
    """A free-text 所属领域 (稀土永磁材料, 钕铁硼, 0805 材料科学与工程) mapped to a 一级学科 and an industry:
    the discipline catalog's names and aliases first, then the domain thesaurus (shipped and the office's
    own words), whose concepts name their disciplines (稀土永磁 → 0805)."""
    if not text or not text.strip():
        return FieldMapping("", "", "")
    industry = find_industry_code(text) or ""
    found = find_discipline(text)
    if found is not None:
        return FieldMapping(found.code, industry, CATALOG)
    code = thesaurus_discipline(text, built)
    return FieldMapping(code, industry, THESAURUS if code else "")


def resolve_field(text: str) -> tuple[str, str]:
    """A 所属领域 cell as (discipline code, industry code); either may be empty when not recognised."""
    mapping = map_field(text)
    return mapping.discipline_code, mapping.industry_code


def thesaurus_discipline(text: str, built: tuple[Any, Any] | None = None) -> str:
    """The first academic 一级学科 of the first thesaurus concept `text` names (or of its broader concepts)."""
    thesaurus, tokeniser = built or _thesaurus()
    tokens, words = tokeniser.analyse(text)
    hits = thesaurus.find([*words, *tokens])
    # the most specific concept first: the longest word that named it, then the deepest in the hierarchy
    # (稀土永磁材料 is about 稀土永磁 → 0805, not about 稀土 in general → 0806)
    hits.sort(key=lambda hit: (-max(len(term) for term in hit.terms), -len(thesaurus.ancestors(hit.concept))))
    for hit in hits:
        for concept in (hit.concept, *thesaurus.ancestors(hit.concept)):
            for code in thesaurus.disciplines[concept]:
                found = discipline_by_code(code)
                if found is not None and not found.professional:
                    return found.code
    return ""


_BUILT: dict[tuple[int, object], tuple[Any, Any]] = {}


def shipped_thesaurus() -> tuple[Any, Any]:
    """The shipped thesaurus alone and its tokeniser (for migrations, which cannot read the office's words)."""
    from rencai.matching.engine import Tokeniser, load_thesaurus

    thesaurus = load_thesaurus()
    return thesaurus, Tokeniser(thesaurus.words())


def _thesaurus() -> tuple[Any, Any]:
    """The thesaurus and a tokeniser knowing its words, rebuilt only when the office's entries change."""
    from django.db.models import Count, Max

    from rencai.matching.engine import Tokeniser, load_thesaurus
    from rencai.matching.models import ThesaurusTerm
    from rencai.matching.records import thesaurus_entries

    state = ThesaurusTerm.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    key = (state["n"], state["at"])
    if key not in _BUILT:
        thesaurus = load_thesaurus(thesaurus_entries())
        _BUILT.clear()
        _BUILT[key] = (thesaurus, Tokeniser(thesaurus.words()))
    return _BUILT[key]
