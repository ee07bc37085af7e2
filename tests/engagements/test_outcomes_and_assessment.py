"""Outcomes roll up to the programme; the annual grade; the opinion letter as .docx and PDF; the daily task."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rencai.core.models import Notice
from rencai.engagements import notices
from rencai.engagements.letters import letter_send
from rencai.engagements.models import Grade, Letter, Outcome, OutcomeKind, ServiceVisit, VisitStatus
from rencai.engagements.services import (
    assessment_rate,
    assessment_review,
    grade_for,
    outcome_record,
    outcome_totals,
)
from rencai.engagements.tasks import compliance_daily
from tests.conftest import verified_client
from tests.engagements.conftest import make_agreement
from tests.system import run_tool


def _outcome(agreement, by, kind: str, count: int = 1) -> Outcome:
    return outcome_record(outcome=Outcome(agreement=agreement, kind=kind, count=count, title=f"{kind}成果"), by=by)


def test_programme_page_sums_outcomes_exactly(world, programme):
    mine = make_agreement(world, programme=programme)
    theirs = make_agreement(world, talent=world.colleague, programme=programme)
    outside = make_agreement(world, talent=world.talent_b)  # not in the programme
    _outcome(mine, world.talent_user, OutcomeKind.PROJECT, 2)
    _outcome(mine, world.talent_user, OutcomeKind.PATENT)
    _outcome(theirs, world.admin, OutcomeKind.PROJECT, 3)
    _outcome(theirs, world.admin, OutcomeKind.PROBLEM, 4)
    _outcome(outside, world.admin, OutcomeKind.PATENT, 9)
    totals = outcome_totals(Outcome.objects.filter(agreement__programme=programme))
    assert totals == {"project": 5, "problem": 4, "patent": 1, "product": 0, "paper": 0, "trained": 0}
    page = verified_client(world.admin).get(f"/engagements/programmes/{programme.pk}/").content.decode()
    assert '<b data-k="project">5</b>' in page and '<b data-k="patent">1</b>' in page
    assert '<b data-k="talents">2</b>' in page


def test_talent_records_outcomes_only_for_own_agreement(world, agreement):
    theirs = make_agreement(world, talent=world.colleague)
    with pytest.raises(PermissionDenied):
        _outcome(theirs, world.talent_user, OutcomeKind.PAPER)
    lead = agreement.projects.get(lead=True)
    verified_client(world.talent_user).post(f"/engagements/{agreement.pk}/outcomes/", {
        "kind": OutcomeKind.PRODUCT, "count": 1, "title": "低镝磁体配方", "project": lead.pk,
        "achieved_on": timezone.localdate().isoformat(), "evidence_note": "企业检测报告"})
    outcome = Outcome.objects.get()
    assert (outcome.agreement, outcome.project, outcome.recorded_by) == (agreement, lead, world.talent_user)


def test_programme_page_lists_worst_first(world, programme):
    good = make_agreement(world, programme=programme)
    bad = make_agreement(world, talent=world.colleague, programme=programme)
    ServiceVisit.objects.create(agreement=good, starts_on=good.starts_on, ends_on=timezone.localdate(),
                                work="驻企", logged_by=world.talent_user, status=VisitStatus.CONFIRMED)
    page = verified_client(world.reviewer).get(f"/engagements/programmes/{programme.pk}/").content.decode()
    assert page.index(f'data-talent="{bad.talent.name}"') < page.index(f'data-talent="{good.talent.name}"')


@pytest.mark.parametrize(("score", "grade"), [(95, Grade.EXCELLENT), (90, Grade.EXCELLENT), (89.9, Grade.PASS),
                                              (75, Grade.PASS), (60, Grade.BASIC), (59.9, Grade.FAIL)])
def test_grade_bands(score, grade):
    assert grade_for(Decimal(str(score))) == grade


def _graded(world, agreement, host_score: int = 90):
    ServiceVisit.objects.create(agreement=agreement, starts_on=agreement.starts_on, ends_on=timezone.localdate(),
                                work="驻企", logged_by=world.talent_user, status=VisitStatus.CONFIRMED)
    for kind in (OutcomeKind.PROJECT, OutcomeKind.PROBLEM, OutcomeKind.PATENT, OutcomeKind.PRODUCT,
                 OutcomeKind.PAPER):
        _outcome(agreement, world.admin, kind)
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        assessment_rate(agreement=agreement, year=year, score=host_score, comment="", by=world.enterprise_b_user)
    assessment_rate(agreement=agreement, year=year, score=host_score, comment="工作扎实", by=world.enterprise_user)
    return assessment_review(agreement=agreement, year=year, by=world.reviewer, comment="同意评定。")


def test_weighted_grade_from_host_rating_compliance_and_outcomes(world, agreement):
    with pytest.raises(ValidationError, match="企业尚未评价"):
        assessment_review(agreement=agreement, year=2026, by=world.reviewer)
    assessment = _graded(world, agreement, host_score=80)
    assert (assessment.compliance_score, assessment.outcome_score) == (100, 100)
    assert assessment.score == Decimal("92.0")  # 0.4×80 + 0.4×100 + 0.2×100
    assert assessment.grade == Grade.EXCELLENT


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return run_tool("pdftotext", "-layout", str(path), "-")


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_opinion_letter_in_word_and_pdf_names_talent_grade_and_sending_unit(world, agreement, tmp_path):
    assessment = _graded(world, agreement)
    letter = letter_send(assessment=assessment, by=world.admin)
    docx = _docx_text(letter.docx.read())
    pdf = _pdf_text(letter.pdf.read(), tmp_path).replace(" ", "")
    for text in (docx, pdf):
        assert "王建国" in text and "优秀" in text and "内蒙古科技大学" in text
        assert letter.number in text and "年度考核意见" in text
    assert docx.index("内蒙古科技大学：") < docx.index("王建国同志以")  # salutation before the body


def test_liaison_receives_the_letter_in_the_platform(world, agreement, tmp_path):
    letter = letter_send(assessment=_graded(world, agreement), by=world.admin)
    client = verified_client(world.liaison)
    assert letter.number in client.get("/engagements/letters/").content.decode()
    notice = Notice.objects.get(recipient=world.liaison, kind=notices.LETTER)
    assert letter.number in notice.text and notice.text in client.get("/engagements/").content.decode()
    assert notice.subject == agreement and "消息 (1)" in client.get("/").content.decode()
    client.get(f"/inbox/{notice.pk}/")  # opening it marks it read: the count falls, the list card empties
    assert "消息 (0)" in client.get("/").content.decode()
    assert notice.text not in client.get("/engagements/").content.decode()
    response = client.get(f"/engagements/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert "王建国" in _pdf_text(b"".join(response.streaming_content), tmp_path)
    assert set(Letter.objects.visible_to(world.enterprise_user)) == set()
    other_liaison = type(world.liaison).objects.create(username="liaison_b", role="liaison")
    assert verified_client(other_liaison).get(f"/engagements/letters/{letter.pk}/pdf/").status_code == 404


def test_whole_programme_letters_at_once_as_a_zip(world, programme):
    first = make_agreement(world, programme=programme)
    second = make_agreement(world, talent=world.colleague, programme=programme)
    for a in (first, second):
        _graded(world, a)
    client = verified_client(world.admin)
    client.post(f"/engagements/programmes/{programme.pk}/letters/")
    assert Letter.objects.count() == 2
    client.post(f"/engagements/programmes/{programme.pk}/letters/")  # already sent: nothing new
    assert Letter.objects.count() == 2
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/engagements/programmes/{programme.pk}/letters.zip").content))
    names = archive.namelist()
    assert len(names) == 4 and any("赵志强" in n and n.endswith(".docx") for n in names)
    colleague_docx = next(n for n in names if "赵志强" in n and n.endswith(".docx"))
    text = _docx_text(archive.read(colleague_docx))
    assert "内蒙古农业大学" in text and "优秀" in text


def test_daily_task_reminds_before_the_month_closes_short_and_tells_the_office(world, agreement):
    month_end = (agreement.starts_on.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    today = month_end - timedelta(days=3)  # the first month has 4 days left and no visit yet
    result = compliance_daily.call(today.isoformat())
    kinds = set(Notice.objects.values_list("recipient__username", "kind"))
    assert ("talent_a", notices.MONTH_SHORT) in kinds and ("ent_a", notices.MONTH_SHORT) in kinds
    assert result["reminders"] >= 2
    assert compliance_daily.call(today.isoformat())["reminders"] == 0  # rerun the same day: nothing new
    later = month_end + timedelta(days=15)  # the first month closed short: the office is told
    compliance_daily.call(later.isoformat())
    digest = Notice.objects.get(recipient=world.admin, kind=notices.OFFICE_DIGEST)
    assert "王建国" in digest.text
    assert not Notice.objects.filter(recipient=world.enterprise_b_user).exists()


def test_daily_command_runs_for_a_given_date_and_completes_finished_terms(world, agreement):
    from django.core.management import call_command

    out = io.StringIO()
    after_term = agreement.ends_on + timedelta(days=1)
    call_command("engagements_daily", "--date", after_term.isoformat(), stdout=out)
    agreement.refresh_from_db()
    assert agreement.status == "completed"
    assert f"{after_term.isoformat()}：" in out.getvalue() and "期满 1 份" in out.getvalue()
