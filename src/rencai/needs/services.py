"""Writes to needs and campaigns: each change with its status history row and audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.needs.models import (
    Campaign,
    CatalogAdjustment,
    CatalogEdition,
    CatalogLine,
    Need,
    Source,
    Status,
    StatusChange,
    Visit,
)
from rencai.orgs.models import Enterprise

ENTERPRISE = frozenset({Role.ENTERPRISE})
BOTH = REGISTER_WRITERS | ENTERPRISE


@dataclass(frozen=True)
class Move:
    to: Status
    roles: frozenset[str]
    label: str  # the button a user presses


# The life of a need: which moves exist and who may make them. Anything not listed is refused.
TRANSITIONS: dict[Status, tuple[Move, ...]] = {
    Status.PENDING: (Move(Status.PUBLISHED, REGISTER_WRITERS, "审核通过并发布"),
                     Move(Status.CLOSED, BOTH, "关闭")),
    Status.PUBLISHED: (Move(Status.MATCHING, REGISTER_WRITERS, "开始对接"),
                       Move(Status.CLOSED, BOTH, "关闭")),
    Status.MATCHING: (Move(Status.MATCHED, REGISTER_WRITERS, "已对接"),
                      Move(Status.PUBLISHED, REGISTER_WRITERS, "退回已发布"),
                      Move(Status.CLOSED, BOTH, "关闭")),
    Status.MATCHED: (Move(Status.SOLVED, BOTH, "确认已解决"),
                     Move(Status.MATCHING, REGISTER_WRITERS, "重新对接"),
                     Move(Status.CLOSED, BOTH, "关闭")),
    Status.SOLVED: (),
    Status.CLOSED: (Move(Status.PENDING, REGISTER_WRITERS, "重新打开"),),
}


def moves_for(need: Need, user: User) -> list[Move]:
    return [m for m in TRANSITIONS[Status(need.status)] if user.role in m.roles]


def _history(need: Need, *, old: str, by: User | None, reason: str = "") -> None:
    StatusChange.objects.create(need=need, from_status=old, to_status=need.status, by=by, reason=reason)


@transaction.atomic
def need_transition(*, need: Need, to: str, by: User, reason: str = "", request: Any = None) -> Need:
    """Move a need along its life, if the table allows this user that move; 已关闭 needs a reason."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    move = next((m for m in TRANSITIONS[Status(need.status)] if m.to == to), None)
    if move is None:
        raise ValidationError(f"需求“{need.title}”当前为{need.get_status_display()}，不能改为{Status(to).label}")
    if by.role not in move.roles:
        raise ValidationError(f"您的角色不能把需求改为{Status(to).label}")
    reason = reason.strip()
    if to == Status.CLOSED and not reason:
        raise ValidationError("关闭需求必须填写原因")
    old = need.status
    need.status = to
    need.closed_reason = reason if to == Status.CLOSED else ""
    need.save(update_fields=["status", "closed_reason", "updated_at"])
    _history(need, old=old, by=by, reason=reason)
    audit_record(action="update", request=request, user=by, obj=need,
                 detail={"status": [old, to], "reason": reason})
    return need


@transaction.atomic
def need_create(*, need: Need, by: User, request: Any = None) -> Need:
    """A new need: an enterprise's own waits for review; one the office collected is published at once."""
    need.created_by = by
    if by.role == Role.ENTERPRISE:
        need.source, need.status = Source.ENTERPRISE, Status.PENDING
    else:
        need.source = Source.VISIT if need.visit_id else Source.STAFF
        need.status = Status.PUBLISHED
    if need.visit_id:
        need.campaign_id = need.visit.campaign_id
    need.full_clean()
    need.save()
    _history(need, old="", by=by, reason=need.get_source_display())
    audit_record(action="create", request=request, user=by, obj=need)
    return need


@transaction.atomic
def need_update(*, need: Need, by: User, request: Any = None) -> Need:
    need.full_clean()
    need.save()
    audit_record(action="update", request=request, user=by, obj=need)
    return need


@transaction.atomic
def need_record_filled(*, need: Need, filled: int, by: User, request: Any = None) -> Need:
    """How many of a research-assistant post's places are taken; never more than were posted."""
    if filled < 0 or filled > need.headcount:
        raise ValidationError(f"已到岗人数应在 0 到 {need.headcount} 之间")
    old = need.filled
    need.filled = filled
    need.save(update_fields=["filled", "updated_at"])
    audit_record(action="update", request=request, user=by, obj=need, detail={"filled": [old, filled]})
    return need


@transaction.atomic
def campaign_save(*, campaign: Campaign, enterprises: list[Enterprise], by: User, request: Any = None) -> Campaign:
    created = campaign.pk is None
    if created:
        campaign.created_by = by
    campaign.full_clean()
    campaign.save()
    campaign.enterprises.set(enterprises)
    audit_record(action="create" if created else "update", request=request, user=by, obj=campaign,
                 detail={"enterprises": len(enterprises)})
    return campaign


@transaction.atomic
def visit_record(*, visit: Visit, by: User, request: Any = None) -> Visit:
    """A visit also adds its enterprise to the campaign's list, so coverage never exceeds 100%."""
    visit.recorded_by = by
    visit.full_clean()
    if visit.bureau not in visit.campaign.bureaus:
        raise ValidationError(f"“{visit.bureau}”不是本活动的参与部门")
    visit.save()
    visit.campaign.enterprises.add(visit.enterprise)
    audit_record(action="create", request=request, user=by, obj=visit)
    return visit


def stamp_import(need: Need, *, by: User | None, created: bool) -> None:
    """History for a need written by a spreadsheet import (inside the import's transaction)."""
    StatusChange.objects.create(need=need, from_status="" if created else need.status, to_status=need.status,
                                by=by, at=timezone.now(), reason="表格导入" if created else "表格导入更新")


@transaction.atomic
def catalog_adjust(*, scope: Any, year: int, key: str, demand: int | None, note: str, hidden: bool, by: User,
                   request: Any = None) -> CatalogAdjustment:
    """Staff's edit of one draft line; kept by key so it survives the draft being recomputed."""
    adjustment, _ = CatalogAdjustment.objects.update_or_create(
        city_id=scope.city_id, zone_id=scope.zone_id, year=year, key=key,
        defaults={"demand": demand, "note": note.strip(), "hidden": hidden, "updated_by": by})
    audit_record(action="update", request=request, user=by, obj=adjustment,
                 detail={"key": key, "demand": demand, "note": note, "hidden": hidden})
    return adjustment


@transaction.atomic
def catalog_publish(*, scope: Any, year: int, title: str, notes: str, by: User, request: Any = None) -> CatalogEdition:
    """Freeze today's draft as the next version of the year's catalog; earlier editions stay as they were."""
    from rencai.needs.catalog import as_catalog_line, draft

    lines = [line for line in draft(scope, year) if not line.hidden]
    if not lines:
        raise ValidationError("目录草稿没有任何条目，不能发布")
    previous = (CatalogEdition.objects.select_for_update()
                .filter(city_id=scope.city_id, zone_id=scope.zone_id, year=year).order_by("-version").first())
    edition = CatalogEdition.objects.create(
        city_id=scope.city_id, zone_id=scope.zone_id, year=year, version=(previous.version + 1) if previous else 1,
        title=title.strip() or f"{year}年紧缺人才目录", notes=notes.strip(), published_by=by)
    rows = [as_catalog_line(line) for line in lines]
    for row in rows:
        row.edition = edition
    CatalogLine.objects.bulk_create(rows, batch_size=500)
    audit_record(action="create", request=request, user=by, obj=edition, detail={"lines": len(lines)})
    return edition
