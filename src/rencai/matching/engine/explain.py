"""Reasons a clerk understands: which words matched and where, field relation, seniority, availability.

Only the candidates shown are explained, so this re-reads their columns rather than storing per-profile
token lists in the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .normalise import normalise_width, simplified
from .records import TalentRecord
from .thesaurus import ConceptHit

if TYPE_CHECKING:
    from .index import TalentIndex
    from .rank import NeedQuery

__all__ = ["Evidence", "explain"]

_MAX_CONCEPT_REASONS = 3
_MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class Evidence:
    """The features behind one candidate's score, each in [0, 1]."""

    lexical: float
    concept: float
    field: float
    seniority: float
    availability: float


@dataclass(frozen=True, slots=True)
class _Match:
    strength: float
    text: str
    words: frozenset[str]


def explain(
    query: NeedQuery, talent: TalentRecord, position: int, index: TalentIndex, evidence: Evidence
) -> tuple[str, ...]:
    columns = _talent_columns(talent, position, index)
    analysed = dict(
        zip((label for label, _ in columns), index.tokeniser.analyse_fields([t for _, t in columns]), strict=True)
    )
    tokens = {label: pair[0] for label, pair in analysed.items()}
    hits = {label: index.thesaurus.find(pair[1]) for label, pair in analysed.items()}
    concept_reasons, used = _concept_reasons(query, hits, index)
    reasons = concept_reasons + _word_reasons(query, tokens, used, index)
    if not reasons:
        reasons.append("与需求有部分用词重合")
    reasons = _restore_case(reasons, [text for _label, text in columns], query)
    reasons += _field_reasons(query, position, index, evidence)
    reasons += _person_reasons(talent)
    return tuple(reasons)


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+\-]*")
_QUOTED_LATIN = re.compile(r"‘([a-z0-9+\-]+)’")


def _restore_case(reasons: list[str], talent_texts: list[str], query: NeedQuery) -> list[str]:
    """Tokens are lower-cased for matching; show MES and NdFeB as the person wrote them."""
    need = query.need
    spelled: dict[str, str] = {}
    for text in (need.title, need.description, need.field, need.expected, *talent_texts):
        for word in _LATIN.findall(normalise_width(text)):
            spelled.setdefault(word.lower(), word)
    return [_QUOTED_LATIN.sub(lambda m: f"‘{spelled.get(m.group(1), m.group(1))}’", r) for r in reasons]


def _talent_columns(talent: TalentRecord, position: int, index: TalentIndex) -> list[tuple[str, str]]:
    code = index.discipline_of(position)
    discipline = index.knowledge.name(code) if code else talent.discipline
    return [
        ("研究方向", talent.research),
        ("所学专业", talent.major),
        ("一级学科", discipline),
        ("代表性成果", talent.achievements),
    ]


def _concept_reasons(
    query: NeedQuery, talent_hits: dict[str, list[ConceptHit]], index: TalentIndex
) -> tuple[list[str], set[str]]:
    where: dict[int, tuple[str, ConceptHit]] = {}
    for label, hits in talent_hits.items():
        for hit in hits:
            where.setdefault(hit.concept, (label, _longest_first(hit)))
    # One sentence per pair of linked words: the same link found in 需求名称 and 需求描述 is said once.
    matches: dict[frozenset[str], _Match] = {}
    for need_label, hits in query.hits.items():
        for need_hit in hits:
            match = _best_match(need_label, need_hit, where, index)
            if match is not None and (match.words not in matches or matches[match.words].strength < match.strength):
                matches[match.words] = match
    chosen: list[_Match] = []
    used: set[str] = set()
    for match in sorted(matches.values(), key=lambda m: -m.strength):
        if match.words & used:  # each word is explained once, by its strongest link
            continue
        chosen.append(match)
        used |= match.words
        if len(chosen) == _MAX_CONCEPT_REASONS:
            break
    return [m.text for m in chosen], used


def _longest_first(hit: ConceptHit) -> ConceptHit:
    """Show the fullest word a column used (钕铁硼永磁 rather than the sub-word 永磁)."""
    return ConceptHit(hit.concept, tuple(sorted(hit.terms, key=len, reverse=True)))


def _best_match(
    need_label: str, need_hit: ConceptHit, where: dict[int, tuple[str, ConceptHit]], index: TalentIndex
) -> _Match | None:
    """The strongest link from one concept of the need to the profile's concepts, as a sentence."""
    thesaurus = index.thesaurus
    concept = need_hit.concept
    idf = float(index.concepts.idf[concept])
    need_word = need_hit.terms[0]
    if concept in where:
        label, hit = where[concept]
        shared = set(need_hit.terms) & set(hit.terms)
        words = frozenset((need_word, hit.terms[0]))
        if shared:
            word = sorted(shared, key=len, reverse=True)[0]
            return _Match(idf, f"{need_label}与{label}都提到‘{word}’", frozenset(shared))
        name = thesaurus.names[concept]
        text = f"{need_label}中的‘{need_word}’与{label}中的‘{hit.terms[0]}’同义（{name}）"
        return _Match(idf, text, words)
    best: _Match | None = None
    need_line = (concept, *thesaurus.ancestors(concept))
    for other, (label, hit) in where.items():
        other_line = (other, *thesaurus.ancestors(other))
        words = frozenset((need_word, hit.terms[0]))
        if concept in other_line:  # the profile's concept is a kind of the need's
            strength = 0.9 * idf
            text = f"{need_label}中的‘{need_word}’{_aka(need_word, concept, index)}包括{label}中的‘{hit.terms[0]}’"
        elif other in need_line:  # the need is more specific than the profile
            strength = 0.6 * float(index.concepts.idf[other])
            text = f"{label}中的‘{hit.terms[0]}’{_aka(hit.terms[0], other, index)}包括{need_label}中的‘{need_word}’"
        else:
            common = next((a for a in need_line[1:] if a in other_line), None)
            if common is None:
                continue
            strength = 0.45 * float(index.concepts.idf[common])
            text = f"{need_label}中的‘{need_word}’与{label}中的‘{hit.terms[0]}’相关（同属{thesaurus.names[common]}）"
        if best is None or strength > best.strength:
            best = _Match(strength, text, words)
    return best


def _aka(word: str, concept: int, index: TalentIndex) -> str:
    name = index.thesaurus.names[concept]
    return "" if name == word else f"（{name}）"


def _word_reasons(
    query: NeedQuery, talent_tokens: dict[str, list[str]], used: set[str], index: TalentIndex
) -> list[str]:
    """Shared words, rarest first, grouped by where they were found."""
    need_place: dict[str, str] = {}
    for label, tokens in query.tokens.items():
        for token in tokens:
            need_place.setdefault(token, label)
    talent_place: dict[str, str] = {}
    for label, tokens in talent_tokens.items():
        for token in tokens:
            talent_place.setdefault(token, label)
    shared = [t for t in need_place if t in talent_place and t not in used]
    vocabulary, idf = index.vocabulary, index.words.idf
    shared.sort(key=lambda t: -float(idf[vocabulary[t]]) if t in vocabulary else 0.0)
    chosen: list[str] = []
    for token in shared:
        if any(token in other or other in token for other in chosen) or any(token in u for u in used):
            continue
        chosen.append(token)
        if len(chosen) == _MAX_WORDS:
            break
    groups: dict[tuple[str, str], list[str]] = {}
    for token in chosen:
        groups.setdefault((need_place[token], talent_place[token]), []).append(token)
    return [f"{need}与{talent}都涉及" + "、".join(f"‘{t}’" for t in words) for (need, talent), words in groups.items()]


def _field_reasons(query: NeedQuery, position: int, index: TalentIndex, evidence: Evidence) -> list[str]:
    code = index.discipline_of(position)
    if not code or evidence.field <= 0:
        return []
    knowledge = index.knowledge
    best_code, best = "", 0.0
    for wanted, strength in query.disciplines.items():
        value = strength * knowledge.relation(code, wanted)
        if value > best:
            best_code, best = wanted, value
    if best_code:
        source = query.discipline_source.get(best_code, "")
        because = f"（需求涉及{source}）" if source and source != "期望人才" else ""
        if best_code == code:
            return [f"一级学科相同：{knowledge.name(code)}{because}"]
        return [f"一级学科相近：{knowledge.name(code)} ↔ {knowledge.name(best_code)}{because}"]
    for industry in query.need.industry_codes:
        if knowledge.affinity(code, industry) > 0:
            name = knowledge.industry_names.get(industry, industry)
            return [f"一级学科对口需求所属行业：{knowledge.name(code)} → {name}"]
    return []


def _person_reasons(talent: TalentRecord) -> list[str]:
    reasons: list[str] = []
    title, degree = simplified(talent.title), simplified(talent.degree)
    doctor = "（博士）" if "博士" in degree and "博士" not in title else ""
    if title:
        reasons.append(f"职称：{title}{doctor}")
    elif doctor:
        reasons.append("最高学位：博士")
    if talent.tier:
        reasons.append(f"人才层次：{talent.tier.upper()}类")
    if talent.flexible_mode:
        reasons.append(f"柔性方式：{simplified(talent.flexible_mode)}")
    elif talent.talent_type:
        reasons.append(f"人才类型：{simplified(talent.talent_type)}")
    return reasons
