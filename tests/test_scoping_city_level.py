"""City-wide reference data is changed only by city-level staff (issue 12 item 8): a zone's admin reads the
tier rules every zone shares but cannot change them, nor reclassify the talents of every zone."""

from __future__ import annotations

from rencai.talents.models import TierRule
from tests.conftest import verified_client


def _rule() -> TierRule:
    return TierRule.objects.create(name="青年博士", tier="D", priority=20, active=True,
                                   conditions=[{"field": "degree", "op": "in", "value": ["博士"]}])


def _form(rule: TierRule, **changes: object) -> dict[str, object]:
    data = {"name": rule.name, "tier": rule.tier, "priority": rule.priority, "active": "on", "basis": rule.basis,
            "field_0": "degree", "op_0": "in", "value_0": "博士"}
    return data | changes


def test_zone_admins_edit_of_a_tier_rule_is_refused_and_the_rule_stays(world):
    rule = _rule()
    response = verified_client(world.admin).post(f"/talents/tiers/{rule.pk}/", _form(rule, tier="C"))
    assert response.status_code == 403
    assert "只有市级工作人员可以修改" in response.content.decode()
    rule.refresh_from_db()
    assert rule.tier == "D"


def test_zone_admin_may_read_a_tier_rule_but_is_told_who_may_change_it(world):
    rule = _rule()
    client = verified_client(world.admin)
    assert "只有市级工作人员可以修改" in client.get(f"/talents/tiers/{rule.pk}/").content.decode()
    listing = client.get("/talents/tiers/").content.decode()
    assert rule.name in listing and "新增规则" not in listing


def test_zone_admin_cannot_reclassify_every_zones_talents(world):
    assert verified_client(world.admin).post("/talents/tiers/reclassify/").status_code == 403


def test_city_level_admin_edits_a_tier_rule(world):
    rule = _rule()
    client = verified_client(world.city_admin)
    assert "新增规则" in client.get("/talents/tiers/").content.decode()
    response = client.post(f"/talents/tiers/{rule.pk}/", _form(rule, tier="C"))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.tier == "C"
