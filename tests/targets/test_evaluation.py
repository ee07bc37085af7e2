"""A policy-effect evaluation: groups from eligibility, plan locked before outcomes, the evaluator's extract."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from rencai.core.models import AuditEvent
from rencai.policies.models import Policy
from rencai.targets import services
from rencai.targets.evaluation import cohort
from tests.conftest import verified_client
from tests.factories import EntitlementFactory, TalentFactory, make_id_number

pytestmark = pytest.mark.django_db


def _setup(world):
    version = Policy.objects.get(code="graduate_intro_reward").versions.order_by("-number").first()
    start = max(version.effective_from, datetime.date(2023, 1, 1))
    people = []
    for i in range(12):
        group = ("beneficiary", "eligible", "ineligible")[i % 3]
        t = TalentFactory(zone=world.zone_a, name=f"欧阳评估{i}", degree="博士",
                          talent_type="全职引进" if group != "ineligible" else "柔性引进",
                          birth_date=datetime.date(1990, 1, 1), gender="女",
                          id_number=make_id_number(datetime.date(1990, 1, 1), seq=100 + i), phone=f"1380000{i:04d}")
        left = start + datetime.timedelta(days=200) if group != "beneficiary" and i % 2 else None
        services.stay_record(talent=t, zone=world.zone_a, arrived_on=start + datetime.timedelta(days=i), left_on=left,
                             by=None)
        if group == "beneficiary":
            EntitlementFactory(talent=t, policy_code="graduate_intro_reward", version=version, status="approved",
                               created_by=world.admin)
        people.append((t, group))
    ev = services.evaluation_create(version=version, city=world.zone_a.city, degree="博士", by=world.city_admin,
                                    question="硕博引进奖励是否让更多博士留在本区？", evaluator=world.evaluator)
    return ev, people


def test_groups_come_from_entitlements_and_the_conditions_trace(world):
    ev, people = _setup(world)
    members = {m.talent.pk: m for m in cohort(ev, datetime.date.today())}
    for t, group in people:
        assert members[t.pk].group == group
    assert any(not c["held"] for c in members[people[2][0].pk].trace)


def test_results_only_after_the_plan_is_locked_and_a_locked_plan_cannot_change(world):
    ev, _ = _setup(world)
    with pytest.raises(ValidationError, match="尚未锁定"):
        services.evaluation_run(evaluation=ev, by=world.city_admin)
    services.evaluation_lock(evaluation=ev, by=world.city_admin)
    with pytest.raises(ValidationError, match="已锁定"):
        services.evaluation_plan_update(evaluation=ev, by=world.city_admin, outcome_months=6)
    ev = services.evaluation_run(evaluation=ev, by=world.city_admin)
    assert ev.status == "analysed"
    assert ev.results["counts"] == {"beneficiary": 4, "eligible": 4, "ineligible": 4}
    assert "置信区间" in ev.results["reading"]
    assert ev.results["retention"]["beneficiary"]["value"] == 1.0
    services.evaluation_conclude(evaluation=ev, by=world.city_admin, finding="受益博士留区率较高",
                                 recommendation="延长发放期至五年")
    ev.refresh_from_db()
    assert ev.status == "concluded"


def test_the_extract_has_no_name_id_number_or_phone_and_every_download_is_audited(world):
    ev, people = _setup(world)
    client = verified_client(world.evaluator)
    before = AuditEvent.objects.filter(action="export", user=world.evaluator).count()
    resp = client.get(f"/targets/evaluations/{ev.pk}/extract.xlsx")
    assert resp.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert book.sheetnames == ["数据", "字段说明"]
    text = "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    for t, _ in people:
        assert t.name not in text
        assert t.id_number not in text and t.id_number[-6:] not in text
        assert t.phone not in text
    header = [c.value for c in book["数据"][1]]
    assert "pid" in header and not {"name", "姓名", "id_number", "phone"} & set(header)
    assert book["数据"].max_row == 13
    assert AuditEvent.objects.filter(action="export", user=world.evaluator).count() == before + 1


def test_another_evaluator_and_a_reviewer_get_no_extract(world):
    ev, _ = _setup(world)
    from tests.factories import UserFactory

    other = UserFactory(username="evaluator_b", role="evaluator")
    assert verified_client(other).get(f"/targets/evaluations/{ev.pk}/extract.xlsx").status_code == 404
    assert verified_client(world.reviewer).get(f"/targets/evaluations/{ev.pk}/extract.xlsx").status_code == 403


def test_the_evaluation_page_shows_the_plan_then_the_results_with_a_reading(world):
    ev, _ = _setup(world)
    client = verified_client(world.city_admin)
    page = client.get(f"/targets/evaluations/{ev.pk}/").content.decode()
    assert "锁定分析方案" in page and 'id="results"' not in page
    client.post(f"/targets/evaluations/{ev.pk}/action/", {"action": "lock"})
    client.post(f"/targets/evaluations/{ev.pk}/action/", {"action": "run"})
    page = client.get(f"/targets/evaluations/{ev.pk}/").content.decode()
    assert 'id="results"' in page and "置信区间" in page
    assert verified_client(world.evaluator).get(f"/targets/evaluations/{ev.pk}/").status_code == 200
    assert verified_client(world.evaluator).post(f"/targets/evaluations/{ev.pk}/action/",
                                                 {"action": "run"}).status_code == 403


def test_did_on_the_zone_panel_runs_when_zones_adopted_at_different_dates(world):
    ev, _ = _setup(world)
    services.evaluation_plan_update(evaluation=ev, by=world.city_admin,
                                    adoption={world.zone_a.code: "2025-07-01", world.zone_b.code: ""})
    services.evaluation_lock(evaluation=ev, by=world.city_admin)
    ev = services.evaluation_run(evaluation=ev, by=world.city_admin)
    assert "counts" in ev.results  # a single zone with stays: no DiD is forced on too little data
    assert "did" not in ev.results or ev.results["clusters"] > 1


def test_office_creates_an_evaluation_from_the_list_page(world):
    version = Policy.objects.get(code="graduate_intro_reward").versions.first()
    client = verified_client(world.city_admin)
    resp = client.post("/targets/evaluations/new/", {"version": version.pk, "question": "是否留住了博士？",
                                                     "degree": "博士", "outcome_months": 24,
                                                     "evaluator": world.evaluator.pk})
    assert resp.status_code == 302
    from rencai.targets.models import Evaluation

    ev = Evaluation.objects.get(question="是否留住了博士？")
    assert (ev.status, ev.evaluator, ev.version) == ("draft", world.evaluator, version)
