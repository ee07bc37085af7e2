"""Writes to needs and campaigns: each change with its status history row and audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from rencai.core.audit import audit_record
from rencai.core.lifecycle import Lifecycle, Move, history_for
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
    Visit,
)
from rencai.orgs.models import Enterprise

ENTERPRISE = frozenset({Role.ENTERPRISE})
BOTH = REGISTER_WRITERS | ENTERPRISE
LIVE = (Status.PENDING, Status.RETURNED, Status.PUBLISHED, Status.MATCHING, Status.MATCHED)


def _enterprise_users(need: Need) -> list[User]:
    return list(need.enterprise.members.filter(is_active=True))


def _returned_by(need: Need) -> list[User]:
    """A resubmitted need is news to the staff member who sent it back."""
    last = history_for(need).filter(move="return").last()
    return [last.by] if last and last.by else []


def _need_url(need: Need) -> str:
    return reverse("needs:detail", args=[need.pk])


# The life of a need: which moves exist and who may make them. Anything not listed is refused.
NEED_LIFE = Lifecycle(field="status", states=Status, label="需求", key="needs.need", url=_need_url, moves=[
    Move("publish", (Status.PENDING,), Status.PUBLISHED, REGISTER_WRITERS, "审核通过并发布", notify=_enterprise_users),
    Move("return", (Status.PENDING,), Status.RETURNED, REGISTER_WRITERS, "退回修改", reason_required=True,
         notify=_enterprise_users),
    Move("resubmit", (Status.RETURNED,), Status.PENDING, ENTERPRISE, "修改后重新提交", notify=_returned_by),
    Move("start_matching", (Status.PUBLISHED,), Status.MATCHING, REGISTER_WRITERS, "开始对接",
         notify=_enterprise_users),
    Move("matched", (Status.MATCHING,), Status.MATCHED, REGISTER_WRITERS, "已对接", notify=_enterprise_users),
    Move("unmatch", (Status.MATCHING,), Status.PUBLISHED, REGISTER_WRITERS, "退回已发布"),
    Move("solve", (Status.MATCHED,), Status.SOLVED, BOTH, "确认已解决"),
    Move("rematch", (Status.MATCHED,), Status.MATCHING, REGISTER_WRITERS, "重新对接", notify=_enterprise_users),
    Move("close", LIVE, Status.CLOSED, BOTH, "关闭", reason_required=True, notify=_enterprise_users),
    Move("reopen", (Status.CLOSED,), Status.PENDING, REGISTER_WRITERS, "重新打开", notify=_enterprise_users),
])


def moves_for(need: Need, user: User) -> list[Move]:
    return NEED_LIFE.moves_for(need, user)


def need_transition(*, need: Need, by: User, move: str = "", to: str = "", reason: str = "",
                    request: HttpRequest | None = None) -> Need:
    """Move a need along its life, if the table allows this user that move; 关闭 and 退回修改 need a reason.

    Name the move (`move="return"`), or the state to go to (`to="closed"`) when only one move leads there.
    """
    if not move:
        move = _move_to(need, to)

    def apply(fresh: Need) -> None:
        fresh.closed_reason = reason.strip() if fresh.status == Status.CLOSED else ""

    return NEED_LIFE.transition(need, move=move, by=by, reason=reason, request=request, apply=apply)


def _move_to(need: Need, to: str) -> str:
    current = Need.objects.filter(pk=need.pk).values_list("status", flat=True).first() or need.status
    leading = [m for m in NEED_LIFE.moves_from(current) if m.to == to]
    if len(leading) == 1:
        return leading[0].name
    target = Status(to).label if to in Status.values else to
    raise ValidationError(f"需求“{need.title}”当前为{NEED_LIFE.state_label(current)}，不能改为{target}")


@transaction.atomic
def need_create(*, need: Need, by: User, request: HttpRequest | None = None) -> Need:
    """A new need: an enterprise's own waits for review; one the office collected is published at once."""
    need.created_by = by
    if by.role == Role.ENTERPRISE:
        need.source, need.status = Source.ENTERPRISE, Status.PENDING
    else:
        need.source = Source.VISIT if need.visit_id else Source.STAFF
        need.status = Status.PUBLISHED
    if need.visit_id and need.visit is not None:
        need.campaign_id = need.visit.campaign_id
    if need.discipline_code:
        need.discipline_source = need.discipline_source or Need.DisciplineSource.STAFF  # given, not guessed
    else:
        apply_field_mapping(need)
    need.full_clean()
    need.save()
    NEED_LIFE.record(need, move="create", label="提交需求" if by.role == Role.ENTERPRISE else "登记需求", by=by,
                     reason=need.get_source_display())
    audit_record(action="create", request=request, user=by, obj=need)
    return need


def apply_field_mapping(need: Need) -> None:
    """Map 所属领域 to a 一级学科 (and an industry if none) unless staff set the discipline by hand."""
    from rencai.needs.fields import map_field

    if need.discipline_source == Need.DisciplineSource.STAFF:
        return
    mapping = map_field(need.field_text)
    need.discipline_code, need.discipline_source = mapping.discipline_code, mapping.source
    need.industry_code = need.industry_code or mapping.industry_code


@transaction.atomic
def need_discipline_set(*, need: Need, code: str, by: User, request: HttpRequest | None = None) -> Need:
    """Staff correct a need's 一级学科 (it then stays, whatever 所属领域 says); an empty code maps it again."""
    from rencai.core.catalogs import discipline_by_code

    if by.role not in REGISTER_WRITERS:
        raise ValidationError("只有人才办工作人员可以更正需求的一级学科")
    need = Need.objects.select_for_update().get(pk=need.pk)
    before = need.discipline_code
    if code:
        found = discipline_by_code(code)
        if found is None or found.professional:
            raise ValidationError(f"“{code}”不是一级学科代码")
        need.discipline_code, need.discipline_source = found.code, Need.DisciplineSource.STAFF
    else:
        need.discipline_source = Need.DisciplineSource.NONE
        apply_field_mapping(need)
    need.save(update_fields=["discipline_code", "discipline_source", "industry_code", "updated_at"])
    audit_record(action="update", request=request, user=by, obj=need,
                 detail={"discipline_code": [before, need.discipline_code], "source": need.discipline_source})
    return need


@transaction.atomic
def need_update(*, need: Need, by: User, request: HttpRequest | None = None) -> Need:
    need.full_clean()
    need.save()
    audit_record(action="update", request=request, user=by, obj=need)
    return need


@transaction.atomic
def need_record_filled(*, need: Need, filled: int, by: User, request: HttpRequest | None = None) -> Need:
    """How many of a research-assistant post's places are taken; never more than were posted."""
    if filled < 0 or filled > need.headcount:
        raise ValidationError(f"已到岗人数应在 0 到 {need.headcount} 之间")
    old = need.filled
    need.filled = filled
    need.save(update_fields=["filled", "updated_at"])
    audit_record(action="update", request=request, user=by, obj=need, detail={"filled": [old, filled]})
    return need


@transaction.atomic
def campaign_save(*, campaign: Campaign, enterprises: list[Enterprise], by: User,
                  request: HttpRequest | None = None) -> Campaign:
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
def visit_record(*, visit: Visit, by: User, request: HttpRequest | None = None) -> Visit:
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
    NEED_LIFE.record(need, move="import", label="表格导入", by=by, from_state="" if created else need.status,
                     reason="表格导入" if created else "表格导入更新")


@transaction.atomic
def catalog_adjust(*, scope: Any, year: int, key: str, demand: int | None, note: str, hidden: bool, by: User,
                   request: HttpRequest | None = None) -> CatalogAdjustment:
    """Staff's edit of one draft line; kept by key so it survives the draft being recomputed."""
    adjustment, _ = CatalogAdjustment.objects.update_or_create(
        city_id=scope.city_id, zone_id=scope.zone_id, year=year, key=key,
        defaults={"demand": demand, "note": note.strip(), "hidden": hidden, "updated_by": by})
    audit_record(action="update", request=request, user=by, obj=adjustment,
                 detail={"key": key, "demand": demand, "note": note, "hidden": hidden})
    return adjustment


@transaction.atomic
def catalog_publish(*, scope: Any, year: int, title: str, notes: str, by: User,
                    request: HttpRequest | None = None) -> CatalogEdition:
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
