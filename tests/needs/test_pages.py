"""Every needs page opens for the people it is meant for, with real content on it."""

from __future__ import annotations

from datetime import date

import pytest

from rencai.needs.catalog import Scope
from rencai.needs.models import Campaign, Kind
from rencai.needs.services import catalog_publish
from tests.conftest import verified_client
from tests.needs.conftest import make_need


@pytest.fixture
def filled_world(world):
    need = make_need(world.enterprise, world.admin, title="氢储能材料博士", discipline_code="0805", industry_code="32",
                     kind=Kind.ASSISTANT, deadline=date(2020, 1, 1))
    campaign = Campaign.objects.create(city=world.zone_a.city, zone=world.zone_a, name="春季问需", bureaus=["科技局"],
                                       starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30), created_by=world.admin)
    first = catalog_publish(scope=Scope.of(world.admin), year=2026, title="", notes="", by=world.admin)
    second = catalog_publish(scope=Scope.of(world.admin), year=2026, title="", notes="", by=world.admin)
    return need, campaign, first, second


def test_office_admin_opens_every_needs_page(world, filled_world):
    need, campaign, first, second = filled_world
    client = verified_client(world.admin)
    pages = {
        "/needs/": "氢储能材料博士", f"/needs/{need.pk}/": "已超过截止日期",
        f"/needs/{need.pk}/edit/": "修改需求", "/needs/new/": "提交需求", "/needs/queue/": "氢储能材料博士",
        "/needs/stats/": "需求总数", "/needs/campaigns/": "春季问需", f"/needs/campaigns/{campaign.pk}/": "按部门",
        "/needs/campaigns/new/": "新建问需活动", f"/needs/campaigns/{campaign.pk}/edit/": "春季问需",
        "/needs/catalog/": "材料科学与工程", "/needs/catalog/editions/": "比较两版目录",
        f"/needs/catalog/editions/{second.pk}/": "与2026年紧缺人才目录（第1版）比较",
        f"/needs/catalog/editions/compare/?old={first.pk}&new={second.pk}": "持平",
        "/import/needs/": "企业需求",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), (path, text)


def test_overdue_row_is_marked_for_the_eye(world, filled_world):
    page = verified_client(world.admin).get("/needs/").content.decode()
    assert 'class="overdue"' in page and "needs/needs.css" in page


def test_enterprise_home_shows_its_needs(world, filled_world):
    page = verified_client(world.enterprise_user).get("/").content.decode()
    assert "企业需求" in page and "/needs/mine/" in page
    staff_home = verified_client(world.reviewer).get("/").content.decode()
    assert "待审核需求" in staff_home and "/needs/queue/" in staff_home
