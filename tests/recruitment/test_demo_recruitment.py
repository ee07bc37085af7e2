"""The demo campaign as the issue's figures describe it, with its enterprise side: booth staff and a post the
enterprise added itself."""

from __future__ import annotations

from rencai.core.models import Notice, User
from rencai.recruitment.models import Campaign, Event, Intention, Post
from tests.test_demo import demo  # noqa: F401  (the module-scoped demo fixture)


def test_the_demo_campaign_has_its_intentions_booths_and_an_enterprise_post(demo, db):  # noqa: F811
    campaign = Campaign.objects.get(name__contains="名校引才")
    assert 1100 <= Intention.objects.filter(post__campaign=campaign).count() <= 1250
    assert Event.objects.filter(campaign=campaign).values("university").distinct().count() >= 6
    recruiter = User.objects.get(username="enterprise")
    booths = Event.objects.filter(campaign=campaign, booth_staff=recruiter)
    assert booths.count() == 2
    assert Notice.objects.filter(recipient=recruiter, text__contains="展位工作人员").count() == 2
    own = Post.objects.filter(campaign=campaign, need__enterprise__members=recruiter)
    assert own.exists()
    assert all(p.enterprise.members.filter(pk=recruiter.pk).exists() for p in own)
