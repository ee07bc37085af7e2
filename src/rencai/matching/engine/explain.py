"""Reasons a clerk understands: which words matched and where, field relation, requirements, seniority,
availability.

Only the candidates shown are explained, so this re-reads their columns rather than storing per-profile
token lists in the index.

A reason quotes (‘…’) only whole words: on each side (the need's columns, the profile's) where a quoted
word occurs, it occurs on the word boundaries of rjieba's plain segmentation of that text at least once.
The index matches on search-mode sub-words (材料 of 复合材料, 蒙古 of 内蒙古), which is right for recall
but wrong to show; so shared words are read from the plain cut of both texts, and a concept's term that a
text holds only inside a longer word is shown as that whole word (畜牧学, not 畜牧) or, failing that, by
the concept's name without quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import rjieba

from .normalise import normalise, normalise_width, simplified
from .records import TalentRecord
from .requirements import DEGREE_NAMES, TITLE_NAMES, UNKNOWN, Requirement, shortfall_factor, talent_levels
from .thesaurus import ConceptHit
from .tokenise import topic_word

if TYPE_CHECKING:
    from .index import TalentIndex
    from .rank import NeedQuery

__all__ = ["Evidence", "explain"]

_MAX_CONCEPT_REASONS = 3
_MAX_WORDS = 4
_MAX_QUOTE = 12  # a whole word longer than this is not worth quoting; the concept's name is shown instead
_NEED, _TALENT = 0, 1


@dataclass(frozen=True, slots=True)
class Evidence:
    """The features behind one candidate's score, each in [0, 1]."""

    lexical: float
    concept: float
    field: float
    seniority: float
    availability: float
    requirement: float = 1.0  # the 学历/职称 factor of rank.py (1.0: met, none asked, or unknown)
    semantic: float = 0.0  # the semantic layer's stretched similarity (0 without the layer)


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
    hits = {label: index.thesaurus.find(pair[1]) for label, pair in analysed.items()}
    need = query.need
    need_columns = [
        ("需求名称", need.title),
        ("需求描述", need.description),
        ("所属领域", need.field),
        ("期望人才", need.expected),
    ]
    quoter = _Quoter(need_columns, columns)
    concept_reasons, used = _concept_reasons(query, hits, index, quoter)
    reasons = concept_reasons + _word_reasons(quoter, used, index)
    meaning = _semantic_reasons(query, talent, evidence, alone=not reasons)
    if not reasons and not meaning:
        reasons.append("与需求有部分用词重合" if evidence.lexical > 0 else "与需求没有直接相同的用词")
    reasons = (reasons + meaning) if concept_reasons else (meaning + reasons)
    reasons = _restore_case(reasons, [text for _label, text in columns], query)
    reasons += _field_reasons(query, position, index, evidence, quoter)
    short, met = _requirement_reasons(query.requirement, talent)
    reasons = short + reasons + met
    reasons += _person_reasons(talent)
    return tuple(reasons)


# ---- whole words ---------------------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _segmented(text: str) -> tuple[tuple[tuple[int, int], ...], frozenset[int], frozenset[int]]:
    """Word spans of rjieba's plain cut of a normalised text, with the set of word starts and ends."""
    spans, at = [], 0
    for word in rjieba.cut(text):
        spans.append((at, at + len(word)))
        at += len(word)
    return tuple(spans), frozenset(a for a, _b in spans), frozenset(b for _a, b in spans)


class _Quoter:
    """Decides how a word may be quoted in the reasons of one need–profile pair."""

    def __init__(self, need_columns: Sequence[tuple[str, str]], talent_columns: Sequence[tuple[str, str]]) -> None:
        self.columns = (
            [(label, normalise(text)) for label, text in need_columns if text],
            [(label, normalise(text)) for label, text in talent_columns if text],
        )
        self._verdicts: dict[str, bool] = {}

    def quotable(self, word: str) -> bool:
        """On each side where `word` occurs, it occurs as whole words somewhere."""
        if word not in self._verdicts:
            self._verdicts[word] = all(self._whole_or_absent(word, side) for side in (_NEED, _TALENT))
        return self._verdicts[word]

    def quote(self, word: str, side: int) -> str | None:
        """`word` itself if quotable, else the whole word(s) of `side`'s text it is part of, else None."""
        if self.quotable(word):
            return word
        for _label, text in self.columns[side]:
            begin = text.find(word)
            if begin < 0:
                continue
            spans, _starts, _ends = _segmented(text)
            cut = [(a, b) for a, b in spans if a < begin + len(word) and b > begin]
            if len(cut) != 1:  # straddles words (储氢罐 in 储氢|罐吸放): no whole word to show
                return None
            whole = text[cut[0][0] : cut[0][1]].strip()
            if whole and len(whole) <= _MAX_QUOTE and self.quotable(whole):
                return whole
            return None
        return None

    def words(self, side: int) -> dict[str, str]:
        """Plain-cut topic words of one side → the first column holding them."""
        out: dict[str, str] = {}
        for label, text in self.columns[side]:
            spans, _starts, _ends = _segmented(text)
            for a, b in spans:
                word = text[a:b]
                if topic_word(word) and (len(word) > 1 or word.isascii()):  # not 学 or 性 alone
                    out.setdefault(word, label)
        return out

    def _whole_or_absent(self, word: str, side: int) -> bool:
        found = False
        for _label, text in self.columns[side]:
            start = text.find(word)
            if start < 0:
                continue
            found = True
            _spans, starts, ends = _segmented(text)
            while start >= 0:
                if start in starts and start + len(word) in ends:
                    return True
                start = text.find(word, start + 1)
        return not found


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
    query: NeedQuery, talent_hits: dict[str, list[ConceptHit]], index: TalentIndex, quoter: _Quoter
) -> tuple[list[str], set[str]]:
    where: dict[int, tuple[str, ConceptHit]] = {}
    for label, hits in talent_hits.items():
        for hit in hits:
            where.setdefault(hit.concept, (label, _longest_first(hit)))
    # One sentence per pair of linked words: the same link found in 需求名称 and 需求描述 is said once.
    matches: dict[frozenset[str], _Match] = {}
    for need_label, hits in query.hits.items():
        for need_hit in hits:
            match = _best_match(need_label, need_hit, where, index, quoter)
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
    need_label: str,
    need_hit: ConceptHit,
    where: dict[int, tuple[str, ConceptHit]],
    index: TalentIndex,
    quoter: _Quoter,
) -> _Match | None:
    """The strongest link from one concept of the need to the profile's concepts, as a sentence."""
    thesaurus = index.thesaurus
    concept = need_hit.concept
    idf = float(index.concepts.idf[concept])
    need_word = need_hit.terms[0]

    def need_side(word: str, named: int) -> str:
        return _mention(need_label, word, named, _NEED, index, quoter)

    def talent_side(label: str, word: str, named: int) -> str:
        return _mention(label, word, named, _TALENT, index, quoter)

    if concept in where:
        label, hit = where[concept]
        shared = set(need_hit.terms) & set(hit.terms)
        name = thesaurus.names[concept]
        if shared:
            word = sorted(shared, key=len, reverse=True)[0]
            shown = quoter.quote(word, _NEED)
            if shown is not None and shown == quoter.quote(word, _TALENT):
                return _Match(idf, f"{need_label}与{label}都提到‘{shown}’", frozenset(shared))
            need_word, talent_word = word, word
        else:
            talent_word = hit.terms[0]
        need_shown, talent_shown = quoter.quote(need_word, _NEED), quoter.quote(talent_word, _TALENT)
        words = frozenset((need_word, talent_word))
        if need_shown is None and talent_shown is None:
            return _Match(idf, f"{need_label}与{label}都涉及{name}", words)
        if need_shown is not None and need_shown == talent_shown:
            return _Match(idf, f"{need_label}与{label}都提到‘{need_shown}’", words)
        if need_shown is None or talent_shown is None:
            text = f"{need_side(need_word, -1)}与{talent_side(label, talent_word, -1)}都涉及{name}"
        else:
            text = f"{need_side(need_word, -1)}与{talent_side(label, talent_word, -1)}同义（{name}）"
        return _Match(idf, text, words)
    best: _Match | None = None
    need_line = (concept, *thesaurus.ancestors(concept))
    for other, (label, hit) in where.items():
        other_line = (other, *thesaurus.ancestors(other))
        words = frozenset((need_word, hit.terms[0]))
        if concept in other_line:  # the profile's concept is a kind of the need's
            strength = 0.9 * idf
            text = f"{need_side(need_word, concept)}包括{talent_side(label, hit.terms[0], other)}"
        elif other in need_line:  # the need is more specific than the profile
            strength = 0.6 * float(index.concepts.idf[other])
            text = f"{talent_side(label, hit.terms[0], other)}包括{need_side(need_word, concept)}"
        else:
            common = next((a for a in need_line[1:] if a in other_line), None)
            if common is None:
                continue
            strength = 0.45 * float(index.concepts.idf[common])
            text = (
                f"{need_side(need_word, concept)}与{talent_side(label, hit.terms[0], other)}"
                f"相关（同属{thesaurus.names[common]}）"
            )
        if best is None or strength > best.strength:
            best = _Match(strength, text, words)
    return best


def _mention(label: str, word: str, concept: int, side: int, index: TalentIndex, quoter: _Quoter) -> str:
    """A word as a reason shows it (研究方向中的‘钕铁硼’（稀土永磁）), or the concept's name when the word is
    only part of a word there. concept −1: the caller names the concept itself (no "（名称）")."""
    shown = quoter.quote(word, side)
    if shown is None:
        name = index.thesaurus.names[concept] if concept >= 0 else ""
        return f"{label}所涉及的{name}" if name else label
    return f"{label}中的‘{shown}’" + (_aka(shown, concept, index) if concept >= 0 else "")


def _aka(word: str, concept: int, index: TalentIndex) -> str:
    name = index.thesaurus.names[concept]
    return "" if name == word else f"（{name}）"


def _word_reasons(quoter: _Quoter, used: set[str], index: TalentIndex) -> list[str]:
    """Shared whole words (plain cut on both sides), rarest first, grouped by where they were found."""
    need_place = quoter.words(_NEED)
    talent_place = quoter.words(_TALENT)
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


_SEMANTIC_SHOWN = 0.4  # stretched similarity (semantic.py) from which the link in meaning is worth saying
_SEMANTIC_STRONG = 0.7
_ITEM_SPLIT = re.compile(r"[；;。\n]+")
_MAX_ITEM_QUOTE = 30


def _semantic_reasons(query: NeedQuery, talent: TalentRecord, evidence: Evidence, *, alone: bool) -> list[str]:
    """The semantic layer's link, said plainly: the model finds the need's problem and this research close
    in meaning even where they share no word. It quotes the whole research item (one of the ；-separated
    directions) that shares most characters with the need, so a clerk sees what the expert works on. A weak
    link is said only when nothing else links them (`alone`), and then as weak."""
    if evidence.semantic <= 0 or (evidence.semantic < _SEMANTIC_SHOWN and not alone):
        return []
    if evidence.semantic >= _SEMANTIC_STRONG:
        degree = "高度相近"
    elif evidence.semantic >= _SEMANTIC_SHOWN:
        degree = "相近"
    else:
        degree = "上有一定关联"
    need = query.need
    need_text = normalise(" ".join((need.title, need.description, need.field)))
    items = [item.strip() for item in _ITEM_SPLIT.split(talent.research) if item.strip()]
    best, best_overlap = "", -1
    for item in items:
        overlap = sum(1 for a, b in zip(item, item[1:], strict=False) if a + b in need_text)
        if overlap > best_overlap:
            best, best_overlap = item, overlap
    if best and len(best) <= _MAX_ITEM_QUOTE:
        return [f"语义{degree}：需求所述问题与其研究方向‘{best}’相关"]
    return [f"语义{degree}：需求所述问题与其研究方向相关"]


def _field_reasons(
    query: NeedQuery, position: int, index: TalentIndex, evidence: Evidence, quoter: _Quoter
) -> list[str]:
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
        because = _field_source(query, best_code, quoter)
        if best_code == code:
            return [f"一级学科相同：{knowledge.name(code)}{because}"]
        return [f"一级学科相近：{knowledge.name(code)} ↔ {knowledge.name(best_code)}{because}"]
    for industry in query.need.industry_codes:
        if knowledge.affinity(code, industry) > 0:
            name = knowledge.industry_names.get(industry, industry)
            return [f"一级学科对口需求所属行业：{knowledge.name(code)} → {name}"]
    return []


def _field_source(query: NeedQuery, code: str, quoter: _Quoter) -> str:
    """The words ("（需求涉及‘化工’）") that made the need imply a discipline, if they can be quoted whole."""
    source = query.discipline_source.get(code, "")
    if not source or source == "期望人才":
        return ""
    shown = quoter.quote(normalise(source), _NEED)
    if shown is not None:
        return f"（需求涉及‘{shown}’）"
    return f"（需求涉及{source}）" if code in query.discipline_concept else ""


def _requirement_reasons(requirement: Requirement, talent: TalentRecord) -> tuple[list[str], list[str]]:
    """(shortfalls, shown first; what is met or unknown, shown after the topic)."""
    if not requirement:
        return [], []
    degree, title = talent_levels(talent)
    verdict = shortfall_factor(requirement, degree, title)
    has_degree = DEGREE_NAMES[degree] if degree != UNKNOWN else "未填写学位"
    has_title = _title_shown(talent.title, title)
    if verdict.hard:
        parts = []
        if verdict.degree_short:
            parts.append(has_degree)
        if verdict.title_short:
            parts.append(has_title)
        return [f"需求要求{requirement.describe()}，该人才为{'、'.join(parts)}（得分已按要求降低）"], []
    if verdict.factor < 1.0:
        wanted = Requirement(degree=requirement.preferred_degree, title=requirement.preferred_title)
        parts = ([has_degree] if verdict.degree_short else []) + ([has_title] if verdict.title_short else [])
        return [f"需求优先考虑{wanted.describe()}，该人才为{'、'.join(parts)}"], []
    unknown = []
    if requirement.degree and degree == UNKNOWN and not (requirement.either and title != UNKNOWN):
        unknown.append("学位")
    if requirement.title and title == UNKNOWN and not (requirement.either and degree != UNKNOWN):
        unknown.append("职称")
    if unknown and not (requirement.either and len(unknown) < 2):
        return [], [f"需求要求{requirement.describe()}，该人才未填写{'、'.join(unknown)}，无法核对"]
    if requirement.degree or requirement.title:
        return [], [f"符合需求要求：{requirement.describe()}"]
    return [], []


def _title_shown(title: str, level: int) -> str:
    if level == UNKNOWN:
        return "未填写职称" if not title.strip() else simplified(title.strip())
    written = simplified(title.strip())
    name = TITLE_NAMES[level]
    return written if name in written else f"{written}（{name}）"


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
