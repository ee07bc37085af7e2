import io
from datetime import date

from openpyxl import load_workbook

from rencai.postdoc.models import Milestone, Postdoc, PostdocSettings, Stage, Station
from rencai.postdoc.services import postdoc_record
from tests.conftest import verified_client
from tests.postdoc.conftest import make_postdoc, make_station


def test_office_registers_a_station_and_approves_it_through_the_pages(world):
    client = verified_client(world.admin)
    response = client.post("/postdoc/stations/new/", {"enterprise": world.enterprise.pk, "kind": "station",
                                                      "name": "稀土永磁博士后科研工作站"})
    station = Station.objects.get()
    assert response.status_code == 302 and station.stage == Stage.SURVEY
    for to in ("evaluation", "application"):
        client.post(f"/postdoc/stations/{station.pk}/move/", {"to": to, "on": "2025-01-05"})
    client.post(f"/postdoc/stations/{station.pk}/move/", {"to": "approved", "on": "2025-01-10",
                                                          "approval_number": "人社厅函〔2025〕12号"})
    station.refresh_from_db()
    assert (station.stage, station.approval_number) == (Stage.APPROVED, "人社厅函〔2025〕12号")
    page = client.get(f"/postdoc/stations/{station.pk}/").content.decode()
    assert "获批设站" in page and "100000" in page and "博士后进站" in page


def test_a_refused_move_is_explained_on_the_page(world):
    station = make_station(world, approve_on=None)
    client = verified_client(world.admin)
    response = client.post(f"/postdoc/stations/{station.pk}/move/", {"to": "approved", "on": "2025-01-10"},
                           follow=True)
    assert "不能改为获批设站" in response.content.decode()


def test_office_enters_a_postdoc_and_records_the_proposal(world, station):
    client = verified_client(world.admin)
    response = client.post(f"/postdoc/stations/{station.pk}/enter/", {
        "talent": world.talent.pk, "entered_on": "2025-11-30", "topic": "氢储能合金", "supervisor": "张总工"})
    postdoc = Postdoc.objects.get()
    assert response.status_code == 302 and postdoc.proposal_due == date(2026, 2, 28)
    client.post(f"/postdoc/postdocs/{postdoc.pk}/record/", {"kind": "开题", "on": "2026-02-10", "result": "通过",
                                                            "documents": "开题报告", "stayed_in_zone": "unknown"})
    page = client.get(f"/postdoc/postdocs/{postdoc.pk}/").content.decode()
    assert "下一期限" in page and "中期评估" in page and "2026-11-30" in page
    assert "第4期" in page and "自治区" in page


def test_recording_a_midterm_before_the_proposal_shows_why_it_was_refused(world, postdoc):
    response = verified_client(world.admin).post(f"/postdoc/postdocs/{postdoc.pk}/record/", {
        "kind": "中期评估", "on": "2026-01-10", "result": "通过", "stayed_in_zone": "unknown"}, follow=True)
    assert "尚未通过开题" in response.content.decode()
    assert not Milestone.objects.filter(kind="中期评估").exists()


def test_finance_reads_the_timeline_but_cannot_record(world, postdoc):
    client = verified_client(world.finance)
    assert client.get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 200
    assert client.post(f"/postdoc/postdocs/{postdoc.pk}/record/", {"kind": "开题"}).status_code == 403


def test_enterprise_sees_only_its_own_stations_and_postdocs(world, postdoc):
    other = make_station(world, name="昆区乳业博士后科研工作站", enterprise=world.enterprise_b)
    mine = verified_client(world.enterprise_user)
    assert "包头稀土永磁博士后科研工作站" in mine.get("/postdoc/").content.decode()
    assert mine.get(f"/postdoc/stations/{other.pk}/").status_code == 404
    assert mine.get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 200
    theirs = verified_client(world.enterprise_b_user)
    assert theirs.get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 404
    assert "王建国" not in theirs.get("/postdoc/postdocs/").content.decode()


def test_the_postdoc_and_the_university_liaison_see_the_timeline(world, postdoc):
    assert verified_client(world.talent_user).get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 200
    assert verified_client(world.liaison).get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 200


def test_zone_b_staff_do_not_see_zone_a_postdocs(world, postdoc):
    from tests.factories import UserFactory

    staff_b = UserFactory(username="admin_b", role="office_admin", zone=world.zone_b, city=world.zone_b.city)
    assert verified_client(staff_b).get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 404
    assert verified_client(world.city_admin).get(f"/postdoc/postdocs/{postdoc.pk}/").status_code == 200


def test_overdue_list_shows_postdocs_past_their_next_deadline(world, station):
    late = make_postdoc(world, station, entered_on=date(2020, 1, 1))
    make_postdoc(world, station, talent=world.colleague, entered_on=date(2099, 1, 1))
    page = verified_client(world.reviewer).get("/postdoc/overdue/").content.decode()
    assert "已逾期（1）" in page and late.talent.name in page and "赵志强" not in page.split("30天内到期")[0]


def test_old_reminders_link_leads_to_my_deadline_reminders_in_the_inbox(world, postdoc):
    from rencai.core.models import Notice
    from rencai.postdoc.reminders import send_reminders

    send_reminders(date(2025, 5, 2))
    client = verified_client(world.talent_user)
    response = client.get("/postdoc/reminders/", follow=True)
    assert response.redirect_chain[0][0] == "/inbox/?kind=postdoc.deadline"
    page = response.content.decode()
    assert "开题截止日期为2025-06-01" in page and "未读" in page
    mine = Notice.objects.get(recipient=world.talent_user)
    client.get(f"/inbox/{mine.pk}/")
    assert Notice.objects.get(recipient=world.talent_user).read_at is not None
    assert Notice.objects.get(recipient=world.admin).read_at is None


def test_office_sees_which_reminders_were_sent_about_a_postdoc(world, postdoc):
    from rencai.postdoc.reminders import send_reminders

    send_reminders(date(2025, 5, 2))
    page = verified_client(world.admin).get(f"/postdoc/postdocs/{postdoc.pk}/").content.decode()
    assert "已发提醒" in page and "开题截止日期为2025-06-01" in page


def test_postdoc_export_carries_deadlines_and_partner(world, postdoc):
    response = verified_client(world.admin).get("/postdoc/postdocs/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=False))
    assert record["姓名"] == "王建国" and record["合作高校"] == "内蒙古科技大学" and record["双站双城"] == "是"
    assert record["下一期限"] == "开题 2025-06-01"


def test_stats_count_completion_on_time_and_retention(world, station):
    first = make_postdoc(world, station, entered_on=date(2023, 1, 1))
    second = make_postdoc(world, station, talent=world.colleague, entered_on=date(2023, 1, 1))
    for p, exit_on, stayed in ((first, date(2024, 12, 20), True), (second, date(2025, 3, 1), False)):
        postdoc_record(postdoc=p, kind="开题", on=date(2023, 3, 1), result="通过", by=world.admin)
        postdoc_record(postdoc=p, kind="中期评估", on=date(2024, 1, 1), result="通过", by=world.admin)
        postdoc_record(postdoc=p, kind="期满出站", on=exit_on, result="通过", stayed_in_zone=stayed, by=world.admin)
    client = verified_client(world.admin)
    data = client.get("/postdoc/stats.json").json()
    assert data["completed"] == 2 and data["on_time_percent"] == 50 and data["retention_percent"] == 50
    assert {"name": "稀土高新区", "value": 1} in data["stations_by_zone"]
    assert {"name": "内蒙古科技大学", "value": 0} not in data["postdocs_by_university"]
    book = load_workbook(io.BytesIO(client.get("/postdoc/stats.xlsx").content))
    assert "留区情况" in book.sheetnames
    assert ["留区工作", 1] in [list(r) for r in book["留区情况"].iter_rows(values_only=True)]
    assert client.get("/postdoc/stats/").status_code == 200


def test_office_admin_changes_the_deadline_defaults(world):
    client = verified_client(world.city_admin)  # city-wide settings: city-level staff only
    client.post("/postdoc/settings/", {"proposal_months": 4, "midterm_months": 12, "exit_months": 24,
                                       "reminder_days_text": "60，14"})
    settings = PostdocSettings.current()
    assert (settings.proposal_months, settings.reminder_days) == (4, [60, 14])
    assert verified_client(world.reviewer).get("/postdoc/settings/").status_code == 403


def test_home_page_tells_staff_about_postdocs_behind_schedule(world, station):
    make_postdoc(world, station, entered_on=date(2020, 1, 1))
    page = verified_client(world.admin).get("/").content.decode()
    assert "在站博士后" in page and "逾期 1 人" in page
    assert "博士后工作站" in page  # the navigation entry


def test_talent_finds_their_own_postdoc_record_in_the_navigation(world, postdoc):
    page = verified_client(world.talent_user).get("/postdoc/postdocs/").content.decode()
    assert "我的博士后" in page and "王建国" in page


def test_office_adds_a_two_city_partner_with_its_discipline(world, station):
    client = verified_client(world.admin)
    client.post(f"/postdoc/stations/{station.pk}/partners/", {"institution": world.institution.pk,
                                                              "discipline_code": "0805", "co_supervisor": "刘教授",
                                                              "two_cities": "on"})
    partner = station.partners.get()
    assert (partner.discipline, partner.co_supervisor, partner.two_cities) == ("材料科学与工程", "刘教授", True)
    assert "材料科学与工程" in client.get(f"/postdoc/stations/{station.pk}/").content.decode()


def test_one_to_one_guidance_for_a_stuck_postdoc_shows_on_their_timeline(world, postdoc):
    client = verified_client(world.admin)
    response = client.post(f"/postdoc/stations/{postdoc.station_id}/assist/", {
        "assist-kind": "一对一指导", "assist-on": "2025-05-10", "assist-content": "开题报告选题过宽，约导师面谈",
        "postdoc": postdoc.pk, "back": "postdoc"})
    assert response["Location"] == f"/postdoc/postdocs/{postdoc.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "开题报告选题过宽" in page and "在站（待开题）" in page


def test_a_milestone_document_is_served_only_to_those_who_see_the_postdoc(world, postdoc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(world.admin)
    client.post(f"/postdoc/postdocs/{postdoc.pk}/record/", {
        "kind": "开题", "on": "2025-05-20", "result": "通过", "stayed_in_zone": "unknown",
        "document": SimpleUploadedFile("开题报告.pdf", b"%PDF-1.4 proposal", content_type="application/pdf")})
    milestone = Milestone.objects.get(kind="开题")
    url = f"/postdoc/postdocs/{postdoc.pk}/documents/{milestone.pk}/"
    assert url in client.get(f"/postdoc/postdocs/{postdoc.pk}/").content.decode()
    assert b"".join(verified_client(world.talent_user).get(url).streaming_content) == b"%PDF-1.4 proposal"
    assert verified_client(world.enterprise_b_user).get(url).status_code == 404


def test_api_lists_postdocs_with_their_next_deadline_to_those_who_may_see_them(world, postdoc):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    def api(user):
        return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")

    rows = api(world.admin).get("/api/v1/postdocs/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [(r["name"], r["next_deadline"]) for r in rows] == [("王建国", {"milestone": "开题", "due": "2025-06-01"})]
    other = api(world.enterprise_b_user).get("/api/v1/postdocs/").json()
    assert not (other.get("results", other) if isinstance(other, dict) else other)
    assert api(world.admin).post("/api/v1/postdocs/", {}).status_code in (403, 405)
