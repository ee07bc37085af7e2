"""policies.Decision rows move into the core history (StateChange), version and clause kept in `data`."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rencai.core.lifecycle import history_for
from rencai.policies.examples import load_examples
from rencai.policies.models import Application, Policy, PolicyVersion

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE_DELETE = "0004_decisions_to_state_changes"


@contextmanager
def schema_at(app: str, migration: str):
    executor = MigrationExecutor(connection)
    executor.migrate([(app, migration)])
    try:
        yield executor.loader.project_state([(app, migration)]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_review_decisions_become_history_with_version_and_clause(world):
    load_examples(Policy, PolicyVersion)
    policy = Policy.objects.get(code="housing_subsidy")
    app = Application.objects.create(policy=policy, version=policy.current_version, talent=world.talent,
                                     zone=world.zone_a, applicant=world.talent_user, status="appealed")
    forward = importlib.import_module(f"rencai.policies.migrations.{BEFORE_DELETE}").forward
    with schema_at("policies", BEFORE_DELETE) as old:
        Decision = old.get_model("policies", "Decision")
        for step, by, reason, clause in [("first", world.reviewer, "材料齐全", ""),
                                         ("reject", world.admin, "在区未满一年", "第二条"),
                                         ("appeal", world.talent_user, "已满一年", ""),
                                         ("appeal_answer", world.admin, "申诉成立，重新审核：核实无误", "")]:
            Decision.objects.create(application_id=app.pk, step=step, by_id=by.pk, reason=reason, clause=clause,
                                    version_number=1)
        forward(old, None)
        forward(old, None)  # run twice: still one history row each
    rows = list(history_for(app))
    assert [r.move for r in rows] == ["first", "reject", "appeal", "uphold"]
    assert rows[1].data["clause"] == "第二条" and rows[1].data["version"] == 1 and rows[1].reason == "在区未满一年"
    assert (rows[0].from_state, rows[0].to_state, rows[0].by) == ("submitted", "first_passed", world.reviewer)
    assert world.reviewer.pk in app.deciders("first")
