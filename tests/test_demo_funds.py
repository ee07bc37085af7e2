"""The demo's money is a real ledger: funds at three levels per demo zone, entitlements approved and paid through
the services (approver and payer never the same person), and the reconciliation page shows it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from rencai.core.lifecycle import history_for
from rencai.core.models import User
from rencai.funds.models import Fund, Payment
from rencai.policies.models import Instalment
from tests.test_demo import DEMO_ZONES, demo  # noqa: F401  (the module-scoped demo fixture)
from tests.test_demo import load as load_demo


def test_each_demo_zone_has_this_years_funds_at_three_levels(demo, db):  # noqa: F811
    year = timezone.localdate().year
    for code in DEMO_ZONES:
        levels = set(Fund.objects.filter(year=year, zone__code=code).values_list("level", flat=True))
        assert levels == {"region", "city", "district"}, code


def test_paid_instalments_were_paid_by_someone_who_did_not_approve_them(demo, db):  # noqa: F811
    paid = Instalment.objects.filter(status=Instalment.Status.PAID).select_related("entitlement", "paid_by")
    assert paid.exists()
    for instalment in paid:
        assert instalment.paid_by_id != instalment.entitlement.approved_by_id
        assert instalment.paid_by.role == "finance"
        assert history_for(instalment.entitlement).filter(move="approve").exists()


def test_the_ledger_pays_exactly_the_paid_instalments(demo, db):  # noqa: F811
    paid = Instalment.objects.filter(status=Instalment.Status.PAID).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    # the subsidies of the policies (揭榜挂帅 milestones are paid from the same funds, under their own references)
    subsidies = Payment.objects.filter(commitment__reference__startswith="兑现")
    ledger = subsidies.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    assert paid > 0 and ledger == paid


def test_loading_again_pays_nothing_twice(demo, db):  # noqa: F811
    before = (Fund.objects.count(), Payment.objects.count())
    load_demo()
    assert (Fund.objects.count(), Payment.objects.count()) == before


def test_the_reconciliation_page_shows_the_demo_funds(demo, db):  # noqa: F811
    from tests.conftest import verified_client

    finance = User.objects.get(username="finance")
    page = verified_client(finance).get("/funds/").content.decode()
    paid = Payment.objects.filter(commitment__fund__zone=finance.zone).aggregate(s=Sum("amount"))["s"]
    assert paid and f"{paid:,.2f}" in page, page  # grouped as staff read yuan: 1,234,567.00
