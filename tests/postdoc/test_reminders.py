from datetime import date

from django.core.management import call_command

from rencai.postdoc.models import PostdocSettings, Reminder
from rencai.postdoc.services import postdoc_record
from rencai.postdoc.tasks import postdoc_daily
from tests.postdoc.conftest import make_postdoc

# The postdoc fixture entered on 2025-03-01: proposal due 2025-06-01.


def _people(world):
    return {world.talent_user, world.enterprise_user, world.liaison, world.admin, world.reviewer, world.city_admin}


def test_no_reminder_earlier_than_thirty_days_before_the_deadline(world, postdoc):
    assert postdoc_daily.call("2025-05-01") == 0
    assert not Reminder.objects.exists()


def test_thirty_days_before_the_postdoc_both_supervisors_and_the_office_are_reminded(world, postdoc):
    assert postdoc_daily.call("2025-05-02") == 6
    reminders = Reminder.objects.all()
    assert {r.recipient for r in reminders} == _people(world)
    assert world.finance not in {r.recipient for r in reminders}
    assert {(r.milestone, r.due, r.days_before) for r in reminders} == {("开题", date(2025, 6, 1), 30)}
    assert "王建国" in reminders[0].text and "还有30天" in reminders[0].text


def test_running_the_daily_job_again_never_sends_the_same_reminder_twice(world, postdoc):
    postdoc_daily.call("2025-05-02")
    assert postdoc_daily.call("2025-05-02") == 0
    assert postdoc_daily.call("2025-05-10") == 0  # still in the 30-day window: nothing new
    assert Reminder.objects.count() == 6


def test_seven_days_before_a_second_reminder_and_after_the_deadline_an_overdue_one(world, postdoc):
    postdoc_daily.call("2025-05-02")
    assert postdoc_daily.call("2025-05-25") == 6
    assert postdoc_daily.call("2025-06-02") == 6
    steps = sorted({r.days_before for r in Reminder.objects.all()})
    assert steps == [-1, 7, 30]
    assert "已逾期" in Reminder.objects.get(days_before=-1, recipient=world.admin).text


def test_a_missed_day_sends_only_the_current_reminder(world, postdoc):
    postdoc_daily.call("2025-05-28")
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {7}


def test_after_the_proposal_the_reminders_follow_the_midterm_deadline(world, postdoc):
    postdoc_record(postdoc=postdoc, kind="开题", on=date(2025, 5, 1), result="通过", by=world.admin)
    assert postdoc_daily.call("2025-05-25") == 0
    assert postdoc_daily.call("2026-01-30") == 6  # midterm due 2026-03-01: 30 days before
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {"中期评估"}


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
    Reminder.objects.all().delete()
    from rencai.postdoc.models import Postdoc
    Postdoc.objects.update(supervisor_user=None)
    postdoc_daily.call("2025-05-02")
    assert {r.recipient for r in Reminder.objects.all()} == {world.admin, world.reviewer, world.city_admin}


def test_the_command_runs_the_daily_job_for_a_given_day(world, postdoc, capsys):
    call_command("postdoc_daily", "--today", "2025-05-02")
    assert "新增提醒 6 条" in capsys.readouterr().out
    assert Reminder.objects.count() == 6
