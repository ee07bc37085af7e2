"""Which quoted words in match reasons are fragments rather than whole words.

A reason quotes words in ‘…’. A quoted word is a *fragment* when it occurs literally in a text the reason
links (the need's columns, or the profile's) but never on word boundaries of rjieba's plain segmentation
of that text: ‘材料科’ inside 材料科学, ‘内蒙’ or ‘蒙古’ inside 内蒙古. A quoted word that spans several
whole words (钕|铁硼) is fine; a word that occurs in neither text (a thesaurus concept's name) is not judged.
Kinds: "inside" — a strict substring of one segmented word (材料科 in 材料科学: shorter than a word);
"straddle" — crosses a word boundary without matching whole words (化工 in 固化|工艺).
Shared by bench_blind.py and tests/matching/test_reasons_words.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import rjieba

from rencai.matching.engine.normalise import normalise
from rencai.matching.engine.records import NeedRecord, TalentRecord

__all__ = ["Fragment", "fragments", "need_texts", "quoted", "talent_texts"]

_QUOTED = re.compile(r"‘([^’]+)’")


@dataclass(frozen=True)
class Fragment:
    word: str  # the quoted word
    longer: str  # the segmented word(s) it cuts into, e.g. 材料科学
    side: str  # "需求" or "人才": the first side where it is not a whole word
    kind: str  # "inside" or "straddle"
    everywhere: bool  # not a whole word on any side where it occurs (‘材料科’ in both texts' 材料科学)
    reason: str


def quoted(reason: str) -> list[str]:
    return _QUOTED.findall(reason)


def need_texts(need: NeedRecord) -> list[str]:
    return [t for t in (need.title, need.description, need.field, need.expected) if t]


def talent_texts(talent: TalentRecord) -> list[str]:
    return [t for t in (talent.research, talent.major, talent.discipline, talent.achievements) if t]


@cache
def _bounds(text: str) -> tuple[list[tuple[int, int]], frozenset[int], frozenset[int]]:
    words, starts, ends, at = [], set(), set(), 0
    for word in rjieba.cut(text):
        words.append((at, at + len(word)))
        starts.add(at)
        at += len(word)
        ends.add(at)
    return words, frozenset(starts), frozenset(ends)


def _cut_into(word: str, texts: Iterable[str]) -> tuple[str, str]:
    """How `word` occurs in `texts`: ("", "") not at all, ("whole", "") on word boundaries somewhere,
    else ("inside" | "straddle", the segmented words it cuts into)."""
    kind, covering = "", ""
    for raw in texts:
        text = normalise(raw)
        spans, starts, ends = _bounds(text)
        for match in re.finditer(re.escape(word), text):
            begin, end = match.span()
            if begin in starts and end in ends:
                return "whole", ""
            cut = [(a, b) for a, b in spans if a < end and b > begin]
            this = "inside" if len(cut) == 1 else "straddle"
            if kind != "inside":
                kind, covering = this, "|".join(text[a:b] for a, b in cut)
    return kind, covering


def fragments(reasons: Sequence[str], need: NeedRecord, talent: TalentRecord) -> list[Fragment]:
    """The quoted words of `reasons` that are not whole words on a side where they occur."""
    out: list[Fragment] = []
    sides = (("需求", need_texts(need)), ("人才", talent_texts(talent)))
    for reason in reasons:
        for word in quoted(reason):
            key = normalise(word)
            found = [(side, *_cut_into(key, texts)) for side, texts in sides]
            bad = [f for f in found if f[1] in ("inside", "straddle")]
            if not bad:
                continue
            side, kind, covering = next((f for f in bad if f[1] == "inside"), bad[0])
            everywhere = all(f[1] != "whole" for f in found if f[1])
            out.append(Fragment(word, covering, side, kind, everywhere, reason))
    return out
