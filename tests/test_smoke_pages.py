import pytest

from tests.conftest import verified_client

PAGES = ["/", "/talents/", "/orgs/enterprises/", "/orgs/institutions/", "/talents/tiers/", "/audit/",
         "/talents/new/", "/orgs/enterprises/new/", "/import/talents/", "/account/token/"]


@pytest.mark.parametrize("path", PAGES)
def test_office_admin_opens_every_main_page(world, path):
    response = verified_client(world.admin).get(path)
    assert response.status_code == 200, response.content[:500]


def test_detail_pages_render(world):
    client = verified_client(world.admin)
    assert "王建国" in client.get(f"/talents/{world.talent.pk}/").content.decode()
    assert "包头稀土永磁" in client.get(f"/orgs/enterprises/{world.enterprise.pk}/").content.decode()
    assert client.get(f"/orgs/institutions/{world.institution.pk}/").status_code == 200
