"""Build the engine's FieldKnowledge from the national catalogs (rencai.core.catalogs).

Glue between `core` and the pure engine: the command line and the matching app both call
`catalog_field_knowledge()`; the engine itself never imports the catalogs.
"""

from __future__ import annotations

from functools import cache

from rencai.core import catalogs
from rencai.matching.engine.knowledge import FieldKnowledge
from rencai.matching.engine.normalise import normalise

__all__ = ["catalog_field_knowledge", "resolve_discipline", "resolve_industries"]


@cache
def catalog_field_knowledge() -> FieldKnowledge:
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    neighbours: dict[str, dict[str, float]] = {}
    industries: dict[str, dict[str, float]] = {}
    # Academic disciplines first, so an alias shared with a professional degree resolves to the academic one.
    ordered = catalogs.disciplines(professional=False) + catalogs.disciplines(professional=True)
    for discipline in ordered:
        names[discipline.code] = discipline.name
        for alias in (discipline.name, *discipline.aliases):
            aliases.setdefault(normalise(alias).replace(" ", ""), discipline.code)
        neighbours[discipline.code] = catalogs.discipline_neighbours(discipline.code)
        industries[discipline.code] = catalogs.discipline_industries(discipline.code)
    industry_names = {i.code: i.name for i in catalogs.industry_doors() + catalogs.industry_groups()}
    doors = {group.code: group.door for group in catalogs.industry_groups()}
    return FieldKnowledge(
        discipline_names=names,
        discipline_aliases=aliases,
        neighbours=neighbours,
        discipline_industries=industries,
        industry_names=industry_names,
        industry_doors=doors,
    )


def resolve_discipline(*texts: str) -> str:
    """The first of `texts` (一级学科, then 所学专业) that the catalog recognises, as a code; "" if none."""
    for text in texts:
        if text:
            found = catalogs.find_discipline(text)
            if found is not None:
                return found.code
    return ""


def resolve_industries(text: str) -> tuple[str, ...]:
    """Industry codes named in a 所属领域 cell ("C26 化学原料…", "制造业", "26"); () when none."""
    if not text:
        return ()
    found = catalogs.find_industry(text)
    return (found.code,) if found is not None else ()
