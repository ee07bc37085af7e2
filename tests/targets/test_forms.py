"""The targets pages read their inputs through forms: bad input is refused with a message, nothing is written."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from rencai.policies.models import Policy
from rencai.targets.forms import EvaluationNewForm, TargetForm
from rencai.targets.models import Evaluation, Target
from tests.conftest import verified_client
from tests.targets.helpers import arrivals

pytestmark = pytest.mark.django_db


def _messages(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_a_target_that_is_not_a_number_is_refused_and_nothing_saved(world):
    ind = arrivals()
    client = verified_client(world.city_admin)
    resp = client.post("/targets/cascade/target/", {"year": timezone.localdate().year, "indicator": ind.pk,
                                                    "value": "十个"})
    assert resp.status_code == 302 and "目标值须为整数" in _messages(resp)
    assert not Target.objects.filter(indicator=ind).exists()
    assert not TargetForm({"indicator": ind.pk}).is_valid()


def test_an_evaluation_without_a_question_is_refused(world):
    version = Policy.objects.get(code="graduate_intro_reward").versions.first()
    client = verified_client(world.city_admin)
    resp = client.post("/targets/evaluations/new/", {"version": version.pk, "question": "  "})
    assert "须选择政策版本并填写评估问题" in _messages(resp)
    assert not Evaluation.objects.exists()


def test_the_evaluation_form_defaults_the_months_and_refuses_a_non_evaluator(world):
    version = Policy.objects.get(code="graduate_intro_reward").versions.first()
    form = EvaluationNewForm({"version": version.pk, "question": "是否留住了博士？", "outcome_months": "0"})
    assert form.is_valid() and form.cleaned_data["outcome_months"] == 24
    assert not EvaluationNewForm({"version": version.pk, "question": "问", "evaluator": world.admin.pk}).is_valid()


def test_an_unknown_evaluation_action_is_refused(world):
    version = Policy.objects.get(code="graduate_intro_reward").versions.first()
    client = verified_client(world.city_admin)
    client.post("/targets/evaluations/new/", {"version": version.pk, "question": "是否留住了博士？"})
    ev = Evaluation.objects.get()
    assert ev.outcome_months == 24
    resp = client.post(f"/targets/evaluations/{ev.pk}/action/", {"action": "delete"})
    assert "未知操作" in _messages(resp)
