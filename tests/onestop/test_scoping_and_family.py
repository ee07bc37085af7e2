"""Scoping through the core (bureau staff: their bureau's tasks; a talent: their own requests and family), family
data revealed only with a reason and audited, and the pages people use."""

from __future__ import annotations

from datetime import date

import pytest

from rencai.core.models import AuditEvent
from rencai.core.roles import Role
from rencai.onestop import selectors, services
from rencai.onestop.models import FamilyMember, ServiceRequest, ServiceTask
from tests.conftest import verified_client
from tests.factories import TalentFactory, UserFactory, make_id_number
from tests.onestop.builders import bureau, bureau_staff, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):  # type: ignore[no-untyped-def]
    city = world.zone_a.city
    hr = bureau(city, "hrss", "包头市人社局")
    hr_user = bureau_staff(hr, "bureau_hr")
    school = item(city, bureaus=[world.bureau])
    job = item(city, "spouse_job", "配偶就业", bureaus=[hr])
    other_user = UserFactory(username="talent_b", role=Role.TALENT)
    world.talent_b.user = other_user
    world.talent_b.save()
    mine = services.request_create(talent=world.talent, item=school, by=world.talent_user, on=date(2027, 11, 1))
    theirs = services.request_create(talent=world.talent_b, item=job, by=other_user, on=date(2027, 11, 1))
    return {"w": world, "hr_user": hr_user, "other_user": other_user, "mine": mine, "theirs": theirs,
            "school": school}


def test_bureau_staff_see_only_their_bureaus_tasks(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    assert list(ServiceTask.objects.visible_to(w.bureau_user)) == [two["mine"].tasks.get()]
    assert list(ServiceTask.objects.visible_to(two["hr_user"])) == [two["theirs"].tasks.get()]
    assert list(ServiceRequest.objects.visible_to(w.bureau_user)) == [two["mine"]]
    client = verified_client(w.bureau_user)
    page = client.get("/services/tasks/").content.decode()
    assert "王建国" in page and "李晓梅" not in page
    assert client.get(f"/services/tasks/{two['theirs'].tasks.get().pk}/").status_code == 404
    assert client.get(f"/services/requests/{two['theirs'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(allowed=False, object_type="onestop.servicetask").exists()


def test_a_talent_sees_only_their_own_requests(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    assert list(ServiceRequest.objects.visible_to(w.talent_user)) == [two["mine"]]
    client = verified_client(w.talent_user)
    assert client.get(f"/services/requests/{two['mine'].pk}/").status_code == 200
    assert client.get(f"/services/requests/{two['theirs'].pk}/").status_code == 404
    api = client.get("/api/v1/onestop/requests/").json()
    assert [r["id"] for r in api["results"]] == [two["mine"].pk]


def test_zone_staff_see_their_zone_and_city_staff_all(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    assert list(ServiceRequest.objects.visible_to(w.admin)) == [two["mine"]]  # zone A only
    assert set(ServiceRequest.objects.visible_to(w.city_admin)) == {two["mine"], two["theirs"]}
    assert not ServiceRequest.objects.visible_to(w.partner_user).exists()


def _family(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    child = services.family_add(member=FamilyMember(talent=w.talent, relation="child", name="王小明",
                                                    id_number=make_id_number(seq=77), birth_year=2019,
                                                    need="小学入学"), by=w.talent_user)
    spouse = services.family_add(member=FamilyMember(talent=w.talent_b, relation="spouse", name="陈红",
                                                     need="就业安置"), by=two["other_user"])
    return child, spouse


def test_family_is_encrypted_scoped_and_masked(two):  # type: ignore[no-untyped-def]
    from django.db import connection

    w = two["w"]
    child, spouse = _family(two)
    with connection.cursor() as cursor:
        cursor.execute("select name, id_number from onestop_familymember where id = %s", [child.pk])
        raw_name, raw_id = cursor.fetchone()
    assert "王小明" not in raw_name and child.id_number not in raw_id
    assert list(FamilyMember.objects.visible_to(w.talent_user)) == [child]
    assert list(FamilyMember.objects.visible_to(two["other_user"])) == [spouse]
    assert list(FamilyMember.objects.visible_to(w.bureau_user)) == []
    page = verified_client(w.admin).get("/services/family/").content.decode()
    assert "王小明" not in page and "王*明" in page and "陈红" not in page  # zone A; masked


def test_family_reveal_needs_a_reason_and_is_audited(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    child, spouse = _family(two)
    client = verified_client(w.admin)
    url = f"/reveal/onestop.familymember/{child.pk}/id_number/"
    refused = client.post(url, {"reason": ""})
    assert child.id_number not in refused.content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()
    shown = client.post(url, {"reason": "核对子女入学材料"})
    assert child.id_number in shown.content.decode()
    event = AuditEvent.objects.get(action="reveal")
    assert event.object_type == "onestop.familymember" and event.detail["reason"] == "核对子女入学材料"
    assert event.user == w.admin
    # the talent reveals their own child's name; another talent's family is out of reach
    own = verified_client(w.talent_user).post(f"/reveal/onestop.familymember/{child.pk}/name/", {"reason": "本人查看"})
    assert "王小明" in own.content.decode()
    other = verified_client(w.talent_user).post(f"/reveal/onestop.familymember/{spouse.pk}/name/",
                                                {"reason": "想看看"})
    assert other.status_code == 404
    # a bureau user may not reveal at all
    assert verified_client(w.bureau_user).post(url, {"reason": "核对材料"}).status_code == 404


def test_entitlements_from_tier_and_type_on_the_talents_page(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    city = w.zone_a.city
    w.talent.tier, w.talent.talent_type = "B", "全职引进"
    w.talent.save()
    item(city, "health", "健康体检", bureaus=[w.bureau], without_application=True, card_quota=1, tiers=["A", "B"])
    item(city, "leave", "学术休假疗养", bureaus=[w.bureau], tiers=["A"])
    item(city, "flat", "人才公寓", bureaus=[w.bureau], talent_types=["全职引进"])
    context = selectors.talent_page(w.talent_user, w.talent)
    assert [i.code for i, _left in context["free"]] == ["health"]
    assert {i.code for i in context["entitled"]} == {"school", "spouse_job", "flat"}
    page = verified_client(w.talent_user).get("/services/mine/").content.decode()
    assert "健康体检" in page and "学术休假疗养" not in page


def test_pages_open_for_their_roles(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    services.card_issue(talent=w.talent, by=w.admin)
    for path in ("/services/", "/services/requests/", "/services/tasks/", "/services/cases/", "/services/cards/",
                 "/services/family/", "/services/apartments/", "/services/visits/", "/services/stats/",
                 "/services/stats.json", "/services/stats.xlsx", f"/services/items/{two['school'].pk}/edit/"):
        assert verified_client(w.admin).get(path).status_code == 200, path
    talent = verified_client(w.talent_user)
    for path in ("/services/mine/", "/services/mine/code/", f"/services/items/{two['school'].pk}/ask/"):
        assert talent.get(path).status_code == 200, path
    assert "data:image/svg+xml" in talent.get("/services/mine/code/").content.decode()
    assert verified_client(w.partner_user).get("/services/partner/").status_code == 200
    assert talent.get("/services/requests/").status_code == 403
    assert verified_client(w.bureau_user).get("/services/partner/").status_code == 403


def test_an_office_user_edits_the_catalog(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    client = verified_client(w.city_admin)
    response = client.post("/services/items/new/", {
        "code": "medical", "name": "医疗绿色通道", "tiers": ["A", "B"], "bureaus": [w.bureau.pk],
        "documents": "人才证书", "time_limit_days": 3, "task_limit_days": 2, "card_quota": 4,
        "without_application": "on", "active": "on"})
    assert response.status_code == 302
    row = services.ServiceItem.objects.get(code="medical")
    assert row.tiers == ["A", "B"] and list(row.bureaus.all()) == [w.bureau] and row.time_limit_days == 3
    assert AuditEvent.objects.filter(object_type="onestop.serviceitem", action="create").exists()
    assert verified_client(w.bureau_user).get("/services/items/new/").status_code == 403


def test_apartment_waitlist_follows_the_priority_rules(two):  # type: ignore[no-untyped-def]
    from rencai.onestop.models import Building, Unit

    w = two["w"]
    late_a = TalentFactory(zone=w.zone_a, name="甲", tier="A")
    early_c = TalentFactory(zone=w.zone_a, name="乙", tier="C")
    early_a = TalentFactory(zone=w.zone_a, name="丙", tier="A")
    for t, arrival in ((late_a, date(2027, 6, 1)), (early_c, date(2027, 1, 1)), (early_a, date(2027, 3, 1))):
        services.wait_join(talent=t, arrival_on=arrival, by=w.admin)
    assert [e.talent.name for e in selectors.waitlist(w.admin)] == ["丙", "甲", "乙"]
    building = Building.objects.create(zone=w.zone_a, name="稀土人才公寓")
    unit = Unit.objects.create(building=building, number="1-101", area=90, rent=800)
    entry = selectors.waitlist(w.admin)[0]
    tenancy = services.offer_unit(entry=entry, unit=unit, by=w.admin)
    services.tenancy_move_in(tenancy=tenancy, by=w.admin, on=date(2027, 7, 1), ends_on=date(2030, 6, 30))
    unit.refresh_from_db()
    assert unit.status == "occupied" and selectors.picture(w.admin)["occupied"] == 1
    services.tenancy_end(tenancy=tenancy, by=w.admin, on=date(2028, 7, 1))
    unit.refresh_from_db()
    assert unit.status == "vacant"
    assert [e.talent.name for e in selectors.waitlist(w.admin)] == ["甲", "乙"]
    assert selectors.waitlist(w.admin.__class__.objects.get(username="admin_city"))


def test_a_visit_creates_a_service_request_and_visits_fall_due(two):  # type: ignore[no-untyped-def]
    from rencai.core.notice_models import Notice
    from rencai.onestop.models import ExpertVisit, Leader

    w = two["w"]
    w.colleague.tier = "A"
    w.colleague.save()
    leader = Leader.objects.create(zone=w.zone_a, name="张书记", post="市委常委")
    leader.talents.add(w.colleague)
    assert services.visits_due(date(2027, 11, 1)) == 3  # never visited: the zone's two writers and the city's
    assert services.visits_due(date(2027, 11, 2)) == 0  # once per period
    visit = services.visit_record(visit=ExpertVisit(leader=leader, talent=w.colleague, on=date(2027, 11, 3),
                                                    kind="condolence", findings="子女明年入学"),
                                  by=w.admin, item=two["school"])
    assert visit.service_request.talent == w.colleague and visit.service_request.item == two["school"]
    assert services.visits_due(date(2028, 1, 1)) == 0  # visited within 90 days
    assert services.visits_due(date(2028, 2, 5)) == 3
    assert Notice.objects.filter(kind="onestop.visit_due", recipient=w.admin).count() == 2


def test_the_office_asks_on_a_talents_behalf_and_issues_a_card(two):  # type: ignore[no-untyped-def]
    w = two["w"]
    client = verified_client(w.admin)
    url = f"/services/items/{two['school'].pk}/ask/"
    picker = client.get(url).content.decode()
    assert "赵志强" in picker and "李晓梅" not in picker  # only the zone's talents
    assert client.post(url, {"talent": w.colleague.pk, "details": "代为申请"}).status_code == 302
    assert ServiceRequest.objects.filter(talent=w.colleague, created_by=w.admin).exists()
    assert client.post(url, {"talent": w.talent_b.pk}).status_code == 404  # another zone's talent
    assert client.post("/services/cards/issue/", {"talent": w.colleague.pk}).status_code == 302
    assert services.TalentCard.objects.filter(talent=w.colleague).exists()
    home = verified_client(w.bureau_user).get("/").content.decode()
    assert "待办服务任务" in home


def test_the_office_registers_family_and_the_figures_count_it_all(two):  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    w = two["w"]
    client = verified_client(w.admin)
    assert client.post("/services/family/add/", {"talent": w.colleague.pk, "relation": "spouse", "name": "刘芳",
                                                 "need": "就业安置"}).status_code == 302
    member = FamilyMember.objects.get(talent=w.colleague)
    assert member.name == "刘芳"
    assert AuditEvent.objects.filter(object_type="onestop.familymember", action="create", user=w.admin).exists()
    assert client.post("/services/family/add/", {"talent": w.talent_b.pk, "relation": "child",
                                                 "name": "某某"}).status_code == 404  # another zone's talent
    # figures: one school request done on time and rated 5 in zone A
    sr = two["mine"]
    services.task_finish(task=sr.tasks.get(), by=w.bureau_user, on=date(2027, 11, 2))
    services.request_rate(sr=sr, by=w.talent_user, stars=5)
    picture = selectors.picture(w.admin)
    assert (picture["requests"], picture["done"], picture["on_time_percent"], picture["children_placed"]) == \
        (1, 1, 100, 1)
    assert picture["average_days"] == 2 and picture["satisfaction"] == 5
    assert selectors.picture(w.city_admin)["requests"] == 2
    response = client.get("/services/stats.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[:2] == ["主要数据", "按服务事项"]
    figures = {row[0]: row[1] for row in book["主要数据"].iter_rows(values_only=True)}
    assert figures["子女入学办结"] == 1 and figures["按时办结率(%)"] == 100
    assert AuditEvent.objects.filter(action="export", object_type="onestop.stats").exists()
