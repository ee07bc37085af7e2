"""Every declared lifecycle refuses, in Chinese and naming the record and its state, every move it does not list.

Generated from `rencai.core.lifecycle.lifecycles()`: an app that declares a Lifecycle is covered here without
writing its own test. The transition itself (lock, history, audit, notice) is tested on real needs below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from rencai.core.lifecycle import SYSTEM, Lifecycle, history_for, lifecycles
from rencai.core.models import AuditEvent
from rencai.core.roles import Role

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Record:
    """Any record in a given state: what a refusal is judged on before the database is touched."""

    state: str

    def __str__(self) -> str:
        return "测试记录"


@dataclass
class Person:
    role: str
    pk: int = 1

    def get_role_display(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


def _illegal() -> list[tuple[Lifecycle, str, str]]:
    return [(lc, state, m.name) for lc in lifecycles() for state in lc.states.values for m in lc.moves
            if not m.leaves(state)]


def test_every_app_declares_its_lifecycles():
    keys = {lc.key for lc in lifecycles()}
    assert {"needs.need", "postdoc.station", "postdoc.postdoc", "engagements.agreement", "engagements.visit",
            "engagements.assessment", "matching.round", "matching.pairing"} <= keys


@pytest.mark.parametrize(("lifecycle", "state", "move"), _illegal(),
                         ids=lambda v: v.key if isinstance(v, Lifecycle) else str(v))
def test_a_move_not_in_the_table_is_refused_in_chinese(lifecycle: Lifecycle, state: str, move: str):
    m = lifecycle.move(move)
    role = next(iter(sorted(r for r in m.roles if r != SYSTEM)), SYSTEM)
    obj = Record(state)
    setattr(obj, lifecycle.field, state)
    refusal = lifecycle.refusal(obj, move, Person(role), reason="原因")
    assert refusal is not None
    assert CHINESE.search(refusal)
    assert f"{lifecycle.label}“测试记录”当前为{lifecycle.state_label(state)}，不能{m.label}" in refusal


@pytest.mark.parametrize("lifecycle", lifecycles(), ids=lambda lc: lc.key)
def test_every_move_has_a_chinese_label_roles_and_known_states(lifecycle: Lifecycle):
    for m in lifecycle.moves:
        assert CHINESE.search(m.label), m.name
        assert m.roles, m.name
        assert all(r in Role.values or r == SYSTEM for r in m.roles), m.name


@pytest.mark.parametrize("lifecycle", lifecycles(), ids=lambda lc: lc.key)
def test_a_move_for_another_role_or_without_its_reason_is_refused(lifecycle: Lifecycle):
    for m in lifecycle.moves:
        state = next(s for s in lifecycle.states.values if m.leaves(s))
        obj = Record(state)
        setattr(obj, lifecycle.field, state)
        outsider = next(r for r in Role.values if r not in m.roles)
        assert "不能对" in (lifecycle.refusal(obj, m.name, Person(outsider), reason="原因") or ""), m.name
        if m.reason_required:
            role = next(r for r in sorted(m.roles) if r != SYSTEM)
            assert "必须填写原因" in (lifecycle.refusal(obj, m.name, Person(role), reason="  ") or ""), m.name


# --- the transition on a real record --------------------------------------------------------------------------

def test_a_refused_move_writes_nothing(world):
    from rencai.needs.services import NEED_LIFE
    from tests.needs.conftest import make_need

    need = make_need(world.enterprise, world.enterprise_user, title="储氢材料")
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="需求“储氢材料”当前为待审核，不能确认已解决"):
        NEED_LIFE.transition(need, move="solve", by=world.reviewer)
    with pytest.raises(ValidationError, match="需求“储氢材料”退回修改必须填写原因"):
        NEED_LIFE.transition(need, move="return", by=world.reviewer, reason=" ")
    need.refresh_from_db()
    assert need.status == "pending"
    assert list(history_for(need).values_list("move", flat=True)) == ["create"]
    assert AuditEvent.objects.count() == audits


def test_a_move_writes_history_audit_and_a_notice_to_the_other_side(world):
    from rencai.core.models import Notice
    from rencai.needs.services import NEED_LIFE
    from tests.needs.conftest import make_need

    need = make_need(world.enterprise, world.enterprise_user, title="储氢材料")
    stale = type(need).objects.get(pk=need.pk)
    stale.title = "未保存的修改"  # transition re-reads the row: an unsaved change on the caller's copy is not saved
    NEED_LIFE.transition(stale, move="return", by=world.reviewer, reason="请补充经费")
    need.refresh_from_db()
    assert (need.status, need.title) == ("returned", "储氢材料")
    assert stale.status == "returned"  # the caller's instance shows what was saved
    last = history_for(need).last()
    assert (last.move, last.from_state, last.to_state, last.label, last.by, last.reason) == (
        "return", "pending", "returned", "退回修改", world.reviewer, "请补充经费")
    assert (last.from_label, last.to_label) == ("待审核", "退回修改")
    audit = AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk)).first()
    assert audit.detail["move"] == "return" and audit.detail["status"] == ["pending", "returned"]
    notice = Notice.objects.get(recipient=world.enterprise_user, kind="state_change")
    assert "退回修改" in notice.text and "请补充经费" in notice.text
    assert not Notice.objects.filter(recipient=world.reviewer).exists()  # nobody is told of their own move
