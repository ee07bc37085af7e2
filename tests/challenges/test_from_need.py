"""A 技术攻关 need's page offers to publish a 揭榜挂帅 list from it, to the office and the need's own enterprise;
the draft keeps the link to the need (issue 13: "A 榜单 can be created from an enterprise need")."""

from __future__ import annotations

from rencai.challenges.models import Challenge
from rencai.needs.models import Kind
from tests.conftest import verified_client
from tests.factories import NeedFactory

BUTTON = "据此发布揭榜挂帅榜单"


def test_the_office_and_the_enterprise_see_the_button_and_it_makes_a_linked_draft(world):
    need = NeedFactory(enterprise=world.enterprise, kind=Kind.TECH, title="烧结钕铁硼磁体矫顽力不足")
    assert BUTTON in verified_client(world.admin).get(f"/needs/{need.pk}/").content.decode()
    client = verified_client(world.enterprise_user)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert BUTTON in page
    response = client.post(f"/challenges/from-need/{need.pk}/")
    challenge = Challenge.objects.get(need=need)
    assert response.status_code == 302 and response.url == f"/challenges/{challenge.pk}/edit/"
    assert challenge.title == need.title and challenge.issuer_enterprise == world.enterprise
    assert BUTTON not in client.get(f"/needs/{need.pk}/").content.decode()  # once: the list now exists


def test_no_button_for_a_need_that_is_not_a_technical_problem(world):
    talent_need = NeedFactory(enterprise=world.enterprise, kind=Kind.TALENT)
    assert BUTTON not in verified_client(world.admin).get(f"/needs/{talent_need.pk}/").content.decode()


def test_another_enterprise_cannot_make_a_list_from_someone_elses_need(world):
    need = NeedFactory(enterprise=world.enterprise, kind=Kind.TECH)
    response = verified_client(world.enterprise_b_user).post(f"/challenges/from-need/{need.pk}/")
    assert response.status_code == 404 and not Challenge.objects.filter(need=need).exists()
