"""Saving a talent's edit page: the tier stays rule-given unless a person changes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from rencai.talents.models import Talent, TierRule
from rencai.talents.services import talent_save
from tests.conftest import verified_client


def _page_values(client: Any, talent: Talent) -> dict[str, Any]:
    """What the edit page sends back when the person presses save without touching anything."""
    response = client.get(f"/talents/{talent.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, date):
            data[name] = field.widget.format_value(value)
        else:
            data[name] = "" if value is None else value
    return data


def _rule_given_professor(world: Any) -> Talent:
    TierRule.objects.create(name="正高级职称", tier="B", priority=10, active=True,
                            conditions=[{"field": "title", "op": "in", "value": ["教授"]}])
    talent = world.talent
    talent.title, talent.tier, talent.tier_manual = "教授", "", False
    talent.birth_date = date(1980, 4, 10)
    talent_save(talent=talent, by=world.admin)
    talent.refresh_from_db()
    assert (talent.tier, talent.tier_manual, talent.tier_rule.name) == ("B", False, "正高级职称")
    return talent


def test_saving_talent_unchanged_keeps_tier_given_by_rules(world):
    talent = _rule_given_professor(world)
    client = verified_client(world.admin)
    response = client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent))
    assert response.status_code == 302, response.content.decode()[:2000]
    talent.refresh_from_db()
    assert talent.tier == "B"
    assert not talent.tier_manual, "the tier was frozen as 由工作人员人工认定 though nobody changed it"
    assert talent.tier_rule.name == "正高级职称"
    assert talent.birth_date == date(1980, 4, 10)


def test_rules_still_apply_after_an_unchanged_save(world):
    talent = _rule_given_professor(world)
    client = verified_client(world.admin)
    client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent))
    TierRule.objects.filter(name="正高级职称").update(tier="A")
    from rencai.talents.services import tiers_reclassify

    tiers_reclassify(by=world.admin)
    talent.refresh_from_db()
    assert talent.tier == "A"


def test_staff_changing_the_tier_makes_it_manual(world):
    talent = _rule_given_professor(world)
    client = verified_client(world.admin)
    data = _page_values(client, talent) | {"tier": "C"}
    assert client.post(f"/talents/{talent.pk}/edit/", data).status_code == 302
    talent.refresh_from_db()
    assert (talent.tier, talent.tier_manual, talent.tier_rule) == ("C", True, None)


def test_staff_clearing_a_manual_tier_hands_it_back_to_the_rules(world):
    talent = _rule_given_professor(world)
    client = verified_client(world.admin)
    client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent) | {"tier": "C"})
    client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent) | {"tier": ""})
    talent.refresh_from_db()
    assert (talent.tier, talent.tier_manual) == ("B", False)


def test_manual_tier_stays_manual_when_saved_unchanged(world):
    talent = _rule_given_professor(world)
    client = verified_client(world.admin)
    client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent) | {"tier": "C"})
    client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent))
    talent.refresh_from_db()
    assert (talent.tier, talent.tier_manual) == ("C", True)
