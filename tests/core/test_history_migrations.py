"""The three old history models' rows arrive in the one core history (core.StateChange) when migrating."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("needs", "0002_need_returned_status"), ("postdoc", "0001_initial"),
          ("engagements", "0002_assessment_status"), ("core", "0004_state_change")]
AFTER = [("needs", "0003_status_change_to_core"), ("postdoc", "0002_station_step_to_core"),
         ("engagements", "0003_history_to_core")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_need_station_and_agreement_history_move_into_state_changes(world):
    old = _migrate(BEFORE)
    try:
        at = timezone.now() - datetime.timedelta(days=30)
        Need = old.get_model("needs", "Need")
        need = Need.objects.create(enterprise_id=world.enterprise.pk, title="晶界扩散", description="降镝",
                                   status="closed", closed_reason="企业已自行解决")
        StatusChange = old.get_model("needs", "StatusChange")
        StatusChange.objects.create(need=need, from_status="", to_status="pending", by_id=world.enterprise_user.pk,
                                    at=at, reason="企业提交")
        StatusChange.objects.create(need=need, from_status="pending", to_status="published",
                                    by_id=world.reviewer.pk, at=at + datetime.timedelta(days=1))
        StatusChange.objects.create(need=need, from_status="published", to_status="closed", by_id=world.admin.pk,
                                    at=at + datetime.timedelta(days=2), reason="企业已自行解决")

        Station = old.get_model("postdoc", "Station")
        station = Station.objects.create(enterprise_id=world.enterprise.pk, name="稀土博士后工作站", stage="evaluation")
        StationStep = old.get_model("postdoc", "StationStep")
        StationStep.objects.create(station=station, from_stage="", to_stage="survey", on=datetime.date(2025, 1, 2),
                                   by_id=world.admin.pk, note="登记", at=at)
        StationStep.objects.create(station=station, from_stage="survey", to_stage="evaluation",
                                   on=datetime.date(2025, 2, 3), by_id=world.admin.pk, at=at)

        Agreement = old.get_model("engagements", "Agreement")
        agreement = Agreement.objects.create(
            talent_id=world.talent.pk, enterprise_id=world.enterprise.pk, institution_id=world.talent.institution_id,
            starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2026, 2, 28), created_by_id=world.admin.pk)
        AgreementChange = old.get_model("engagements", "AgreementChange")
        AgreementChange.objects.create(agreement=agreement, kind="created", by_id=world.admin.pk, at=at)
        AgreementChange.objects.create(agreement=agreement, kind="adjusted", by_id=world.admin.pk, at=at,
                                       reason="企业申请", changes={"visits_per_month": ["1", "2"]})
        Assessment = old.get_model("engagements", "Assessment")
        graded = Assessment.objects.create(agreement=agreement, year=2025, host_score=80, grade="合格")
        rated = Assessment.objects.create(agreement=agreement, year=2026, host_score=70)
    finally:
        new = _migrate(AFTER)

    StateChange = new.get_model("core", "StateChange")
    ContentType = new.get_model("contenttypes", "ContentType")

    def rows(app, model, pk):
        ct = ContentType.objects.get(app_label=app, model=model)
        return list(StateChange.objects.filter(content_type=ct, object_id=pk).order_by("at", "pk")
                    .values_list("move", "from_state", "to_state", "by_id", "reason"))

    assert rows("needs", "need", need.pk) == [
        ("create", "", "pending", world.enterprise_user.pk, "企业提交"),
        ("publish", "pending", "published", world.reviewer.pk, ""),
        ("close", "published", "closed", world.admin.pk, "企业已自行解决")]
    assert rows("postdoc", "station", station.pk) == [("create", "", "survey", world.admin.pk, "登记"),
                                                      ("evaluate", "survey", "evaluation", world.admin.pk, "")]
    ct = ContentType.objects.get(app_label="postdoc", model="station")
    assert list(StateChange.objects.filter(content_type=ct, object_id=station.pk).values_list("on", flat=True)) \
        == [datetime.date(2025, 1, 2), datetime.date(2025, 2, 3)]
    assert [r[0] for r in rows("engagements", "agreement", agreement.pk)] == ["create", "adjust"]
    adjusted = StateChange.objects.get(move="adjust", object_id=agreement.pk,
                                       content_type=ContentType.objects.get(app_label="engagements", model="agreement"))
    assert adjusted.data["changes"] == {"每月至少到岗次数": "1 → 2"}
    Assessment = new.get_model("engagements", "Assessment")
    assert Assessment.objects.get(pk=graded.pk).status == "approved"
    assert Assessment.objects.get(pk=rated.pk).status == "rated"
    _migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
