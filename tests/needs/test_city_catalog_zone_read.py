"""A zone's staff read the city's published scarce-talent catalog (issue 11), but cannot change it."""

from __future__ import annotations

from rencai.needs.catalog import Scope
from rencai.needs.models import CatalogEdition
from rencai.needs.services import catalog_publish
from tests.conftest import verified_client
from tests.needs.conftest import make_need


def _city_edition(world) -> CatalogEdition:
    make_need(world.enterprise, world.admin, title="钕铁硼博士", headcount=3, discipline_code="0805", level="博士",
              industry_code="32")
    return catalog_publish(scope=Scope.of(world.city_admin), year=2026, title="包头市2026年紧缺人才目录", notes="",
                           by=world.city_admin)


def test_a_zone_admin_reads_the_citys_published_catalog(world):
    edition = _city_edition(world)
    assert edition.zone is None
    client = verified_client(world.admin)
    listing = client.get("/needs/catalog/editions/").content.decode()
    assert "包头市2026年紧缺人才目录" in listing
    assert client.get(f"/needs/catalog/editions/{edition.pk}/").status_code == 200
    assert client.get(f"/needs/catalog/editions/{edition.pk}/xlsx/").status_code == 200
    assert client.get(f"/needs/catalog/editions/{edition.pk}/pdf/").status_code == 200
    assert "包头市2026年紧缺人才目录" in client.get("/needs/catalog/").content.decode()


def test_a_zone_admin_publishes_only_the_zones_own_catalog(world):
    edition = _city_edition(world)
    verified_client(world.admin).post("/needs/catalog/publish/", {"year": 2026, "title": "高新区目录", "notes": ""})
    edition.refresh_from_db()
    assert edition.version == 1 and CatalogEdition.objects.filter(zone=world.zone_a).count() == 1
