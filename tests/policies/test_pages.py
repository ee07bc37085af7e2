"""The policy and fund pages as each persona sees them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.core.models import AuditEvent, Notice
from rencai.funds.models import Payment
from rencai.policies.models import Application, Entitlement, Instalment, Policy, PolicyVersion
from rencai.policies.review import application_review, notice_start
from rencai.policies.services import entitlement_approve, entitlement_grant
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.policies.conftest import TODAY, confirm_bank


def test_admin_saving_a_rule_with_a_wrong_field_sees_the_chinese_message_and_nothing_is_saved(world):
    client = verified_client(world.city_admin)  # policies are city-wide
    page = client.get("/policies/housing_subsidy/new-version/")
    assert "talent.years_in_zone" in page.content.decode()
    data = {"clauses": "第二条", "effective_from": "2026-01-01", "amount": "150000", "notice_days": 5,
            "conditions": '[{"label": "学历", "expr": "talent.degre == \\"博士\\""}]',
            "schedule": '[{"after_months": 0, "share": "1"}]', "level_shares": '{"district": "1"}',
            "required_documents": "[]"}
    response = client.post("/policies/housing_subsidy/new-version/", data)
    assert "talent 没有字段“degre”" in response.content.decode()
    assert PolicyVersion.objects.filter(policy__code="housing_subsidy").count() == 1
    data["conditions"] = '[{"label": "学历", "expr": "talent.degree == \\"博士\\""}]'
    assert client.post("/policies/housing_subsidy/new-version/", data).status_code == 302
    assert Policy.objects.get(code="housing_subsidy").current_version.number == 2


def test_talent_applies_with_an_attachment_and_another_talent_cannot_see_it(world):
    client = verified_client(world.talent_user)
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/policies/housing_subsidy/apply/", {"statement": "首次购房", "attachment": upload})
    app = Application.objects.get()
    assert response.status_code == 302 and app.attachments.count() == 1
    other = UserFactory(username="talent_other", role="talent")
    assert verified_client(other).get(f"/policies/applications/{app.pk}/").status_code == 404


def test_enterprise_sees_only_enterprise_policies(world):
    page = verified_client(world.enterprise_user).get("/policies/").content.decode()
    assert "研发平台奖励" in page and "购房补贴" not in page


def test_the_notice_list_prints_everyone_on_notice(world):
    app = Application.objects.create(policy=Policy.objects.get(code="housing_subsidy"), talent=world.talent,
                                     zone=world.zone_a, applicant=world.talent_user,
                                     version=PolicyVersion.objects.get(policy__code="housing_subsidy"))
    second = UserFactory(username="rev2", role="reviewer", zone=world.zone_a)
    application_review(application=app, by=world.reviewer, passed=True)
    application_review(application=app, by=second, passed=True)
    notice_start(applications=[app], by=world.reviewer, start=date(2026, 3, 2))
    page = verified_client(world.reviewer).get("/policies/notice/").content.decode()
    assert "王建国" in page and "2026-03-02 至 2026-03-06" in page


def test_finance_pays_in_a_batch_and_exports_it_for_the_treasury(world, funds):
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s1",
                            by=world.reviewer, today=TODAY)
    confirm_bank(ent, world, account="6222 0206 0000 1234 567")
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    client = verified_client(world.finance)
    instalment = ent.instalments.get()
    post = {"request_key": "abc123", "ids": [instalment.pk]}
    response = client.post("/policies/payments/batch/", post)
    client.post("/policies/payments/batch/", post)  # a double click pays nothing twice
    assert response.status_code == 302
    batch_url = response["Location"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(batch_url + "xlsx/").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + city and district shares
    assert rows[1][3] == "6222020600001234567"
    assert AuditEvent.objects.filter(action="export", object_type="funds.paymentbatch").exists()
    page = client.get("/funds/?year=2026").content.decode()
    assert "博士后科研工作站设站一次性资助" in page and "50,000.00" in page


def test_a_returned_payment_goes_back_to_reserved_and_is_paid_again_once_the_account_is_corrected(world, funds):
    """Defect 4: after a return marked 账号有误 the entitlement stayed 已结束 and the beneficiary got 403."""
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s1",
                            by=world.reviewer, today=TODAY)
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    confirm_bank(ent, world, account="6222020600001234567")
    client = verified_client(world.finance)
    instalment = ent.instalments.get()
    batch_url = client.post("/policies/payments/batch/", {"request_key": "k1", "ids": [instalment.pk]})["Location"]
    assert Entitlement.objects.get(pk=ent.pk).status == Entitlement.Status.DONE
    payments = list(instalment.shares.order_by("level").values_list("payment_id", flat=True))
    client.post(batch_url + "outcome/", {f"result_{payments[0]}": "returned", f"note_{payments[0]}": "账号有误",
                                         f"result_{payments[1]}": "done"})
    instalment.refresh_from_db()
    ent.refresh_from_db()
    assert instalment.status == "committed"
    assert ent.status == Entitlement.Status.APPROVED and ent.bank_problem == "国库退回：账号有误"
    assert funds["city"].balance("paid") + funds["district"].balance("paid") == Decimal("50000.00")
    # finance cannot pay the same wrong account again
    client.post("/policies/payments/batch/", {"request_key": "k2", "ids": [instalment.pk]})
    assert Instalment.objects.get(pk=instalment.pk).status == "committed"
    # the beneficiary sees why, corrects the account and confirms it
    beneficiary = verified_client(world.enterprise_user)
    assert "国库退回：账号有误" in beneficiary.get("/policies/mine/").content.decode()
    assert beneficiary.get(f"/policies/mine/{ent.pk}/bank/").status_code == 200
    assert beneficiary.post(f"/policies/mine/{ent.pk}/bank/", {"bank_name": "工商银行包头分行",
                                                               "bank_account": "6222 0206 0000 7654 321"}
                            ).status_code == 302
    client.post("/policies/payments/batch/", {"request_key": "k3", "ids": [instalment.pk]})
    instalment.refresh_from_db()
    ent.refresh_from_db()
    assert instalment.status == "paid" and ent.status == Entitlement.Status.DONE
    assert funds["city"].balance("paid") + funds["district"].balance("paid") == Decimal("100000.00")
    repaid = Payment.objects.exclude(pk__in=payments).get()
    assert repaid.payee_account == "6222020600007654321" and repaid.idempotency_key.startswith("k3-")
    assert AuditEvent.objects.filter(object_type="policies.entitlement", detail__note="账号有误").exists()
    notice = Notice.objects.get(recipient=world.enterprise_user, kind="policies.payment_returned")
    assert "账号有误" in notice.text and notice.url == f"/policies/mine/{ent.pk}/bank/"


def test_beneficiary_confirms_bank_details_for_an_auto_granted_entitlement(world):
    ent = entitlement_grant(policy_code="housing_subsidy", beneficiary=world.talent, source="免申即享",
                            by=world.reviewer, today=TODAY)
    client = verified_client(world.talent_user)
    assert "确认收款账户" in client.get("/policies/mine/").content.decode()
    client.post(f"/policies/mine/{ent.pk}/bank/", {"bank_name": "建设银行", "bank_account": "6217000010001234"})
    ent.refresh_from_db()
    assert ent.bank_account == "6217000010001234" and ent.bank_confirmed_at is not None


def test_what_if_page_shows_current_and_proposed(world):
    page = verified_client(world.admin).get("/policies/doctor_living_subsidy/whatif/?max_age=40").content.decode()
    assert "调整后" in page and "现行政策" in page


def test_admin_draws_up_a_package_and_a_colleague_approves_it_on_its_page(world, funds):
    response = verified_client(world.admin).post("/policies/packages/new/", {
        "talent": world.talent.pk, "title": "稀土团队", "basis": "纪要〔2026〕3号", "district": "1", "city": "0",
        "region": "0", "items": "科研启动经费，2026-05-01，500000\n团队建设经费,2027-05-01,300000"})
    assert response.status_code == 302
    ent = Entitlement.objects.get(source__startswith="一人一策")
    verified_client(world.admin).post(f"/policies/entitlements/{ent.pk}/act/approve/")
    assert Entitlement.objects.get(pk=ent.pk).status == "pending"
    verified_client(world.city_admin).post(f"/policies/entitlements/{ent.pk}/act/approve/")
    assert Entitlement.objects.get(pk=ent.pk).status == "approved"
    assert funds["district"].balance("committed") == Decimal("800000.00")
    verified_client(world.city_admin).post(f"/policies/entitlements/{ent.pk}/act/stop/", {"reason": "人才离职"})
    assert funds["district"].balance("committed") == 0


def test_entitlement_page_offers_approve_and_stop_to_the_office_admin_only(world):
    ent = entitlement_grant(policy_code="housing_subsidy", beneficiary=world.talent, source="x",
                            by=world.reviewer, today=TODAY)
    assert "批准并预留资金" in verified_client(world.admin).get(f"/policies/entitlements/{ent.pk}/").content.decode()
    assert "批准并预留资金" not in verified_client(world.reviewer).get(
        f"/policies/entitlements/{ent.pk}/").content.decode()
    assert "制定一人一策" in verified_client(world.admin).get("/policies/entitlements/").content.decode()


def test_home_page_tells_finance_what_is_due_and_the_talent_what_to_confirm(world, funds):
    ent = entitlement_grant(policy_code="housing_subsidy", beneficiary=world.talent, source="application:1",
                            by=world.reviewer, today=date.today())
    entitlement_approve(entitlement=ent, by=world.admin, today=date(2026, 3, 2))
    assert "另有 1 期待兑现对象确认收款账户" in verified_client(world.finance).get("/").content.decode()
    assert "待确认收款账户 1 项" in verified_client(world.talent_user).get("/").content.decode()
    confirm_bank(ent, world)
    assert "到期待支付" in verified_client(world.finance).get("/").content.decode()
    assert "待确认收款账户" not in verified_client(world.talent_user).get("/").content.decode()
