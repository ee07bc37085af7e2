from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rencai.core.lifecycle import history_for
from rencai.core.models import AuditEvent
from rencai.orgs.models import Platform
from rencai.postdoc.models import Assistance, Stage
from rencai.postdoc.services import assistance_record, station_transition
from tests.postdoc.conftest import make_postdoc, make_station


def test_a_station_walks_from_survey_to_approval_with_its_document_number(world):
    station = make_station(world)
    assert station.stage == Stage.APPROVED
    assert (station.approved_on, station.approval_number) == (date(2025, 1, 10), "人社厅函〔2025〕12号")
    assert [s.to_state for s in history_for(station)] == ["survey", "evaluation", "application", "approved"]
    assert AuditEvent.objects.filter(object_type="postdoc.station", object_id=str(station.pk)).count() == 4


def test_approval_puts_the_station_among_the_enterprises_platforms(world):
    station = make_station(world)
    platform = Platform.objects.get(enterprise=world.enterprise)
    assert (platform.kind, platform.name, platform.approved_on) == (
        Platform.Kind.POSTDOC_STATION, station.name, date(2025, 1, 10))
    assert station.platform == platform


def test_an_innovation_base_becomes_a_base_platform(world):
    make_station(world, name="乳业博士后创新实践基地", kind="base")
    assert Platform.objects.get(enterprise=world.enterprise).kind == Platform.Kind.POSTDOC_BASE


def test_a_station_cannot_skip_evaluation(world):
    station = make_station(world, approve_on=None)
    with pytest.raises(ValidationError, match="不能改为申报推荐"):
        station_transition(station=station, to=Stage.APPLICATION, on=date(2025, 1, 1), by=world.admin)


def test_approval_without_a_document_number_is_refused(world):
    station = make_station(world, approve_on=None)
    for to in (Stage.EVALUATION, Stage.APPLICATION):
        station_transition(station=station, to=to, on=date(2025, 1, 1), by=world.admin)
    with pytest.raises(ValidationError, match="批准文号"):
        station_transition(station=station, to=Stage.APPROVED, on=date(2025, 1, 9), by=world.admin)
    assert not Platform.objects.exists()


def test_withdrawing_a_station_needs_a_reason_and_no_postdoc_in_station(world, station):
    make_postdoc(world, station)
    station.refresh_from_db()
    assert station.stage == Stage.OPERATING  # the first postdoc's entry starts operation
    with pytest.raises(ValidationError, match="原因"):
        station_transition(station=station, to=Stage.WITHDRAWN, on=date(2026, 1, 1), by=world.admin)
    with pytest.raises(ValidationError, match="尚有在站博士后"):
        station_transition(station=station, to=Stage.WITHDRAWN, on=date(2026, 1, 1), by=world.admin, note="企业搬迁")


def test_office_help_is_recorded_at_the_stage_it_was_given(world):
    station = make_station(world, approve_on=None)
    station_transition(station=station, to=Stage.EVALUATION, on=date(2025, 1, 1), by=world.admin)
    station.refresh_from_db()
    help_ = assistance_record(assistance=Assistance(station=station, kind="一对一指导", on=date(2025, 1, 5),
                                                    content="申报材料中的研发投入证明缺失，指导补齐"), by=world.admin)
    assert help_.stage == "项目评估"
    assert help_.by == world.admin


def test_no_postdoc_enters_a_station_that_is_not_approved(world):
    station = make_station(world, approve_on=None)
    with pytest.raises(ValidationError, match="获批设站后"):
        make_postdoc(world, station)
