"""The demo city's 一站式服务 at the scale of the office's figures, loaded through the services."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from rencai.onestop import selectors
from rencai.onestop.models import (
    ExpertVisit,
    Leader,
    Rectification,
    ServiceItem,
    ServiceRequest,
    TalentCard,
    Unit,
    UnitStatus,
    WaitlistEntry,
)
from rencai.talents.models import Talent
from tests.test_demo import demo  # noqa: F401  (the module-scoped demo fixture)


def test_the_catalog_and_the_figures_of_the_demo_city(demo, db):  # noqa: F811
    assert set(ServiceItem.objects.values_list("name", flat=True)) >= {
        "子女入学", "配偶就业", "人才公寓", "安家/购房补贴", "健康体检", "学术休假疗养", "落户与出入境", "交通出行",
        "医疗绿色通道"}
    assert all(item.bureaus.exists() for item in ServiceItem.objects.all())
    assert ServiceRequest.objects.filter(item__code="school", status="rated").count() == 38
    assert ServiceRequest.objects.filter(item__code="spouse_job", status="rated").count() == 32
    assert Rectification.objects.count() == 2
    assert ServiceRequest.objects.filter(status="waiting").count() == 1
    assert ServiceRequest.objects.filter(escalated_on__isnull=False).exists()
    area = Decimal(str(Unit.objects.aggregate(a=Sum("area"))["a"]))  # SQLite sums decimals as floats
    assert Unit.objects.count() == 1536 and abs(area - Decimal("134500")) < Decimal("0.01")
    assert Unit.objects.filter(status=UnitStatus.OCCUPIED).exists()
    assert WaitlistEntry.objects.filter(status="waiting").exists()
    assert Leader.objects.count() == 34
    tiered = Talent.objects.exclude(tier="").count()
    assert ExpertVisit.objects.values("talent").distinct().count() == min(171, tiered)
    assert TalentCard.objects.count() == min(1645, Talent.objects.count())  # capped by the city's ~300 talents
    assert ServiceItem.objects.get(code="housing_subsidy").policy.code == "settlement_subsidy"  # paid via 政策兑现
    assert ExpertVisit.objects.filter(need__isnull=False).exists()  # visits that became enterprise needs


def test_the_demo_talent_sees_their_services(demo, db):  # noqa: F811
    from rencai.core.models import User

    talent_user = User.objects.get(username="talent")
    page = selectors.talent_page(talent_user, talent_user.talent_profile)
    assert page["card"] is not None and page["requests"].exists()
