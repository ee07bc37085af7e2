from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rencai.postdoc.models import Milestone, PostdocStage
from rencai.postdoc.services import postdoc_record
from rencai.talents.models import TalentType
from tests.postdoc.conftest import make_postdoc


def record(world, postdoc, kind, on, result="通过", **kwargs):
    return postdoc_record(postdoc=postdoc, kind=kind, on=on, result=result, by=world.admin, **kwargs)


def test_entry_sets_the_deadlines_and_marks_the_talent_a_postdoc(world, postdoc):
    assert (postdoc.proposal_due, postdoc.midterm_due, postdoc.exit_due) == (
        date(2025, 6, 1), date(2026, 3, 1), date(2027, 3, 1))
    assert postdoc.next_deadline() == ("开题", date(2025, 6, 1))
    assert postdoc.co_supervisor == "刘教授" and postdoc.co_supervisor_user == world.liaison
    world.talent.refresh_from_db()
    assert world.talent.talent_type == TalentType.POSTDOC
    assert [m.kind for m in postdoc.milestones.all()] == ["进站"]


def test_no_midterm_before_the_proposal(world, postdoc):
    with pytest.raises(ValidationError, match="尚未通过开题"):
        record(world, postdoc, "中期评估", date(2026, 2, 1))


def test_a_failed_proposal_is_recorded_but_does_not_move_the_postdoc_on(world, postdoc):
    record(world, postdoc, "开题", date(2025, 5, 20), result="不通过", documents="开题报告")
    postdoc.refresh_from_db()
    assert postdoc.stage == PostdocStage.ENTERED
    with pytest.raises(ValidationError, match="尚未通过开题"):
        record(world, postdoc, "中期评估", date(2026, 2, 1))


def test_a_review_needs_its_result(world, postdoc):
    with pytest.raises(ValidationError, match="评审结果"):
        record(world, postdoc, "开题", date(2025, 5, 20), result="")


def test_the_proposal_moves_the_next_deadline_to_the_midterm(world, postdoc):
    record(world, postdoc, "开题", date(2025, 5, 20), documents="开题报告、专家意见表")
    postdoc.refresh_from_db()
    assert postdoc.stage == PostdocStage.PROPOSED
    assert postdoc.next_deadline() == ("中期评估", date(2026, 3, 1))


def test_no_exit_before_the_midterm_unless_recorded_as_withdrawal(world, postdoc):
    record(world, postdoc, "开题", date(2025, 5, 20))
    with pytest.raises(ValidationError, match="提前离站请记录为退站"):
        record(world, postdoc, "期满出站", date(2025, 9, 1))
    with pytest.raises(ValidationError, match="退站必须填写原因"):
        record(world, postdoc, "退站", date(2025, 9, 1), result="")
    record(world, postdoc, "退站", date(2025, 9, 1), result="", note="个人原因出国")
    postdoc.refresh_from_db()
    assert (postdoc.stage, postdoc.left_on, postdoc.next_deadline()) == (PostdocStage.WITHDRAWN, date(2025, 9, 1), None)


def test_completion_after_the_midterm_records_the_date_and_whether_they_stayed(world, postdoc):
    record(world, postdoc, "开题", date(2025, 5, 20))
    record(world, postdoc, "中期评估", date(2026, 2, 20))
    record(world, postdoc, "期满出站", date(2027, 2, 25), stayed_in_zone=True)
    postdoc.refresh_from_db()
    assert (postdoc.stage, postdoc.on_time, postdoc.stayed_in_zone) == (PostdocStage.COMPLETED, True, True)
    assert [m.kind for m in postdoc.milestones.all()] == ["进站", "开题", "中期评估", "期满出站"]
    with pytest.raises(ValidationError, match="已离站"):
        record(world, postdoc, "退站", date(2027, 3, 1), result="", note="x")


def test_an_extension_moves_the_exit_deadline_by_calendar_months(world, postdoc):
    record(world, postdoc, "开题", date(2025, 5, 20))
    record(world, postdoc, "中期评估", date(2026, 2, 20))
    milestone = record(world, postdoc, "延期", date(2027, 1, 10), result="", months=6)
    postdoc.refresh_from_db()
    assert (postdoc.stage, postdoc.exit_due, postdoc.extension_months) == (PostdocStage.MIDTERM, date(2027, 9, 1), 6)
    assert milestone.kind == Milestone.Kind.EXTENSION and "2027-09-01" in milestone.note


def test_a_milestone_cannot_predate_entry(world, postdoc):
    with pytest.raises(ValidationError, match="早于进站日期"):
        record(world, postdoc, "开题", date(2025, 2, 1))


def test_a_talent_cannot_be_in_two_stations_at_once(world, station, postdoc):
    with pytest.raises(ValidationError, match="不能重复进站"):
        make_postdoc(world, station)
