from datetime import date

from django.core.management import call_command

from rencai.core.models import Notice
from rencai.postdoc.models import PostdocSettings
from rencai.postdoc.notices import DEADLINE
from rencai.postdoc.services import postdoc_record
from rencai.postdoc.tasks import postdoc_daily
from tests.conftest import verified_client
from tests.postdoc.conftest import make_postdoc

# The postdoc fixture entered on 2025-03-01: proposal due 2025-06-01.


def _reminders():
    return Notice.objects.filter(kind=DEADLINE)


def _steps(notices):
    """(milestone, due, days before) of each reminder, read from its dedupe key postdoc:milestone:due:step."""
    return {(key.split(":")[1], date.fromisoformat(key.split(":")[2]), int(key.split(":")[3]))
            for key in notices.values_list("dedupe_key", flat=True)}


def _people(world):
    return {world.talent_user, world.enterprise_user, world.liaison, world.admin, world.reviewer, world.city_admin}


def test_no_reminder_earlier_than_thirty_days_before_the_deadline(world, postdoc):
    assert postdoc_daily.call("2025-05-01") == 0
    assert not _reminders().exists()


def test_thirty_days_before_the_postdoc_both_supervisors_and_the_office_are_reminded(world, postdoc):
    assert postdoc_daily.call("2025-05-02") == 6
    reminders = _reminders()
    assert {r.recipient for r in reminders} == _people(world)
    assert world.finance not in {r.recipient for r in reminders}
    assert _steps(reminders) == {("开题", date(2025, 6, 1), 30)}
    assert "王建国" in reminders[0].text and "还有30天" in reminders[0].text
    assert {r.subject for r in reminders} == {postdoc}
    assert reminders[0].url == f"/postdoc/postdocs/{postdoc.pk}/"


def test_running_the_daily_job_again_never_sends_the_same_reminder_twice(world, postdoc):
    postdoc_daily.call("2025-05-02")
    assert postdoc_daily.call("2025-05-02") == 0
    assert postdoc_daily.call("2025-05-10") == 0  # still in the 30-day window: nothing new
    assert _reminders().count() == 6


def test_seven_days_before_a_second_reminder_and_after_the_deadline_an_overdue_one(world, postdoc):
    postdoc_daily.call("2025-05-02")
    assert postdoc_daily.call("2025-05-25") == 6
    assert postdoc_daily.call("2025-06-02") == 6
    steps = sorted({step for _, _, step in _steps(_reminders())})
    assert steps == [-1, 7, 30]
    assert "已逾期" in _reminders().get(dedupe_key__endswith=":-1", recipient=world.admin).text


def test_a_missed_day_sends_only_the_current_reminder(world, postdoc):
    postdoc_daily.call("2025-05-28")
    assert {step for _, _, step in _steps(_reminders())} == {7}


def test_after_the_proposal_the_reminders_follow_the_midterm_deadline(world, postdoc):
    postdoc_record(postdoc=postdoc, kind="开题", on=date(2025, 5, 1), result="通过", by=world.admin)
    assert postdoc_daily.call("2025-05-25") == 0
    assert postdoc_daily.call("2026-01-30") == 6  # midterm due 2026-03-01: 30 days before
    assert {milestone for milestone, _, _ in _steps(_reminders())} == {"中期评估"}


def test_the_office_configures_the_reminder_days(world, postdoc):
    settings = PostdocSettings.current()
    settings.reminder_days = [14]
    settings.save()
    assert postdoc_daily.call("2025-05-02") == 0
    assert postdoc_daily.call("2025-05-18") == 6


def test_people_who_left_get_no_more_reminders(world, postdoc):
    postdoc_record(postdoc=postdoc, kind="退站", on=date(2025, 4, 1), note="回原单位", by=world.admin)
    assert postdoc_daily.call("2025-05-28") == 0


def test_a_postdoc_without_supervisor_accounts_still_reminds_the_office(world, station):
    make_postdoc(world, station, talent=world.colleague, entered_on=date(2025, 3, 1))
    _reminders().delete()
    from rencai.postdoc.models import Postdoc
    Postdoc.objects.update(supervisor_user=None)
    postdoc_daily.call("2025-05-02")
    assert {r.recipient for r in _reminders()} == {world.admin, world.reviewer, world.city_admin}


def test_the_command_runs_the_daily_job_for_a_given_day(world, postdoc, capsys):
    call_command("postdoc_daily", "--today", "2025-05-02")
    assert "新增提醒 6 条" in capsys.readouterr().out
    assert _reminders().count() == 6


def test_the_unread_count_on_the_home_page_falls_when_a_reminder_is_read(world, postdoc):
    postdoc_daily.call("2025-05-02")
    client = verified_client(world.talent_user)
    home = client.get("/").content.decode()
    assert "博士后期限提醒" in home and "消息 (1)" in home
    notice = _reminders().get(recipient=world.talent_user)
    client.get(f"/inbox/{notice.pk}/")
    home = client.get("/").content.decode()
    assert "博士后期限提醒" not in home and "消息 (0)" in home
    assert _reminders().get(recipient=world.admin).read_at is None  # the others' reminders stay unread
