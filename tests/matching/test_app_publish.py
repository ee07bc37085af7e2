"""Publishing a round: both sides are told, each sees only what is proposed to them, and both accepting
makes a service agreement."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from rencai.core.models import Notice
from rencai.engagements.models import Agreement
from rencai.matching.models import Pairing, PairingStatus, RoundPin
from rencai.matching.notices import PAIRING
from rencai.matching.services import pairing_answer, round_pin, round_publish, round_run
from rencai.matching.widgets import proposals_widget
from tests.conftest import World, verified_client
from tests.matching.test_app_rounds import magnet_round, make_need


def published_pairing(world: World) -> Pairing:
    """A published round whose one pairing is the world's talent (who has a login) with the world's enterprise."""
    match_round = magnet_round(world)
    round_pin(round=match_round, need=match_round.needs.get(), talent=world.talent, kind=RoundPin.Kind.PIN,
              by=world.admin)
    round_run(round_id=match_round.pk)
    round_publish(round=match_round, by=world.admin)
    return Pairing.objects.get(round=match_round)


def test_publishing_notifies_the_enterprise_and_the_talent(world):
    pairing = published_pairing(world)
    assert pairing.status == PairingStatus.PUBLISHED
    assert Notice.objects.filter(recipient=world.enterprise_user, kind=PAIRING, subject_id=pairing.pk).exists()
    assert Notice.objects.filter(recipient=world.talent_user, kind=PAIRING, subject_id=pairing.pk).exists()
    assert not Notice.objects.filter(recipient=world.enterprise_b_user, kind=PAIRING).exists()


def test_unpublished_pairings_are_not_shown_to_the_parties(world):
    magnet_round(world)
    page = verified_client(world.enterprise_user).get("/matching/proposals/").content.decode()
    assert "暂无推荐" in page


def test_enterprise_sees_proposed_experts_and_talent_sees_proposed_needs(world):
    pairing = published_pairing(world)
    enterprise_page = verified_client(world.enterprise_user).get("/matching/proposals/").content.decode()
    talent_page = verified_client(world.talent_user).get("/matching/proposals/").content.decode()
    assert "为我推荐的专家" in enterprise_page and "王建国" in enterprise_page
    assert "13812345678" not in enterprise_page  # the phone is masked
    assert "为我推荐的需求" in talent_page and pairing.need.title in talent_page


def test_enterprise_user_cannot_see_or_answer_another_enterprises_pairings(world):
    pairing = published_pairing(world)
    other = verified_client(world.enterprise_b_user)
    assert "王建国" not in other.get("/matching/proposals/").content.decode()
    assert other.post(f"/matching/pairings/{pairing.pk}/answer/", {"answer": "accept"}).status_code == 404
    assert other.get(f"/api/v1/pairings/{pairing.pk}/").status_code == 404
    listing = other.get("/api/v1/pairings/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert rows == []
    answer = other.post(f"/api/v1/pairings/{pairing.pk}/answer/", {"answer": "accept"}, content_type="application/json")
    assert answer.status_code == 404
    pairing.refresh_from_db()
    assert pairing.enterprise_answer == ""


def test_declining_needs_a_reason_and_tells_the_other_side(world):
    pairing = published_pairing(world)
    with pytest.raises(ValidationError):
        pairing_answer(pairing=pairing, user=world.talent_user, answer="decline", reason=" ")
    verified_client(world.talent_user).post(f"/matching/pairings/{pairing.pk}/answer/",
                                            {"answer": "decline", "reason": "时间冲突"})
    pairing.refresh_from_db()
    assert (pairing.status, pairing.declined_by) == (PairingStatus.DECLINED, "talent")
    assert pairing.talent_reason == "时间冲突"
    assert Notice.objects.filter(recipient=world.enterprise_user, kind=PAIRING, text__contains="时间冲突").exists()


def test_both_accepting_creates_a_service_agreement(world):
    pairing = published_pairing(world)
    verified_client(world.enterprise_user).post(f"/matching/pairings/{pairing.pk}/answer/", {"answer": "accept"})
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PUBLISHED and not Agreement.objects.exists()
    response = verified_client(world.talent_user).post(f"/api/v1/pairings/{pairing.pk}/answer/",
                                                       {"answer": "accept"}, content_type="application/json")
    assert response.status_code == 200
    pairing.refresh_from_db()
    agreement = Agreement.objects.get(pairing_ref=f"matching.pairing:{pairing.pk}")
    assert pairing.status == PairingStatus.ACCEPTED and pairing.agreement_id == agreement.pk
    assert (agreement.talent, agreement.enterprise) == (world.talent, world.enterprise)
    assert list(agreement.needs.all()) == [pairing.need]


def test_a_published_round_cannot_be_replanned(world):
    pairing = published_pairing(world)
    with pytest.raises(ValidationError):
        round_pin(round=pairing.round, need=pairing.need, talent=world.colleague, kind="pin", by=world.admin)
    round_run(round_id=pairing.round_id)
    assert Pairing.objects.get(round=pairing.round).pk == pairing.pk


def test_other_enterprises_needs_stay_separate_in_one_round(world):
    mine = make_need(world.enterprise, "稀土永磁材料研发", "晶界扩散")
    theirs = make_need(world.enterprise_b, "稀土永磁电机设计", "稀土永磁材料应用")
    match_round = magnet_round(world, mine, theirs)
    round_publish(round=match_round, by=world.admin)
    page = verified_client(world.enterprise_user).get("/matching/proposals/").content.decode()
    assert "稀土永磁电机设计" not in page


def test_office_closes_an_accepted_pairing_with_the_hosts_rating(world):
    pairing = published_pairing(world)
    pairing_answer(pairing=pairing, user=world.enterprise_user, answer="accept")
    pairing_answer(pairing=pairing, user=world.talent_user, answer="accept")
    client = verified_client(world.admin)
    client.post(f"/matching/pairings/{pairing.pk}/complete/", {"rating": 6})
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ACCEPTED
    client.post(f"/matching/pairings/{pairing.pk}/complete/", {"rating": 4})
    pairing.refresh_from_db()
    assert (pairing.status, pairing.rating) == (PairingStatus.COMPLETED, 4)


def test_staff_cannot_answer_for_the_parties(world):
    pairing = published_pairing(world)
    response = verified_client(world.admin).post(f"/api/v1/pairings/{pairing.pk}/answer/", {"answer": "accept"},
                                                 content_type="application/json")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        pairing_answer(pairing=pairing, user=world.admin, answer="accept")


def test_home_page_tells_the_enterprise_how_many_proposals_await_an_answer(world):
    published_pairing(world)
    client = verified_client(world.enterprise_user)
    page = client.get("/").content.decode()
    assert "为我推荐的专家" in page and "待您答复" in page
    request = RequestFactory().get("/")
    request.user = world.enterprise_b_user
    assert proposals_widget(request)["value"] == 0
    request.user = world.enterprise_user
    assert proposals_widget(request)["value"] == 1
