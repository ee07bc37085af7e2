"""Staff see their zone; a staff user who is also a person of the register (a clerk who is a talent) still sees
their own row elsewhere, and one who owns none gets the zone condition alone, which an index can serve."""

from __future__ import annotations

from rencai.talents.models import Talent
from tests.factories import TalentFactory


def test_staff_who_own_no_rows_get_the_zone_condition_alone(world):
    sql = str(Talent.objects.visible_to(world.admin).order_by("-updated_at").query)
    assert "user_id" not in sql.split("WHERE", 1)[1].split("ORDER BY")[0]
    assert set(Talent.objects.visible_to(world.admin)) == set(Talent.objects.filter(zone=world.admin.zone))


def test_a_staff_user_who_is_also_a_talent_elsewhere_still_sees_their_own_row(world):
    own = TalentFactory(zone=world.zone_b, name="兼任人才的工作人员", user=world.reviewer)
    reviewer = type(world.reviewer).objects.get(pk=world.reviewer.pk)  # a new request: a fresh user object
    visible = set(Talent.objects.visible_to(reviewer))
    assert own in visible
    assert visible == set(Talent.objects.filter(zone=reviewer.zone)) | {own}
