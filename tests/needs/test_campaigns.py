"""入企问需: plan a campaign, record visits, see coverage by bureau and by zone."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rencai.needs.models import Campaign, Need, Visit
from rencai.needs.selectors import campaign_coverage
from rencai.needs.services import visit_record
from tests.conftest import verified_client
from tests.factories import EnterpriseFactory


@pytest.fixture
def campaign(world):
    extra = [EnterpriseFactory(zone=world.zone_a, name=f"待走访企业{i}") for i in range(2)]
    client = verified_client(world.city_admin)
    response = client.post("/needs/campaigns/new/", {
        "name": "2026年入企问需", "zone": "", "starts_on": "2026-03-01", "ends_on": "2026-06-30",
        "bureaus_text": "科技局、工信局",
        "enterprises": [world.enterprise.pk, world.enterprise_b.pk] + [e.pk for e in extra],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return Campaign.objects.get()


def _visit(world, campaign, enterprise, bureau, by=None):
    return visit_record(visit=Visit(campaign=campaign, enterprise=enterprise, bureau=bureau,
                                    visited_on=date(2026, 3, 5), visitors="王科长、李干事", findings="缺博士"),
                        by=by or world.city_admin)


def test_planned_campaign_lists_bureaus_and_enterprises(world, campaign):
    assert campaign.bureaus == ["科技局", "工信局"] and campaign.city == world.zone_a.city
    assert campaign.enterprises.count() == 4


def test_coverage_counts_visited_enterprises_and_needs(world, campaign):
    client = verified_client(world.city_admin)
    response = client.post(f"/needs/campaigns/{campaign.pk}/visits/", {
        "enterprise": world.enterprise.pk, "bureau": "科技局", "visited_on": "2026-03-05",
        "visitors": "王科长", "findings": "需要晶界扩散方向博士"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    _visit(world, campaign, world.enterprise_b, "工信局")
    client.post("/needs/new/", {"enterprise": world.enterprise.pk, "visit": visit.pk, "kind": "人才引进",
                                "title": "走访收集的需求", "description": "博士一名", "level": "不限", "headcount": 1,
                                "urgency": "一般"})
    need = Need.objects.get()
    assert (need.campaign, need.source, need.status) == (campaign, "visit", "published")
    page = client.get(f"/needs/campaigns/{campaign.pk}/").content.decode()
    assert "已走访 2 家，共 4 家（50%）" in page
    coverage = campaign_coverage(campaign, world.city_admin)
    assert {r["bureau"]: (r["visits"], r["needs"]) for r in coverage.by_bureau} == {"科技局": (1, 1), "工信局": (1, 0)}
    assert {r["zone"]: (r["targets"], r["visited"], r["needs"]) for r in coverage.by_zone} == {
        "稀土高新区": (3, 1, 1), "昆都仑区": (1, 1, 0)}


def test_zone_staff_see_only_their_zone_in_a_city_campaign(world, campaign):
    _visit(world, campaign, world.enterprise_b, "工信局")
    coverage = campaign_coverage(campaign, world.reviewer)
    assert (coverage.targets, coverage.visited) == (3, 0)
    page = verified_client(world.reviewer).get(f"/needs/campaigns/{campaign.pk}/").content.decode()
    assert world.enterprise_b.name not in page


def test_a_visit_by_a_bureau_outside_the_campaign_is_refused(world, campaign):
    with pytest.raises(ValidationError, match="不是本活动的参与部门"):
        _visit(world, campaign, world.enterprise, "财政局")


def test_a_visit_outside_the_plan_joins_it(world, campaign):
    newcomer = EnterpriseFactory(zone=world.zone_a, name="计划外企业")
    _visit(world, campaign, newcomer, "科技局")
    assert campaign.enterprises.filter(pk=newcomer.pk).exists()


def test_a_need_cannot_hang_on_a_visit_to_another_enterprise(world, campaign):
    visit = _visit(world, campaign, world.enterprise, "科技局")
    client = verified_client(world.city_admin)
    response = client.post("/needs/new/", {"enterprise": world.enterprise_b.pk, "visit": visit.pk,
                                           "kind": "人才引进", "title": "错配", "description": "x", "level": "不限",
                                           "headcount": 1, "urgency": "一般"})
    assert response.status_code == 200 and "这次走访的不是所选企业" in response.content.decode()


def test_campaigns_are_office_pages(world, campaign):
    assert verified_client(world.enterprise_user).get("/needs/campaigns/").status_code == 403
    assert verified_client(world.finance).get(f"/needs/campaigns/{campaign.pk}/").status_code == 200
    assert verified_client(world.finance).get("/needs/campaigns/new/").status_code == 403
