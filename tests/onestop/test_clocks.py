"""Working-day clocks of requests and bureau tasks: holidays, 调休, pause and resume, parallel bureaus, escalation."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from rencai.core.notice_models import Notice
from rencai.onestop import services
from rencai.onestop.models import RequestStatus, ServiceTask, TaskStatus
from rencai.onestop.notices import ESCALATION
from tests.onestop.builders import bureau, bureau_staff, item, national_day_2027

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    national_day_2027()
    city = world.zone_a.city
    hr = bureau(city, "hrss", "包头市人社局")
    return {"world": world, "edu": world.bureau, "hr": hr, "hr_user": bureau_staff(hr, "bureau_hr"),
            "city": city}


def ask(s: dict, *, limit: int, task_limit: int, on: date, two: bool = False):  # type: ignore[no-untyped-def]
    bureaus = [s["edu"], s["hr"]] if two else [s["edu"]]
    row = item(s["city"], bureaus=bureaus, limit=limit, task_limit=task_limit)
    return services.request_create(talent=s["world"].talent, item=row, by=s["world"].talent_user, on=on)


def test_a_public_holiday_is_not_counted(setup):  # type: ignore[no-untyped-def]
    sr = ask(setup, limit=2, task_limit=2, on=date(2027, 9, 30))  # Thursday, then 1–7 October off
    assert sr.due_on == date(2027, 10, 8)
    assert sr.tasks.get().due_on == date(2027, 10, 8)


def test_a_makeup_saturday_is_counted(setup):  # type: ignore[no-untyped-def]
    sr = ask(setup, limit=2, task_limit=1, on=date(2027, 10, 8))  # Friday; Saturday 9 October is worked (调休)
    assert sr.due_on == date(2027, 10, 9)
    assert sr.tasks.get().due_on == date(2027, 10, 8)


def test_pause_while_waiting_for_the_talent_and_resume(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=5, task_limit=5, on=date(2027, 11, 1))  # Monday → Friday 5 November
    task = sr.tasks.get()
    assert (sr.due_on, task.due_on) == (date(2027, 11, 5), date(2027, 11, 5))
    services.task_ask_more(task=task, by=w.bureau_user, wanted="户口簿复印件", on=date(2027, 11, 3))
    sr.refresh_from_db()
    task.refresh_from_db()
    assert (sr.status, task.status) == (RequestStatus.WAITING, TaskStatus.WAITING)
    assert sr.paused_on == date(2027, 11, 3)
    # Three working days were left (3, 4, 5 November); they are spent again from Monday 8 November.
    services.task_supplied(task=task, by=w.talent_user, on=date(2027, 11, 8))
    sr.refresh_from_db()
    task.refresh_from_db()
    assert (sr.status, task.status) == (RequestStatus.IN_PROGRESS, TaskStatus.OPEN)
    assert task.due_on == date(2027, 11, 10)
    assert sr.due_on == date(2027, 11, 10)
    assert task.paused_on is None and sr.paused_on is None


def test_a_pause_over_the_holiday_resumes_after_it(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=3, task_limit=3, on=date(2027, 9, 29))  # Wed: 29, 30 Sep, 8 Oct
    task = sr.tasks.get()
    assert task.due_on == date(2027, 10, 8)
    services.task_ask_more(task=task, by=w.bureau_user, wanted="学籍证明", on=date(2027, 9, 30))
    services.task_supplied(task=task, by=w.talent_user, on=date(2027, 10, 8))  # two days left: 8 Oct, 9 Oct (调休)
    task.refresh_from_db()
    assert task.due_on == date(2027, 10, 9)


def test_two_bureaus_in_parallel_each_with_its_clock(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=10, task_limit=3, on=date(2027, 11, 1), two=True)
    edu = sr.tasks.get(bureau=setup["edu"])
    hr = sr.tasks.get(bureau=setup["hr"])
    assert edu.due_on == hr.due_on == date(2027, 11, 3)
    services.task_ask_more(task=edu, by=w.bureau_user, wanted="出生证明", on=date(2027, 11, 2))
    services.task_finish(task=hr, by=setup["hr_user"], result="已安排就业岗位", on=date(2027, 11, 3))
    sr.refresh_from_db()
    assert sr.status == RequestStatus.WAITING  # one bureau is still waiting for the talent
    services.task_supplied(task=edu, by=w.talent_user, on=date(2027, 11, 4))
    edu.refresh_from_db()
    hr.refresh_from_db()
    assert edu.due_on == date(2027, 11, 5)  # 2 and 3 November were left, now 4 and 5
    assert hr.due_on == date(2027, 11, 3)  # the other bureau's clock never moved
    sr.refresh_from_db()
    assert sr.status == RequestStatus.IN_PROGRESS
    services.task_finish(task=edu, by=w.bureau_user, result="已安排入学", on=date(2027, 11, 5))
    sr.refresh_from_db()
    assert sr.status == RequestStatus.DONE and sr.done_on == date(2027, 11, 5)
    assert sr.on_time


def test_a_bureau_cannot_work_another_bureaus_task(setup):  # type: ignore[no-untyped-def]
    sr = ask(setup, limit=10, task_limit=3, on=date(2027, 11, 1), two=True)
    with pytest.raises(PermissionDenied):
        services.task_finish(task=sr.tasks.get(bureau=setup["hr"]), by=setup["world"].bureau_user)


def test_escalation_exactly_when_due_and_only_once(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=5, task_limit=3, on=date(2027, 11, 1), two=True)
    edu = sr.tasks.get(bureau=setup["edu"])
    services.task_ask_more(task=sr.tasks.get(bureau=setup["hr"]), by=setup["hr_user"], wanted="劳动合同",
                           on=date(2027, 11, 2))  # a paused clock is not overdue
    assert services.escalate_overdue(date(2027, 11, 3)) == {"tasks": 0, "requests": 0, "cases": 0}  # last day
    assert not Notice.objects.filter(kind=ESCALATION).exists()
    assert services.escalate_overdue(date(2027, 11, 4))["tasks"] == 1  # the first day past it
    edu.refresh_from_db()
    assert edu.escalated_on == date(2027, 11, 4)
    assert ServiceTask.objects.get(bureau=setup["hr"]).escalated_on is None
    assert Notice.objects.filter(kind=ESCALATION, recipient=w.admin).count() == 1
    assert Notice.objects.filter(kind=ESCALATION, recipient=w.city_admin).count() == 1
    assert Notice.objects.filter(kind=ESCALATION, recipient=w.bureau_user).count() == 1
    assert services.escalate_overdue(date(2027, 11, 5))["tasks"] == 0  # once
    assert services.escalate_overdue(date(2027, 11, 5))["requests"] == 0  # the request's own clock: paused
    Notice.objects.all().delete()


def test_the_daily_job_runs_through_the_scheduler(setup):  # type: ignore[no-untyped-def]
    from rencai.core.schedule import get_job, run_job_inline

    ask(setup, limit=1, task_limit=1, on=date(2027, 11, 1))
    assert get_job("onestop_daily")
    run = run_job_inline("onestop_daily", day=date(2027, 11, 2))
    run.refresh_from_db()
    assert run.summary["tasks"] == 1 and run.summary["requests"] == 1


def test_a_bad_rating_opens_a_case_with_its_clocks(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=5, task_limit=1, on=date(2027, 9, 29))
    services.task_finish(task=sr.tasks.get(), by=w.bureau_user, result="已办", on=date(2027, 9, 29))
    services.request_rate(sr=sr, by=w.talent_user, stars=2, tags=["办理慢", "不存在的标签"], on=date(2027, 9, 30))
    sr.refresh_from_db()
    assert sr.rating == 2 and sr.rating_tags == ["办理慢"]
    case = sr.rectification
    assert case.callback_due == date(2027, 10, 8)  # one working day after Thursday 30 September: the holiday
    assert case.fix_due == date(2027, 10, 27)  # fifteen, with Saturday 9 October worked
    assert services.escalate_overdue(date(2027, 10, 8))["cases"] == 0
    assert services.escalate_overdue(date(2027, 10, 9))["cases"] == 1
    services.case_move(case=case, move="call_back", by=w.admin, note="已电话回访", on=date(2027, 10, 9))
    services.case_move(case=case, move="fix", by=w.admin, note="已协调加快办理", on=date(2027, 10, 12))
    case = services.case_move(case=case, move="follow_up", by=w.talent_user, stars=4)
    assert case.status == "closed" and case.followup_rating == 4


def test_a_good_rating_opens_no_case(setup):  # type: ignore[no-untyped-def]
    w = setup["world"]
    sr = ask(setup, limit=5, task_limit=1, on=date(2027, 11, 1))
    services.task_finish(task=sr.tasks.get(), by=w.bureau_user, on=date(2027, 11, 1))
    services.request_rate(sr=sr, by=w.talent_user, stars=5, tags=["办事快"])
    sr.refresh_from_db()
    assert sr.status == RequestStatus.RATED and sr.rating == 5
    assert not services.Rectification.objects.exists()
