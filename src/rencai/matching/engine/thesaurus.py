"""The domain thesaurus: concepts with their synonyms, abbreviations, product names and business words.

It is data (data/thesaurus.tsv), and the office extends it: `load_thesaurus(extra=…)` merges the office's
entries into the shipped ones. A concept may name a broader concept; two texts that share only the broader
one are "related", weaker evidence than a shared concept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from .normalise import normalise

__all__ = ["ConceptHit", "Thesaurus", "ThesaurusEntry", "load_thesaurus", "parse_thesaurus_tsv"]

_MAX_DEPTH = 4  # broader chains are short; the cap also stops a cycle an office entry might create


@dataclass(frozen=True, slots=True)
class ThesaurusEntry:
    """One concept as written by a person: 概念, 同义词…, 上位概念, 一级学科 codes."""

    concept: str
    terms: tuple[str, ...] = ()
    broader: str = ""
    disciplines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConceptHit:
    """A concept found in a text, with the words that named it there."""

    concept: int
    terms: tuple[str, ...]


@dataclass(slots=True)
class _Concept:
    name: str
    terms: dict[str, None] = field(default_factory=dict)
    broader: str = ""
    disciplines: tuple[str, ...] = ()


class Thesaurus:
    """Concepts by integer id, a term → concepts lookup, and each concept's broader chain."""

    def __init__(self, entries: Iterable[ThesaurusEntry]) -> None:
        merged: dict[str, _Concept] = {}
        for entry in entries:
            name = normalise(entry.concept)
            if not name:
                continue
            concept = merged.setdefault(name, _Concept(name))
            concept.terms.setdefault(name, None)
            for term in entry.terms:
                term = normalise(term)
                if term:
                    concept.terms.setdefault(term, None)
            if entry.broader:
                concept.broader = normalise(entry.broader)
            if entry.disciplines:
                concept.disciplines = tuple(dict.fromkeys(entry.disciplines))
        self.names: list[str] = list(merged)
        ids = {name: number for number, name in enumerate(self.names)}
        self.disciplines: list[tuple[str, ...]] = [c.disciplines for c in merged.values()]
        self.terms: list[tuple[str, ...]] = [tuple(c.terms) for c in merged.values()]
        self.broader: list[int] = [ids.get(c.broader, -1) for c in merged.values()]
        self.term_concepts: dict[str, tuple[int, ...]] = {}
        for number, terms in enumerate(self.terms):
            for term in terms:
                self.term_concepts[term] = (*self.term_concepts.get(term, ()), number)
        self._ancestors = [self._chain(number) for number in range(len(self.names))]

    def __len__(self) -> int:
        return len(self.names)

    def words(self) -> list[str]:
        """Every term, for the tokeniser's dictionary."""
        return list(self.term_concepts)

    def ancestors(self, concept: int) -> tuple[int, ...]:
        """Broader concepts, nearest first (never the concept itself)."""
        return self._ancestors[concept]

    def find(self, tokens: Iterable[str]) -> list[ConceptHit]:
        """Concepts named by any of `tokens`, in order of first appearance."""
        found: dict[int, dict[str, None]] = {}
        lookup = self.term_concepts
        for token in tokens:
            for concept in lookup.get(token, ()):
                found.setdefault(concept, {})[token] = None
        return [ConceptHit(concept, tuple(terms)) for concept, terms in found.items()]

    def _chain(self, concept: int) -> tuple[int, ...]:
        chain: list[int] = []
        current = self.broader[concept]
        while current >= 0 and current != concept and current not in chain and len(chain) < _MAX_DEPTH:
            chain.append(current)
            current = self.broader[current]
        return tuple(chain)


def parse_thesaurus_tsv(text: str) -> list[ThesaurusEntry]:
    """Parse the TSV layout of data/thesaurus.tsv: comments (#) and the header line are skipped."""
    entries: list[ThesaurusEntry] = []
    for row in csv.reader(io.StringIO(text), delimiter="\t"):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#") or row[0].strip() == "概念":
            continue
        cells = [cell.strip() for cell in row] + [""] * 4
        entries.append(
            ThesaurusEntry(
                concept=cells[0],
                terms=_split(cells[1], "|"),
                broader=cells[2],
                disciplines=_split(cells[3], " "),
            )
        )
    return entries


def load_thesaurus(extra: Sequence[ThesaurusEntry] = (), *, include_default: bool = True) -> Thesaurus:
    """The shipped thesaurus plus the office's own entries (which may extend a shipped concept)."""
    entries: list[ThesaurusEntry] = []
    if include_default:
        text = resources.files(__package__).joinpath("data/thesaurus.tsv").read_text(encoding="utf-8")
        entries.extend(parse_thesaurus_tsv(text))
    entries.extend(extra)
    return Thesaurus(entries)


def _split(cell: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.replace("｜", "|").split(separator) if part.strip())
