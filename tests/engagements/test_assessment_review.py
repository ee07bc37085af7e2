"""审定 of the annual assessment: the office may send the host's rating back with a reason, and sets the grade
(the computed grade by default; a different grade needs a reason, kept in the history)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rencai.core.lifecycle import history_for
from rencai.core.models import Notice
from rencai.engagements.models import Assessment, AssessmentStatus, Grade
from rencai.engagements.services import assessment_rate, assessment_return, assessment_review
from tests.conftest import verified_client

YEAR = timezone.localdate().year


def _rated(world, agreement, score: int = 70) -> Assessment:
    return assessment_rate(agreement=agreement, year=YEAR, score=score, comment="表现尚可", by=world.enterprise_user)


def test_office_returns_the_hosts_rating_with_a_reason_and_the_host_rates_again(world, agreement):
    assessment = _rated(world, agreement)
    office = verified_client(world.reviewer)
    office.post(f"/engagements/{agreement.pk}/return/", {"assessment": assessment.pk, "reason": ""})
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.RATED  # no reason, not returned
    office.post(f"/engagements/{agreement.pk}/return/",
                {"assessment": assessment.pk, "reason": "评分与服务记录不符，请核实后重评"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert Notice.objects.filter(recipient=world.enterprise_user, text__contains="请核实后重评").exists()
    with pytest.raises(ValidationError, match="不能审定"):
        assessment_review(agreement=agreement, year=YEAR, by=world.reviewer)

    host_page = verified_client(world.enterprise_user).get(f"/engagements/{agreement.pk}/").content.decode()
    assert "退回修改" in host_page and "评分与服务记录不符" in host_page
    assessment = _rated(world, agreement, score=85)
    assert (assessment.status, assessment.host_score) == (AssessmentStatus.RATED, 85)
    assert [h.move for h in history_for(assessment)] == ["rate", "return", "rate"]


def test_the_computed_grade_is_the_default_at_approval(world, agreement):
    _rated(world, agreement)
    assessment = assessment_review(agreement=agreement, year=YEAR, by=world.reviewer, comment="同意")
    assert assessment.status == AssessmentStatus.APPROVED
    last = history_for(assessment).last()
    assert last.move == "approve" and last.data["grade"] == last.data["computed_grade"] == assessment.grade


def test_a_grade_other_than_the_computed_one_needs_a_reason(world, agreement):
    _rated(world, agreement, score=40)
    with pytest.raises(ValidationError, match="与计算等次“不合格”不同，必须填写原因"):
        assessment_review(agreement=agreement, year=YEAR, by=world.reviewer, grade=Grade.BASIC)
    assert Assessment.objects.get(agreement=agreement).status == AssessmentStatus.RATED
    assessment = assessment_review(agreement=agreement, year=YEAR, by=world.reviewer, grade=Grade.BASIC,
                                   reason="服务期内企业停产三个月，履约天数不足非人才原因")
    assert (assessment.grade, assessment.status) == (Grade.BASIC, AssessmentStatus.APPROVED)
    last = history_for(assessment).last()
    assert (last.data["computed_grade"], last.data["grade"]) == (Grade.FAIL, Grade.BASIC)
    assert "企业停产三个月" in last.reason


def test_an_approved_assessment_cannot_be_rated_again_or_returned(world, agreement):
    _rated(world, agreement)
    assessment = assessment_review(agreement=agreement, year=YEAR, by=world.reviewer)
    with pytest.raises(ValidationError, match="当前为已审定，不能提交企业评价"):
        _rated(world, agreement, score=99)
    with pytest.raises(ValidationError, match="当前为已审定，不能退回修改"):
        assessment_return(assessment=assessment, by=world.reviewer, reason="再看看")


def test_office_sets_a_different_grade_on_the_page(world, agreement):
    assessment = _rated(world, agreement, score=40)
    office = verified_client(world.reviewer)
    page = office.get(f"/engagements/{agreement.pk}/").content.decode()
    assert "审定等次" in page and "退回修改" in page
    office.post(f"/engagements/{agreement.pk}/review/", {"assessment": assessment.pk, "grade": "基本合格",
                                                          "reason": "企业停产，非人才原因", "comment": "酌情认定"})
    assessment.refresh_from_db()
    assert (assessment.grade, assessment.status) == ("基本合格", AssessmentStatus.APPROVED)
