"""One way for a record to move through its life: a table of moves, one transition(), one history.

A `Lifecycle` is declared once per status field as data (`Move` rows: from, to, roles, label, whether a
reason is required, an optional guard and who hears of it). Pages render `moves_for(obj, user)` as
buttons; every write goes through `transition()`, which locks the row, re-reads it, checks the move,
sets the field, runs the caller's consequences (`apply`), saves only the changed fields, and writes the
history row (`core.StateChange`), the audit entry and the inbox notices in the same transaction.

Core imports no domain app: apps declare their lifecycles in their own modules; `lifecycles()` finds
every one declared (it imports each app's `lifecycles` and `services` modules), so the generic test in
tests/core/test_lifecycle.py covers an app the moment it declares one.
"""

from __future__ import annotations

import copy
import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ANY = "*"
STAY = "*"  # a Move whose `to` is STAY is an event: the record stays in the state it was in
SYSTEM = "system"  # put in Move.roles for a move the platform itself makes (by=None: a job, an import)

Guard = Callable[[Any, Any], "str | None"]
Notify = Callable[[Any], Iterable[Any]]

_REGISTRY: dict[str, Lifecycle] = {}


@dataclass(frozen=True)
class Move:
    name: str  # stable key, e.g. "publish", "return", "close"
    source: tuple[str, ...]  # states it leaves from ("*" = any)
    to: str  # state it arrives at ("*", or the same as source, for an event such as "adjust")
    roles: frozenset[str]  # who may make it (SYSTEM for the platform itself)
    label: str  # the button text, Chinese
    reason_required: bool = False
    guard: Guard | None = None  # a Chinese refusal, or None when allowed
    notify: Notify | None = None  # who hears of it (through the inbox)
    hint: str = ""  # added to the refusal when the record is not in a state this move leaves from

    def leaves(self, state: str) -> bool:
        return ANY in self.source or state in self.source

    def arrives(self, state: str) -> str:
        return state if self.to == STAY else self.to

    @property
    def is_event(self) -> bool:
        return self.to == STAY or (self.to in self.source and len(self.source) == 1)


class Lifecycle:
    """The life of one status field: its states, its moves and the one function that makes them."""

    def __init__(self, *, field: str, states: type[models.TextChoices], moves: Iterable[Move], label: str,
                 key: str = "", kind: str = "state_change", url: Callable[[Any], str] | None = None) -> None:
        self.field = field
        self.states = states
        self.moves: tuple[Move, ...] = tuple(moves)
        self.label = label  # what the record is called: "需求", "博士后工作站"
        self.kind = kind  # the inbox kind its notices carry
        self.url = url  # the record's page, for the notice's link
        self.key = key or f"{label}.{field}"
        names = [m.name for m in self.moves]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.key}: move names must be unique: {names}")
        values = set(states.values)
        for m in self.moves:
            unknown = [s for s in (*m.source, m.to) if s not in values and s != ANY]
            if unknown:
                raise ValueError(f"{self.key}: move {m.name} names unknown states {unknown}")
        _REGISTRY[self.key] = self

    def __repr__(self) -> str:
        return f"<Lifecycle {self.key}: {len(self.moves)} moves>"

    # --- reading the table -------------------------------------------------------------------
    def move(self, name: str) -> Move:
        for m in self.moves:
            if m.name == name:
                return m
        raise KeyError(name)

    def state_label(self, value: str) -> str:
        if value in self.states.values:
            return str(self.states(value).label)
        return value or "（无）"

    def moves_from(self, state: str) -> list[Move]:
        return [m for m in self.moves if m.leaves(state)]

    def moves_for(self, obj: Any, user: Any) -> list[Move]:
        """The buttons this user sees on this record: moves from its state, for their role, guard passing."""
        state = getattr(obj, self.field)
        role = getattr(user, "role", None)
        return [m for m in self.moves_from(state)
                if role in m.roles and (m.guard is None or m.guard(obj, user) is None)]

    def refusal(self, obj: Any, move: str, user: Any, reason: str = "") -> str | None:
        """Why this move may not be made now (in Chinese, naming the record and its state), or None."""
        state = getattr(obj, self.field)
        record = f"{self.label}“{obj}”"
        try:
            m = self.move(move)
        except KeyError:
            return f"{record}没有“{move}”这一操作"
        if not m.leaves(state):
            return f"{record}当前为{self.state_label(state)}，不能{m.label}" + (f"：{m.hint}" if m.hint else "")
        if user is None:
            if SYSTEM not in m.roles:
                return f"{record}的“{m.label}”须由工作人员操作"
        elif getattr(user, "role", None) not in m.roles:
            role = getattr(user, "get_role_display", lambda: getattr(user, "role", ""))()
            return f"您的角色（{role}）不能对{record}进行“{m.label}”"
        if m.reason_required and not (reason or "").strip():
            return f"{record}{m.label}必须填写原因"
        if m.guard is not None:
            return m.guard(obj, user)
        return None

    # --- making a move -----------------------------------------------------------------------
    def transition(self, obj: Any, *, move: str, by: Any, reason: str = "", request: HttpRequest | None = None,
                   on: datetime.date | None = None, data: dict | None = None,
                   apply: Callable[[Any], None] | None = None) -> Any:
        """Make one move: lock, re-read, check, set the field, apply, save, history, audit, notify.

        Returns the re-read record (the caller's instance is refreshed too). Raises ValidationError with a
        Chinese reason when the move is refused (or when `apply` raises one); nothing is written then.
        `data` is read after `apply` ran, so `apply` may add what it computed to the caller's dict.
        """
        from rencai.core.audit import audit_record
        from rencai.core.models import StateChange

        model = type(obj)
        reason = (reason or "").strip()
        with transaction.atomic():
            fresh = model._base_manager.select_for_update().get(pk=obj.pk)
            refused = self.refusal(fresh, move, by, reason)
            if refused:
                raise ValidationError(refused)
            m = self.move(move)
            fields = [f for f in model._meta.concrete_fields if not f.primary_key]
            before = {f.attname: _snapshot(getattr(fresh, f.attname)) for f in fields}
            old = getattr(fresh, self.field)
            new = m.arrives(old)
            setattr(fresh, self.field, new)
            if apply is not None:
                apply(fresh)
            changed = [f.name for f in fields if getattr(fresh, f.attname) != before[f.attname]]
            if changed:
                changed += [f.name for f in fields if getattr(f, "auto_now", False) and f.name not in changed]
                fresh.save(update_fields=changed)
            change = StateChange.objects.create(
                content_type=ContentType.objects.get_for_model(model), object_id=fresh.pk, field=self.field,
                move=m.name, from_state=old, to_state=new, label=m.label, by=by, on=on, reason=reason,
                data=data or {})
            detail: dict[str, Any] = {"move": m.name, self.field: [old, new], "reason": reason}
            if on:
                detail["on"] = on.isoformat()
            if data:
                detail["data"] = data
            audit_record(action="update", request=request, user=by, obj=fresh, detail=detail)
            self._notify(fresh, m, by=by, old=old, new=new, reason=reason, change=change)
        for f in fields:  # the caller's instance now shows what was saved
            setattr(obj, f.attname, getattr(fresh, f.attname))
        return fresh

    def record(self, obj: Any, *, move: str, label: str, by: Any, from_state: str = "", reason: str = "",
               on: datetime.date | None = None, data: dict | None = None) -> Any:
        """History for a change made outside a move (a record created, imported): no checks, no audit."""
        from rencai.core.models import StateChange

        state = getattr(obj, self.field)
        return StateChange.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, field=self.field,
            move=move, from_state=from_state, to_state=state, label=label, by=by, on=on,
            reason=(reason or "").strip(), data=data or {})

    def _notify(self, obj: Any, m: Move, *, by: Any, old: str, new: str, reason: str, change: Any) -> None:
        if m.notify is None:
            return
        recipients = [u for u in m.notify(obj) if u is not None and (by is None or u.pk != by.pk)]
        if not recipients:
            return
        try:
            from rencai.core import inbox
        except ImportError:  # the inbox arrives with the core Notice model; until then nobody is told
            return
        text = f"{self.label}“{obj}”：{m.label}"
        if new != old:
            text += f"（{self.state_label(old)} → {self.state_label(new)}）"
        if reason:
            text += f"。原因：{reason}"
        if self.url is not None:
            url = self.url(obj)
        else:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        _ensure_kind(inbox, self.kind)
        inbox.notify(recipients=recipients, kind=self.kind, text=text[:500], subject=obj,
                     dedupe_key=f"state_change:{change.pk}", url=url)


def _snapshot(value: Any) -> Any:
    """A copy of a JSON value, so a change `apply` makes inside the same dict or list is still seen."""
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


_KINDS: set[str] = set()


def _ensure_kind(inbox: Any, kind: str) -> None:
    if kind in _KINDS:
        return
    if kind not in getattr(inbox, "KINDS", {}):  # an app may have registered it with its own label
        inbox.register_kind(kind, _("办理进度"))
    _KINDS.add(kind)


def lifecycles() -> list[Lifecycle]:
    """Every declared lifecycle: the apps' `lifecycles` and `services` modules are imported first."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("lifecycles")
    autodiscover_modules("services")
    return sorted(_REGISTRY.values(), key=lambda lc: lc.key)


def history_for(obj: models.Model) -> models.QuerySet:
    """A record's history, oldest first."""
    from rencai.core.models import StateChange

    return (StateChange.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
            .select_related("by").order_by("at", "pk"))


def history_for_all(queryset: models.QuerySet) -> models.QuerySet:
    """The history of every record in a queryset (already scoped by the caller), oldest first."""
    from rencai.core.models import StateChange

    return (StateChange.objects.filter(content_type=ContentType.objects.get_for_model(queryset.model),
                                       object_id__in=list(queryset.values_list("pk", flat=True)))
            .select_related("by").order_by("at", "pk"))
