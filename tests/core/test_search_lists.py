"""The registers' list pages search through the index once it is complete, and find what icontains found."""

from __future__ import annotations

import pytest

from rencai.core import search
from rencai.core.listing import ListSpec
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import TalentFactory


def _specs() -> list[tuple[str, ListSpec]]:
    import importlib

    found = []
    for module in ("rencai.talents.views", "rencai.orgs.views", "rencai.needs.views.needs",
                   "rencai.engagements.views.agreements", "rencai.postdoc.views.postdocs",
                   "rencai.postdoc.views.stations"):
        for name, value in vars(importlib.import_module(module)).items():
            if isinstance(value, ListSpec):
                found.append((f"{module}.{name}", value))
    return found


def test_the_big_registers_lists_are_each_answered_by_a_registration():
    """A list whose search fields are not all registered silently keeps icontains: this says which do not."""
    held = {r.label: set(r.fields) for r in search.registrations()}
    assert {"talents.talent", "orgs.enterprise", "needs.need", "engagements.agreement", "postdoc.postdoc",
            "postdoc.station"} <= set(held)
    covered = [name for name, spec in _specs() if any(set(spec.search_fields) <= f for f in held.values())]
    assert len(covered) >= 6, covered


@pytest.mark.django_db
def test_the_talent_list_finds_by_the_index_what_it_found_before(world):
    TalentFactory(zone=world.zone_a, name="王建华", research_directions="烧结钕铁硼晶界扩散")
    TalentFactory(zone=world.zone_a, name="陳靜", research_directions="乳酸菌发酵")
    client = verified_client(world.admin)
    before = {q: client.get("/talents/", {"q": q}).content.decode() for q in ("王建", "陈静", "钕铁硼", "晶界 扩散")}
    assert search.condition(Talent, "王建") is None  # not complete yet: the page used icontains
    search.reindex(Talent)
    assert search.condition(Talent, "王建") is not None
    for q, page in before.items():
        after = client.get("/talents/", {"q": q}).content.decode()
        for name in ("王建华", "陳靜"):
            if name in page:
                assert name in after, (q, name)
    assert "王建华" in client.get("/talents/", {"q": "晶界 扩散"}).content.decode()  # words in any order/field

