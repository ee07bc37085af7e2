"""Who sees what: blind review, the issuer's view before and after close and 公示, bidders' own bids only."""

from __future__ import annotations

import pytest

from rencai.challenges import services
from rencai.challenges.models import Assignment, Bid, BidVersion, Challenge, Score, TeamMember
from tests.challenges.conftest import bid, close, experts, make_challenge, score_all
from tests.conftest import verified_client


def _through_review(world, *, blind: bool = True):  # noqa: ANN001, ANN202
    challenge = make_challenge(world, blind=blind)
    bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学",
        members=[services.Member(name="周海峰", unit="包头稀土研究院", duty="工艺")])
    bid(challenge, world.enterprise_b_user, lead="李晓梅", unit="昆区乳业有限公司")
    experts(world, 4)
    challenge = close(challenge, world.admin)
    services.panel_draw(challenge=challenge, by=world.admin, seed=11)
    services.challenge_move(challenge=challenge, move="review", by=world.admin)
    return Challenge.objects.get(pk=challenge.pk)


def test_a_reviewer_sees_no_bidder_identity_where_the_office_chose_blind(world):
    challenge = _through_review(world)
    assignment = Assignment.objects.filter(challenge=challenge).select_related("bid").first()
    expert = assignment.expert
    client = verified_client(expert)
    page = client.get(f"/challenges/review/assignments/{assignment.pk}/").content.decode()
    assert "技术路线" in page and f"方案{assignment.bid.code}" in page
    for identity in ("王建国", "内蒙古科技大学", "周海峰", "包头稀土研究院", "李晓梅", "昆区乳业有限公司"):
        assert identity not in page
    listing = client.get("/challenges/review/").content.decode()
    assert "王建国" not in listing and "李晓梅" not in listing
    # nor through the scoped querysets or the API
    assert not Bid.objects.visible_to(expert).exists()
    assert not TeamMember.objects.visible_to(expert).exists()
    assert client.get("/api/v1/challenge-bids/").status_code == 403


def test_without_blind_review_the_expert_sees_the_team(world):
    challenge = _through_review(world, blind=False)
    assignment = Assignment.objects.filter(challenge=challenge, bid__lead_name="王建国").first()
    page = verified_client(assignment.expert).get(f"/challenges/review/assignments/{assignment.pk}/").content.decode()
    assert "王建国" in page and "周海峰" in page


def test_an_expert_sees_only_their_own_assignments(world):
    challenge = _through_review(world)
    member = challenge.panel.first()
    mine = set(Assignment.objects.visible_to(member.user).values_list("pk", flat=True))
    assert mine == set(Assignment.objects.filter(member=member).values_list("pk", flat=True))
    other = Assignment.objects.exclude(member=member).first()
    assert verified_client(member.user).get(f"/challenges/review/assignments/{other.pk}/").status_code == 404


def test_the_issuer_sees_bids_only_after_close_and_scores_only_from_the_notice(world):
    challenge = make_challenge(world)
    bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    issuer = world.enterprise_user
    assert not Bid.objects.visible_to(issuer).exists()
    page = verified_client(issuer).get(f"/challenges/{challenge.pk}/").content.decode()
    assert "王建国" not in page
    experts(world, 3)
    challenge = close(challenge, world.admin)
    assert Bid.objects.visible_to(issuer).count() == 1
    assert BidVersion.objects.visible_to(issuer).count() == 1
    services.panel_draw(challenge=challenge, by=world.admin, seed=5)
    services.challenge_move(challenge=challenge, move="review", by=world.admin)
    score_all(challenge, [])
    assert Score.objects.count() == 3
    assert not Score.objects.visible_to(issuer).exists()
    page = verified_client(issuer).get(f"/challenges/{challenge.pk}/").content.decode()
    assert "评审排名" not in page
    services.challenge_move(challenge=challenge, move="notice", by=world.admin)
    assert Score.objects.visible_to(issuer).count() == 3
    page = verified_client(issuer).get(f"/challenges/{challenge.pk}/").content.decode()
    assert "评审排名" in page
    # and another enterprise never sees them
    assert not Score.objects.visible_to(world.enterprise_b_user).exists()
    assert not Challenge.objects.visible_to(world.enterprise_b_user).exists()


def test_a_bidder_sees_only_their_own_bid(world):
    challenge = make_challenge(world)
    mine = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    theirs = bid(challenge, world.enterprise_b_user, lead="李晓梅", unit="昆区乳业有限公司")
    assert list(Bid.objects.visible_to(world.talent_user)) == [mine]
    client = verified_client(world.talent_user)
    assert client.get(f"/challenges/bids/{mine.pk}/").status_code == 200
    assert client.get(f"/challenges/bids/{theirs.pk}/").status_code == 404
    api = client.get("/api/v1/challenge-bids/")
    ids = [row["id"] for row in (api.json()["results"] if isinstance(api.json(), dict) else api.json())]
    assert ids == [mine.pk]


@pytest.mark.parametrize("who", ["enterprise_b_user", "talent_user"])
def test_people_without_a_part_in_a_challenge_cannot_open_its_office_page(world, who):
    challenge = make_challenge(world)
    user = getattr(world, who)
    response = verified_client(user).get(f"/challenges/{challenge.pk}/")
    assert response.status_code in (403, 404)
