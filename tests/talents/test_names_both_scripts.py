"""A name stored in Traditional is kept as written, found by either script, and shown in both (issue 11)."""

from __future__ import annotations

from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import EnterpriseFactory, TalentFactory

TRADITIONAL_FIRM = "包頭北辰磁業有限責任公司"


def _listed(client, url: str, q: str, name: str) -> bool:  # type: ignore[no-untyped-def]
    return name in client.get(url, {"q": q}).content.decode()


def test_a_traditional_talent_name_is_kept_and_found_in_both_scripts(world):
    TalentFactory(zone=world.zone_a, name="陳靜")
    assert Talent.objects.filter(name="陳靜").exists()
    client = verified_client(world.admin)
    assert _listed(client, "/talents/", "陈静", "陳靜")
    assert _listed(client, "/talents/", "陳靜", "陳靜")


def test_a_simplified_talent_name_is_found_by_its_traditional_form(world):
    TalentFactory(zone=world.zone_a, name="陈静")
    assert _listed(verified_client(world.admin), "/talents/", "陳靜", "陈静")


def test_the_talent_page_shows_the_other_script_beside_the_name(world):
    talent = TalentFactory(zone=world.zone_a, name="陳靜")
    page = verified_client(world.admin).get(f"/talents/{talent.pk}/").content.decode()
    assert "陳靜" in page and "陈静" in page


def test_a_traditional_enterprise_name_is_kept_and_found_in_both_scripts(world):
    firm = EnterpriseFactory(zone=world.zone_a, name=TRADITIONAL_FIRM)
    assert Enterprise.objects.get(pk=firm.pk).name == TRADITIONAL_FIRM
    client = verified_client(world.admin)
    assert _listed(client, "/orgs/enterprises/", "包头北辰磁业", TRADITIONAL_FIRM)
    assert _listed(client, "/orgs/enterprises/", "北辰磁業", TRADITIONAL_FIRM)
    page = client.get(f"/orgs/enterprises/{firm.pk}/").content.decode()
    assert "包头北辰磁业有限责任公司" in page


def test_a_simplified_enterprise_is_found_by_a_traditional_search(world):
    EnterpriseFactory(zone=world.zone_a, name="包头北辰磁业有限责任公司")
    assert _listed(verified_client(world.admin), "/orgs/enterprises/", "北辰磁業", "包头北辰磁业有限责任公司")
