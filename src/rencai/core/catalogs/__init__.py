"""National reference catalogs: industries, disciplines and how they relate.

Pure Python (no Django) so that importers, the matching engine and scripts can use it anywhere.

* ``industries.json`` -- 国民经济行业分类 GB/T 4754-2017: 20 门类 (doors ``A``-``T``) and 97 大类
  (two-digit major groups ``01``-``97``).
* ``disciplines.json`` -- 研究生教育学科专业目录 (2022年): 14 门类, 117 一级学科 and 67 专业学位类别
  (``professional=True``), with the aliases people write in spreadsheets (second-level discipline names,
  older catalog names, short forms).
* ``discipline_industries.json`` -- which industries each discipline typically serves (1.0 core,
  0.5 related) and which disciplines are close to it.

Industry codes are either a door letter (``"C"``, standing for every group of the door) or a two-digit
group code (``"26"``); :func:`industry_by_code` also accepts ``"C26"`` and 3-4 digit 中类/小类 codes.

Relation strengths between disciplines (:func:`discipline_relation`): 1.0 same discipline,
:data:`COUNTERPART_STRENGTH` (0.8) between a professional degree and its academic counterpart
(e.g. 0952 兽医 and 0906 兽医学), :data:`NEIGHBOUR_STRENGTH` (0.5) between neighbours, 0 otherwise.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "COUNTERPART_STRENGTH",
    "NEIGHBOUR_STRENGTH",
    "Discipline",
    "Industry",
    "discipline_by_code",
    "discipline_categories",
    "discipline_industries",
    "discipline_neighbours",
    "discipline_relation",
    "disciplines",
    "find_discipline",
    "find_industry",
    "industry_affinity",
    "industry_by_code",
    "industry_doors",
    "industry_groups",
    "industry_label",
]

CORE = 1.0
RELATED = 0.5
NEIGHBOUR_STRENGTH = 0.5
COUNTERPART_STRENGTH = 0.8


# --------------------------------------------------------------------------- loading


def _load(name: str) -> Any:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _t2s() -> Callable[[str], str] | None:
    """Traditional → Simplified converter, or None when opencc is not installed."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    try:
        converter = opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - broken opencc install
        return None
    return converter.convert


_BRACKETED = re.compile(r"[(\[{<][^)\]}>]*[)\]}>]|[【《〔][^】》〕]*[】》〕]")
_NOT_WORD = re.compile(r"[\W_]+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _norm(text: str) -> str:
    """Comparison key: NFKC, Simplified, lower case, no spaces or punctuation."""
    text = _nfkc(text)
    convert = _t2s()
    if convert is not None:
        text = convert(text)
    return _NOT_WORD.sub("", text).lower()


# --------------------------------------------------------------------------- industries


@dataclass(frozen=True, slots=True)
class Industry:
    """A 门类 (``code == door``, a letter) or a 大类 (two-digit ``code`` under ``door``)."""

    code: str
    name: str
    door: str

    @property
    def is_door(self) -> bool:
        return self.code == self.door

    @property
    def label(self) -> str:
        """``"C 制造业"`` for a door, ``"C26 化学原料和化学制品制造业"`` for a group."""
        if self.is_door:
            return f"{self.code} {self.name}"
        return f"{self.door}{self.code} {self.name}"


@cache
def _industries() -> tuple[tuple[Industry, ...], tuple[Industry, ...]]:
    doors: list[Industry] = []
    groups: list[Industry] = []
    for door in _load("industries.json"):
        doors.append(Industry(door["code"], door["name"], door["code"]))
        groups.extend(Industry(g["code"], g["name"], door["code"]) for g in door["groups"])
    return tuple(doors), tuple(groups)


@cache
def _industry_index() -> dict[str, Industry]:
    doors, groups = _industries()
    return {i.code: i for i in (*doors, *groups)}


def industry_doors() -> list[Industry]:
    """The 20 门类, A-T."""
    return list(_industries()[0])


def industry_groups(door: str | None = None) -> list[Industry]:
    """The 97 大类 in code order, or only those of ``door``."""
    groups = _industries()[1]
    if door is None:
        return list(groups)
    door = _nfkc(door).strip().upper()
    return [g for g in groups if g.door == door]


_INDUSTRY_CODE = re.compile(r"^([A-T])?(\d{2,4})?$")


def industry_by_code(code: str) -> Industry | None:
    """Resolve ``"C"``, ``"26"``, ``"C26"``, ``"c 26"``, full-width forms, or a 3-4 digit 中类/小类 code
    (``"3232"`` 稀土金属冶炼 → group 32). A letter that contradicts the digits gives None."""
    if not isinstance(code, str):
        return None
    key = re.sub(r"\s+", "", _nfkc(code)).upper()
    match = _INDUSTRY_CODE.match(key)
    if not key or match is None:
        return None
    letter, digits = match.groups()
    index = _industry_index()
    if digits is None:
        return index.get(letter or "")
    group = index.get(digits[:2])
    if group is None or (letter is not None and group.door != letter):
        return None
    return group


def industry_label(code: str) -> str:
    """``"C 制造业"`` / ``"C26 化学原料和化学制品制造业"``; an unknown code is returned as given."""
    industry = industry_by_code(code)
    return industry.label if industry is not None else code


@cache
def _industry_names() -> dict[str, Industry]:
    doors, groups = _industries()
    names: dict[str, Industry] = {}
    # Groups first: where a door and its only group share a name (教育, 房地产业), the group is more specific.
    for industry in (*groups, *doors):
        names.setdefault(_norm(industry.name), industry)
    return names


def find_industry(text: str | None) -> Industry | None:
    """Resolve a spreadsheet cell holding an industry code, a name, or both.

    ``"C26 化学原料和化学制品制造业"``, ``"26"``, ``"制造业"``, ``"农林牧渔业"`` (punctuation is ignored).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    raw = _nfkc(text).strip()
    by_code = industry_by_code(raw)
    if by_code is not None:
        return by_code
    head = re.match(r"^\s*([A-Ta-t]?\s*\d{2,4}|[A-Ta-t])(?![A-Za-z0-9])", raw)
    if head is not None:
        by_code = industry_by_code(head.group(1))
        if by_code is not None:
            return by_code
    name = raw[head.end() :] if head is not None else raw
    return _industry_names().get(_norm(name))


# --------------------------------------------------------------------------- disciplines


@dataclass(frozen=True, slots=True)
class Discipline:
    """A 一级学科 (or, with ``professional=True``, a 专业学位类别) of the 2022 catalog."""

    code: str
    name: str
    category_code: str
    category_name: str
    aliases: tuple[str, ...] = ()
    professional: bool = False
    former_codes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@cache
def _disciplines() -> tuple[Discipline, ...]:
    out: list[Discipline] = []
    for category in _load("disciplines.json"):
        for item in category["disciplines"]:
            out.append(
                Discipline(
                    code=item["code"],
                    name=item["name"],
                    category_code=category["code"],
                    category_name=category["name"],
                    aliases=tuple(item.get("aliases", ())),
                    professional=bool(item.get("professional", False)),
                    former_codes=tuple(item.get("former_codes", ())),
                )
            )
    return tuple(out)


@cache
def discipline_categories() -> dict[str, str]:
    """The 14 学科门类: code → name (``"08"`` → ``"工学"``)."""
    return {c["code"]: c["name"] for c in _load("disciplines.json")}


def disciplines(*, professional: bool | None = None) -> list[Discipline]:
    """All disciplines in code order.

    ``professional=False`` gives the 一级学科 only, ``professional=True`` the 专业学位类别 only.
    """
    items = _disciplines()
    if professional is None:
        return list(items)
    return [d for d in items if d.professional is professional]


@cache
def _code_index() -> dict[str, Discipline]:
    index = {d.code: d for d in _disciplines()}
    for d in _disciplines():
        for former in d.former_codes:
            index.setdefault(former, d)
    return index


def discipline_by_code(code: str) -> Discipline | None:
    """Exact lookup by a current 4-digit code, or a code retired in 2022 (e.g. 0834 → 0862 风景园林)."""
    if not isinstance(code, str):
        return None
    return _code_index().get(_nfkc(code).strip())


@cache
def _name_index() -> dict[str, Discipline]:
    """Normalised name → discipline. Priority: academic names, academic aliases, professional names,
    professional aliases. So "临床医学" is 1002 (not 1051) and "兽医" is 0906 兽医学 (not 0952)."""
    index: dict[str, Discipline] = {}
    academic = [d for d in _disciplines() if not d.professional]
    professional = [d for d in _disciplines() if d.professional]
    for group in (academic, professional):
        for d in group:
            index.setdefault(_norm(d.name), d)
        for d in group:
            for alias in d.aliases:
                index.setdefault(_norm(alias), d)
    return index


_SUFFIXES = ("一级学科", "二级学科", "学术学位", "专业学位", "学科", "专业", "方向", "博士", "硕士", "学位")


def _lookup_name(key: str) -> Discipline | None:
    index = _name_index()
    seen: set[str] = set()
    while key and key not in seen:
        seen.add(key)
        if key in index:
            return index[key]
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                break
        else:
            break
    if not key:
        return None
    # 畜牧 → 畜牧学, 草学 ← 草; but never shorter than two characters.
    alternative = key[:-1] if key.endswith("学") else key + "学"
    if len(alternative) >= 2:
        return index.get(alternative)
    return None


def _codes_in(text: str) -> list[str]:
    """Candidate 4-digit codes in ``text``; restores the leading zero Excel strips from 0805 or 080502."""
    stripped = text.strip()
    if re.fullmatch(r"\d+(\.0+)?", stripped):
        digits = stripped.split(".")[0]
        if len(digits) in (3, 5):
            digits = "0" + digits
        return [digits[:4]] if len(digits) in (4, 6) else []
    return [run[:4] for run in re.findall(r"(?<!\d)\d{4}(?:\d{2})?(?!\d)", stripped)]


def find_discipline(text: str | int | float | None) -> Discipline | None:
    """Resolve a spreadsheet cell to a discipline.

    Accepts a code (``"0805"``, a 6-digit 二级学科 code ``"080502"``, ``805`` after Excel ate the zero,
    full-width ``"０８０５"``), a name, an alias (``"材料学"``, ``"化工"``, ``"草业科学"``), code and name
    together (``"0805材料科学与工程"``, ``"材料科学与工程（0805）"``), in Simplified or Traditional
    characters, with stray spaces, punctuation, bracketed notes or a trailing 专业/学科. A known code wins
    over the name; an unknown code falls back to the name. Returns None when nothing matches.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, float):
        if not text.is_integer():
            return None
        text = int(text)
    raw = _nfkc(str(text))
    if not raw.strip():
        return None
    for code in _codes_in(raw):
        found = discipline_by_code(code)
        if found is not None:
            return found
    name = re.sub(r"\d+", " ", raw)
    without_notes = _BRACKETED.sub(" ", name)
    for candidate in (without_notes, name):
        key = _norm(candidate)
        if key:
            found = _lookup_name(key)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- relations


@dataclass(frozen=True, slots=True)
class _Relations:
    industries: dict[str, dict[str, float]]
    neighbours: dict[str, dict[str, float]]


@cache
def _relations() -> _Relations:
    raw: dict[str, dict[str, Any]] = _load("discipline_industries.json")["disciplines"]
    industries: dict[str, dict[str, float]] = {}
    for code, entry in raw.items():
        own = {k: float(v) for k, v in entry.get("industries", {}).items()}
        if not own:
            for counterpart in entry.get("counterparts", ()):
                for k, v in raw.get(counterpart, {}).get("industries", {}).items():
                    own[k] = max(own.get(k, 0.0), float(v))
        if own:
            industries[code] = own

    neighbours: dict[str, dict[str, float]] = {}

    def link(a: str, b: str, strength: float) -> None:
        if a == b:
            return
        for x, y in ((a, b), (b, a)):
            current = neighbours.setdefault(x, {})
            current[y] = max(current.get(y, 0.0), strength)

    for code, entry in raw.items():
        for other in entry.get("neighbours", ()):
            link(code, other, NEIGHBOUR_STRENGTH)
        counterparts = entry.get("counterparts", ())
        for counterpart in counterparts:
            link(code, counterpart, COUNTERPART_STRENGTH)
            # A professional degree is also close to its counterpart's neighbours (0952 兽医 ~ 0905 畜牧学).
            for other in raw.get(counterpart, {}).get("neighbours", ()):
                if other not in counterparts:
                    link(code, other, NEIGHBOUR_STRENGTH)
    return _Relations(industries, neighbours)


def discipline_industries(code: str) -> dict[str, float]:
    """Industry code (door letter or 2-digit group) → strength (1.0 core, 0.5 related) for a discipline code.

    Professional degrees without their own list inherit their academic counterparts'. Unknown → ``{}``.
    """
    return dict(_relations().industries.get(code, {}))


def discipline_neighbours(code: str) -> dict[str, float]:
    """Closely related disciplines → strength (0.5 neighbour, 0.8 professional/academic counterpart).

    Symmetric: if b is a neighbour of a, a is a neighbour of b with the same strength.
    """
    return dict(_relations().neighbours.get(code, {}))


def discipline_relation(a: str, b: str) -> float:
    """1.0 for the same discipline, 0.8 counterparts, 0.5 neighbours, 0.0 otherwise. Symmetric."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _relations().neighbours.get(a, {}).get(b, 0.0)


def industry_affinity(discipline_code: str, industry_code: str) -> float:
    """How well a discipline serves an industry given as a door or a group code.

    A group scores the discipline's strength for the group or for its door, whichever is higher. A bare
    door (the enterprise said only "C 制造业") scores the door's strength, or half the best strength of any
    of its groups, since we do not know which part of the door the enterprise is in.
    """
    industry = industry_by_code(industry_code)
    if industry is None:
        return 0.0
    mapping = _relations().industries.get(discipline_code, {})
    if not industry.is_door:
        return max(mapping.get(industry.code, 0.0), mapping.get(industry.door, 0.0))
    direct = mapping.get(industry.door, 0.0)
    inside = [v for k, v in mapping.items() if k.isdigit() and _industry_index()[k].door == industry.door]
    return max(direct, RELATED * max(inside, default=0.0))
