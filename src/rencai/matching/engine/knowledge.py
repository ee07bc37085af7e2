"""Field knowledge as data: discipline names, neighbours and the industries each discipline serves.

The engine does not import the national catalogs; the caller builds a `FieldKnowledge` from them
(rencai.matching.fieldknowledge does it for the command line and the app) and passes it in, so tests
can pass a tiny one and an office could pass its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .normalise import normalise

__all__ = ["FieldKnowledge"]

_RELATED = 0.5  # a bare industry door scores half the discipline's best group inside it


@dataclass(frozen=True)
class FieldKnowledge:
    """Everything the ranker knows about fields. Empty is valid: field evidence is then left out."""

    discipline_names: Mapping[str, str] = field(default_factory=dict)  # "0805" → "材料科学与工程"
    discipline_aliases: Mapping[str, str] = field(default_factory=dict)  # normalised alias → code
    neighbours: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # code → {code: 0..1}
    discipline_industries: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # code → {ind: w}
    industry_names: Mapping[str, str] = field(default_factory=dict)  # "26" → "化学原料和化学制品制造业"
    industry_doors: Mapping[str, str] = field(default_factory=dict)  # group "26" → door "C"

    @property
    def codes(self) -> list[str]:
        return sorted(self.discipline_names)

    def name(self, code: str) -> str:
        return self.discipline_names.get(code, code)

    def relation(self, a: str, b: str) -> float:
        """1 for the same discipline, the neighbour strength for close ones, else 0. Symmetric."""
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        return max(self.neighbours.get(a, {}).get(b, 0.0), self.neighbours.get(b, {}).get(a, 0.0))

    def affinity(self, discipline: str, industry: str) -> float:
        """How well a discipline serves an industry given as a door letter or a two-digit group."""
        mapping = self.discipline_industries.get(discipline, {})
        if not mapping:
            return 0.0
        door = self.industry_doors.get(industry)
        if door is not None:  # a group
            return max(mapping.get(industry, 0.0), mapping.get(door, 0.0))
        inside = [w for code, w in mapping.items() if self.industry_doors.get(code) == industry]
        return max(mapping.get(industry, 0.0), _RELATED * max(inside, default=0.0))

    def resolve(self, text: str) -> str:
        """A code for a cell holding a code or a known name/alias exactly; "" when unknown."""
        key = normalise(text).replace(" ", "")
        if key in self.discipline_names:
            return key
        return self.discipline_aliases.get(key, "")

    def scan(self, text: str) -> dict[str, str]:
        """Disciplines named anywhere in free text (期望人才: "材料、化工类博士"), longest alias first.

        Returns code → the words that named it."""
        text = normalise(text)
        found: dict[str, str] = {}
        if not text:
            return found
        for alias, code in self._aliases_longest_first:
            if alias in text:
                found.setdefault(code, alias)
                text = text.replace(alias, " ")
        return found

    @cached_property
    def _aliases_longest_first(self) -> list[tuple[str, str]]:
        # cached_property writes the instance __dict__ directly, which a frozen dataclass allows.
        pairs = [(normalise(name), code) for code, name in self.discipline_names.items()]
        pairs += list(self.discipline_aliases.items())
        return sorted({p for p in pairs if len(p[0]) >= 2}, key=lambda p: (-len(p[0]), p))
