"""Writes of this area: every change, its audit entry and its notices in one function.

The pipeline is one `core.lifecycle.Lifecycle` (INTENTION): each move is dated, by whom, in core.StateChange,
which is also where time in each stage is measured. A campaign narrows the stages it uses; a forward move may
skip only stages the campaign has switched off.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.crypto import lookup_hash
from rencai.core.lifecycle import SYSTEM, Lifecycle, Move
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.core.textnorm import fold_width, name_key
from rencai.core.validators import id_number_problem, mobile_problem, normalize_id_number, normalize_mobile
from rencai.recruitment.models import (
    PIPELINE,
    Campaign,
    Candidate,
    Competition,
    Criterion,
    Entry,
    Event,
    InsuranceRecord,
    Intention,
    Judge,
    Landing,
    Post,
    Round,
    Score,
    Source,
    Stage,
    Track,
)

OFFICE = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER})
HIRERS = OFFICE | {Role.ENTERPRISE}


def _no_skipped_stage(target: str) -> Any:
    def guard(intention: Intention, user: Any) -> str | None:
        enabled = intention.post.campaign.enabled_stages()
        if target not in enabled:
            return f"本活动未启用“{Stage(target).label}”阶段"
        here, there = PIPELINE.index(intention.stage), PIPELINE.index(target)
        skipped = [s for s in PIPELINE[here + 1:there] if s in enabled]
        if skipped:
            return f"不能跳过“{Stage(skipped[0]).label}”阶段（本活动启用了该阶段）"
        return None

    return guard


def _contract_uploaded(intention: Intention, user: Any) -> str | None:
    return None if intention.contract else "请先上传签约合同，再登记到岗"


def _forward(name: str, target: str, label: str, roles: frozenset[str], **extra: Any) -> Move:
    sources = tuple(PIPELINE[: PIPELINE.index(target)])
    guard = extra.pop("guard", None)
    skip = _no_skipped_stage(target)

    def both(obj: Any, user: Any) -> str | None:
        return skip(obj, user) or (guard(obj, user) if guard else None)

    return Move(name, sources, target, roles, label, guard=both, **extra)


def _hirers_of(intention: Intention) -> Iterable[User]:
    return intention.post.enterprise.members.all()


INTENTION = Lifecycle(
    field="stage", states=Stage, label="求职意向", kind="recruitment",
    moves=[
        _forward("contact", Stage.CONTACTED, "已联系", HIRERS),
        _forward("interview", Stage.INTERVIEWING, "安排面试", HIRERS),
        _forward("offer", Stage.OFFERED, "发出录用", HIRERS),
        _forward("sign", Stage.SIGNED, "签约", HIRERS),
        _forward("arrive", Stage.ARRIVED, "登记到岗", HIRERS, guard=_contract_uploaded),
        _forward("insure", Stage.INSURED, "区内参保", frozenset({SYSTEM}), hint="参保由人社局社保数据导入确认"),
        _forward("retain_6m", Stage.RETAINED_6M, "留任满6个月", frozenset({SYSTEM})),
        _forward("retain_12m", Stage.RETAINED_12M, "留任满12个月", frozenset({SYSTEM})),
        Move("lose", tuple(s for s in PIPELINE if s != Stage.RETAINED_12M), Stage.LOST, HIRERS | {SYSTEM},
             "登记流失", reason_required=True, notify=_hirers_of),
    ],
)


# --- saving an edited record: what did not change is not written, and not audited -------------------------------


def _changed(obj: Any) -> list[str]:
    """The concrete fields of an edited row that differ from the stored row (every field for a new row)."""
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key and not getattr(f, "auto_now_add", False)]
    if obj.pk is None:
        return [f.name for f in fields]
    before = type(obj)._base_manager.get(pk=obj.pk)
    return [f.name for f in fields if getattr(before, f.attname) != getattr(obj, f.attname)]


@transaction.atomic
def _record_save(*, obj: Any, by: User, request: HttpRequest | None = None,
                 m2m: dict[str, Sequence[Any]] | None = None) -> list[str]:
    """Validate and save a setup record; an edit saved unchanged writes nothing (no save, no audit entry).
    Returns the names of what changed."""
    created = obj.pk is None
    obj.full_clean(exclude=list(m2m or {}))
    changed = _changed(obj)
    m2m_changed = [name for name, values in (m2m or {}).items()
                   if created or set(getattr(obj, name).values_list("pk", flat=True)) != {v.pk for v in values}]
    if not changed and not m2m_changed:
        return []
    if created:
        obj.save()
    elif changed:
        obj.save(update_fields=[obj._meta.get_field(n).attname for n in changed])
    for name in m2m_changed:
        getattr(obj, name).set(list((m2m or {})[name]))
    audit_record(action="create" if created else "update", request=request, user=by, obj=obj,
                 detail={"fields": sorted(changed + m2m_changed)})
    return changed + m2m_changed


# --- campaigns -------------------------------------------------------------------------------------------------


def campaign_create(*, by: User, request: HttpRequest | None = None, **fields: Any) -> Campaign:
    campaign = Campaign(created_by=by, **fields)
    if campaign.zone is not None and not campaign.city_id:
        campaign.city_id = campaign.zone.city_id
    unknown = [s for s in campaign.stages if s not in PIPELINE]
    if unknown:
        raise ValidationError(f"未知的阶段：{'、'.join(unknown)}")
    campaign.full_clean()
    campaign.save()
    audit_record(action="create", request=request, user=by, obj=campaign)
    return campaign


def campaign_update(*, campaign: Campaign, by: User, request: HttpRequest | None = None) -> list[str]:
    """Save an edited campaign (name, period, zone, target, stages): nothing is written when nothing changed."""
    unknown = [s for s in campaign.stages if s not in PIPELINE]
    if unknown:
        raise ValidationError(f"未知的阶段：{'、'.join(unknown)}")
    if campaign.zone is not None:
        campaign.city_id = campaign.zone.city_id
    if campaign.ends_on < campaign.starts_on:
        raise ValidationError("结束日期不能早于开始日期")
    return _record_save(obj=campaign, by=by, request=request)


def event_add(*, campaign: Campaign, by: User, request: HttpRequest | None = None, **fields: Any) -> Event:
    event = Event(campaign=campaign, **fields)
    event.full_clean(exclude=["booth_staff"])
    event.save()
    audit_record(action="create", request=request, user=by, obj=event)
    return event


def event_update(*, event: Event, booth_staff: Sequence[User], by: User,
                 request: HttpRequest | None = None) -> list[str]:
    """Save an edited event and who staffs its booth; the new booth staff are told in their inbox."""
    before = set(event.booth_staff.values_list("pk", flat=True)) if event.pk else set()
    changed = _record_save(obj=event, by=by, request=request, m2m={"booth_staff": booth_staff})
    added = [u for u in booth_staff if u.pk not in before]
    if added:
        from django.urls import reverse

        from rencai.core import inbox

        inbox.notify(recipients=added, kind="recruitment", text=f"您被安排为招聘场次“{event}”的展位工作人员",
                     subject=event, dedupe_key=f"recruit-booth:{event.pk}",
                     url=reverse("recruitment:booth", args=[event.pk]))
    return changed


def campaigns_open_to_enterprises(enterprises: Any) -> Any:
    """Campaigns an enterprise may join with a post: those of its zone and the city-wide ones of its city, not over."""
    from django.db.models import Q

    zones = [e.zone_id for e in enterprises]
    cities = list({e.zone.city_id for e in enterprises})
    return Campaign.objects.filter(Q(zone__in=zones) | Q(zone__isnull=True, city__in=cities),
                                   ends_on__gte=timezone.localdate())


def _enterprise_may_offer(*, campaign: Campaign, need: Any, by: User) -> None:
    """An enterprise user's post: only from its own need, once the office has published it (the needs lifecycle:
    待审核 → 审核通过并发布), for a campaign of its zone or city that is not over."""
    from rencai.needs.models import OPEN_STATUSES
    from rencai.orgs.models import Enterprise

    if need is None:
        raise ValidationError("企业用户请从本企业已发布的需求中选择岗位")
    own = Enterprise.objects.filter(members=by)
    if not own.filter(pk=need.enterprise_id).exists():
        raise ValidationError("只能为本企业的需求添加岗位")
    if need.status not in OPEN_STATUSES:
        raise ValidationError(f"需求“{need.title}”当前为{need.get_status_display()}，"
                              "须经人才办审核发布后才能作为招聘岗位")
    if not campaigns_open_to_enterprises(own.filter(pk=need.enterprise_id)).filter(pk=campaign.pk).exists():
        raise ValidationError(f"“{campaign}”不接受本企业报名岗位（不在本企业所在区域或活动已结束）")
    if Post.objects.filter(campaign=campaign, need=need).exists():
        raise ValidationError(f"需求“{need.title}”已经是本活动的岗位")


def post_add(*, campaign: Campaign, by: User,
             request: HttpRequest | None = None, need: Any = None, **fields: Any) -> Post:
    """A post of a participating enterprise, taken from one of its needs (人才引进 / 科研助理岗位) or added.
    An enterprise user adds posts for itself only, from needs the office has published."""
    from rencai.needs.models import Kind

    if by.role == Role.ENTERPRISE:
        _enterprise_may_offer(campaign=campaign, need=need, by=by)
        fields.pop("enterprise", None)
    if need is not None:
        if need.kind not in (Kind.TALENT, Kind.ASSISTANT):
            raise ValidationError("只有“人才引进”和“科研助理岗位”类需求可以作为招聘岗位")
        fields.setdefault("enterprise", need.enterprise)
        fields.setdefault("title", need.title)
        fields.setdefault("field_text", need.field_text)
        fields.setdefault("headcount", need.headcount)
    post = Post(campaign=campaign, need=need, **fields)
    post.full_clean()
    post.save()
    audit_record(action="create", request=request, user=by, obj=post)
    if by.role == Role.ENTERPRISE:
        from rencai.core import inbox

        inbox.notify(recipients=[campaign.created_by], kind="recruitment",
                     text=f"{post.enterprise.name}为“{campaign}”添加了岗位“{post.title}”", subject=post,
                     dedupe_key=f"recruit-post:{post.pk}")
    return post


def post_update(*, post: Post, by: User, request: HttpRequest | None = None) -> list[str]:
    return _record_save(obj=post, by=by, request=request)


# --- candidates and intentions ---------------------------------------------------------------------------------


def clean_person(*, name: str, id_number: str = "", phone: str = "",
                 birth_date: datetime.date | None = None) -> dict[str, Any]:
    """Check and normalise what identifies a person; ValidationError({field: Chinese message}) when wrong."""
    errors: dict[str, str] = {}
    name = fold_width(name or "").strip()
    if not name:
        errors["name"] = "请填写姓名"
    id_number = normalize_id_number(id_number or "") if id_number else ""
    if id_number:
        problem = id_number_problem(id_number)
        if problem:
            errors["id_number"] = problem
    phone = (phone or "").strip()
    if phone:
        problem = mobile_problem(phone)
        if problem:
            errors["phone"] = problem
        else:
            phone = normalize_mobile(phone)
    if not id_number and not phone and not birth_date:
        errors["phone"] = "请至少填写身份证号、手机号或出生日期之一，以便识别同一人"
    if errors:
        raise ValidationError(errors)
    if id_number and not birth_date:
        birth_date = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return {"name": name, "id_number": id_number, "phone": phone, "birth_date": birth_date}


def find_candidate(*, name: str, id_number: str = "", phone: str = "",
                   birth_date: datetime.date | None = None) -> Candidate | None:
    """The same person: by ID number where given, else by name with phone, else by name with birth date."""
    base = Candidate.objects.all()
    if id_number:
        found = base.filter(id_number_hash=lookup_hash(id_number)).first()
        if found is not None:
            return found
    key = name_key(name)
    if phone:
        found = base.filter(name_key=key, phone_hash=lookup_hash(phone)).first()
        if found is not None and (not id_number or not found.id_number):
            return found
    if birth_date:
        found = base.filter(name_key=key, birth_date=birth_date).first()
        if found is not None and (not id_number or not found.id_number):
            return found
    return None


@transaction.atomic
def intention_capture(*, post: Post, event: Event | None, consent: bool, source: str, by: User | None,
                      request: HttpRequest | None = None, name: str, id_number: str = "", phone: str = "",
                      birth_date: datetime.date | None = None, **profile: Any) -> Intention:
    """Register a hiring intention (the QR form or staff entry). Nothing is stored without consent."""
    errors: dict[str, list[str]] = {}
    try:
        person = clean_person(name=name, id_number=id_number, phone=phone, birth_date=birth_date)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    if not consent:
        errors["consent"] = ["须同意个人信息处理规则后才能提交；未同意时不会保存任何信息"]
    if errors:
        raise ValidationError(errors)
    if event is not None and event.campaign_id != post.campaign_id:
        raise ValidationError("岗位与场次不属于同一个招才活动")
    candidate = find_candidate(**person)
    profile = {k: (v or "").strip() for k, v in profile.items() if k in ("gender", "degree", "university", "major")}
    if candidate is None:
        candidate = Candidate(consent_at=timezone.now(), **person, **profile)
        candidate.save()
        audit_record(action="create", request=request, user=by, obj=candidate, detail={"source": source})
    else:
        changed = False
        for key, value in {**person, **profile}.items():
            if value and not getattr(candidate, key):
                setattr(candidate, key, value)
                changed = True
        candidate.consent_at = timezone.now()
        candidate.save()
        if changed:
            audit_record(action="update", request=request, user=by, obj=candidate, detail={"source": source})
    existing = Intention.objects.filter(candidate=candidate, post=post, event=event).first()
    if existing is not None:
        return existing
    intention = Intention.objects.create(candidate=candidate, post=post, event=event, source=source, created_by=by)
    INTENTION.record(intention, move="capture", label=str(Source(source).label), by=by,
                     on=timezone.localdate(), data={"source": source, "event": event.pk if event else None})
    audit_record(action="create", request=request, user=by, obj=intention, detail={"source": source})
    from rencai.core import inbox

    inbox.notify(recipients=list(post.enterprise.members.all()), kind="recruitment",
                 text=f"新的求职意向：{candidate.name} → {post.title}", subject=intention,
                 dedupe_key=f"recruit-intention:{intention.pk}", url=intention.get_absolute_url())
    return intention


def intention_move(*, intention: Intention, move: str, by: User | None, reason: str = "",
                   request: HttpRequest | None = None,
                   on: datetime.date | None = None) -> Intention:
    """One move of the pipeline; arrival also enters the talent in the register and looks for insurance."""
    on = on or timezone.localdate()

    def apply(fresh: Intention) -> None:
        if move == "sign":
            fresh.signed_on = on
        elif move == "arrive":
            fresh.arrived_on = on
        elif move == "lose":
            fresh.lost_reason = reason[:200]

    fresh = INTENTION.transition(intention, move=move, by=by, reason=reason, request=request, on=on, apply=apply)
    if move == "arrive":
        _talent_for(fresh, by=by, request=request)
        _insure_from_records(fresh)
    return fresh


def contract_upload(*, intention: Intention, file: UploadedFile, by: User,
                    request: HttpRequest | None = None) -> Intention:
    if intention.stage not in (Stage.OFFERED, Stage.SIGNED, Stage.INTERVIEWING, Stage.CONTACTED, Stage.CAPTURED):
        raise ValidationError("到岗后不能再更换签约合同")
    if (file.size or 0) > 20 * 1024 * 1024:
        raise ValidationError("合同文件不能超过 20 MB")
    with transaction.atomic():
        fresh = Intention.objects.select_for_update().get(pk=intention.pk)
        fresh.contract.save(file.name, file, save=True)
        audit_record(action="update", request=request, user=by, obj=fresh, detail={"contract": fresh.contract.name})
    intention.contract = fresh.contract
    return fresh


def _talent_for(intention: Intention, *, by: User | None, request: HttpRequest | None = None) -> Any:
    """Create or update the talent in the register (tier by the rules) for an arrived hire."""
    from rencai.talents.models import Talent, TalentType
    from rencai.talents.services import talent_save

    candidate = intention.candidate
    enterprise = intention.post.enterprise
    talent = candidate.talent
    if talent is None and candidate.id_number:
        talent = Talent.objects.filter(id_number_hash=lookup_hash(candidate.id_number)).first()
    if talent is None and candidate.phone:
        talent = Talent.objects.filter(name_key=name_key(candidate.name),
                                       phone_hash=lookup_hash(candidate.phone)).first()
    if talent is None:
        talent = Talent(zone=enterprise.zone, name=candidate.name)
    for field in ("id_number", "phone", "birth_date", "gender", "degree", "major"):
        value = getattr(candidate, field)
        if value and not getattr(talent, field):
            setattr(talent, field, value)
    if candidate.university and not talent.graduated_from:
        talent.graduated_from = candidate.university
    if candidate.degree and not talent.education:
        talent.education = {"博士": "博士研究生", "硕士": "硕士研究生"}.get(candidate.degree, candidate.degree)
    talent.employer = enterprise.name
    talent.talent_type = TalentType.FULL_TIME
    talent.zone = enterprise.zone
    talent = talent_save(talent=talent, by=by, request=request)
    Candidate.objects.filter(pk=candidate.pk).update(talent=talent)
    Intention.objects.filter(pk=intention.pk).update(talent=talent)
    intention.talent = talent
    return talent


def _insure_from_records(intention: Intention) -> bool:
    """Arrived and paying social insurance in the zone: mark insured and offer the introduction reward."""
    if intention.stage != Stage.ARRIVED or not intention.candidate.id_number_hash or not intention.arrived_on:
        return False
    first_month = intention.arrived_on.replace(day=1) - datetime.timedelta(days=62)
    record = (InsuranceRecord.objects.filter(zone=intention.post.enterprise.zone_id,
                                             id_number_hash=intention.candidate.id_number_hash,
                                             month__gte=first_month).order_by("month").first())
    if record is None:
        return False
    InsuranceRecord.objects.filter(pk=record.pk, intention__isnull=True).update(intention=intention)

    def apply(fresh: Intention) -> None:
        fresh.insured_on = record.month

    fresh = INTENTION.transition(intention, move="insure", by=None, on=record.month, apply=apply,
                                 data={"insurance_record": record.pk})
    reward_offer(intention=fresh)
    return True


def reward_offer(*, intention: Intention) -> Any:
    """The introduction reward through policies (免申即享): one entitlement per talent, however often called."""
    from rencai.policies.autogrant import system_user
    from rencai.policies.facts import facts_for
    from rencai.policies.models import AUTO_SOURCE, Entitlement, Policy
    from rencai.policies.rules import evaluate_conditions
    from rencai.policies.services import beneficiary_key, entitlement_grant, version_in_force

    talent = intention.talent
    code = intention.post.campaign.reward_policy_code
    policy = Policy.objects.filter(code=code, active=True).first()
    if talent is None or policy is None:
        return None
    already = Entitlement.objects.filter(policy=policy, beneficiary_key=beneficiary_key(talent)).first()
    if already is None:
        today = timezone.localdate()
        try:
            version = version_in_force(policy, today)
        except ValidationError:
            return None
        if not all(r.held for r in evaluate_conditions(version.conditions, facts_for(talent, today))):
            return None
        try:
            already = entitlement_grant(policy_code=code, beneficiary=talent, source=AUTO_SOURCE, by=system_user(),
                                        today=today)
        except ValidationError:
            return None
    Intention.objects.filter(pk=intention.pk).update(entitlement=already)
    intention.entitlement = already
    return already


def insurance_records_write(rows: Sequence[dict[str, Any]], *, zone: Any, by: User | None) -> dict[str, int]:
    """The importer's write: new monthly records, then every arrived hire they prove is marked insured."""
    created = 0
    hashes: set[str] = set()
    for row in rows:
        _, new = InsuranceRecord.objects.get_or_create(
            zone=zone, id_number_hash=row["id_number_hash"], month=row["month"],
            defaults={"name": row["name"], "employer": row.get("employer", ""),
                      "credit_code": row.get("credit_code", "")})
        created += int(new)
        hashes.add(row["id_number_hash"])
    insured = 0
    waiting = (Intention.objects.filter(stage=Stage.ARRIVED, post__enterprise__zone=zone,
                                        candidate__id_number_hash__in=hashes)
               .select_related("candidate", "post__enterprise", "post__campaign", "talent"))
    for intention in waiting:
        insured += int(_insure_from_records(intention))
    # A hire already insured whose reward was not offered yet (the policy arrived later): offer it now, once.
    for intention in (Intention.objects.filter(stage=Stage.INSURED, entitlement__isnull=True,
                                               candidate__id_number_hash__in=hashes, post__enterprise__zone=zone)
                      .select_related("post__campaign", "talent")):
        reward_offer(intention=intention)
    return {"created": created, "insured": insured}


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def retention_check(today: datetime.date) -> dict[str, int]:
    """Daily: hires still insured 6 and 12 months after arrival move on; those whose insurance stopped are lost."""
    counts = {"retained_6m": 0, "retained_12m": 0, "lost": 0}
    for stage, months, move, stage_to in ((Stage.INSURED, 6, "retain_6m", "retained_6m"),
                                          (Stage.RETAINED_6M, 12, "retain_12m", "retained_12m")):
        due = (Intention.objects.filter(stage=stage, arrived_on__isnull=False)
               .select_related("candidate", "post__enterprise", "post__campaign"))
        for intention in due:
            assert intention.arrived_on is not None
            if _months_later(intention.arrived_on, months) > today:
                continue
            last_needed = _months_later(intention.arrived_on, months - 1)
            paid = InsuranceRecord.objects.filter(zone=intention.post.enterprise.zone_id,
                                                  id_number_hash=intention.candidate.id_number_hash,
                                                  month__gte=last_needed).exists()
            if paid:
                intention_move(intention=intention, move=move, by=None, on=today)
                counts[str(stage_to)] += 1
            elif _months_later(intention.arrived_on, months + 2) <= today:
                intention_move(intention=intention, move="lose", by=None, on=today,
                               reason=f"社保数据显示未在区内连续参保满{months}个月")
                counts["lost"] += 1
    return counts


def describe_retention(summary: dict[str, Any]) -> str:
    return (f"留任满6个月 {summary.get('retained_6m', 0)} 人，满12个月 {summary.get('retained_12m', 0)} 人，"
            f"流失 {summary.get('lost', 0)} 人")


# --- competitions ------------------------------------------------------------------------------------------------


def judge_conflicts(judge: Judge, entry: Entry) -> list[str]:
    """Why this judge may not score this entry (the conflict rules of the challenges area): same unit as the team,
    a member of the team, or a conflict the judge declared."""
    reasons: list[str] = []
    unit = name_key(judge.unit or "")
    if unit and unit == name_key(entry.unit or ""):
        reasons.append(f"与参赛团队同一单位（{judge.unit}）")
    written = (entry.members or "").replace("，", "、").replace(",", "、")
    members = {name_key(m) for m in written.split("、") if m.strip()}
    if name_key(judge.name) in members | {name_key(entry.leader)}:
        reasons.append("是参赛团队成员")
    if judge.pk and entry.pk and judge.declared.filter(pk=entry.pk).exists():
        reasons.append("本人申报回避")
    return reasons


@transaction.atomic
def score_record(*, judge: Judge, entry: Entry, round: Round, values: dict[int, Decimal], by: User,
                 request: HttpRequest | None = None) -> list[Score]:
    """A judge's scores for one entry in one round, one per criterion of the rubric (0–100)."""
    conflicts = judge_conflicts(judge, entry)
    if conflicts:
        raise ValidationError(f"评委“{judge}”须回避项目“{entry}”：{'；'.join(conflicts)}")
    if entry.reached_id != round.pk:
        raise ValidationError(f"项目“{entry}”不在{round}")
    criteria = {c.pk: c for c in judge.competition.criteria.all()}
    if set(values) != set(criteria):
        raise ValidationError("须对每个评分项打分")
    saved = []
    for pk, value in values.items():
        if not Decimal(0) <= Decimal(value) <= Decimal(100):
            raise ValidationError(f"{criteria[pk].name}的得分应在 0 到 100 之间")
        score, _ = Score.objects.update_or_create(judge=judge, entry=entry, round=round, criterion=criteria[pk],
                                                  defaults={"value": Decimal(value)})
        saved.append(score)
    audit_record(action="update", request=request, user=by, obj=entry,
                 detail={"judge": judge.pk, "round": round.pk, "scores": {str(k): str(v) for k, v in values.items()}})
    return saved


def weighted_total(entry: Entry, round: Round) -> Decimal | None:
    """The average over judges of Σ weight × score / Σ weight; None before anyone scored."""
    criteria = {c.pk: c.weight for c in round.competition.criteria.all()}
    total_weight = sum(criteria.values(), Decimal(0)) or Decimal(1)
    per_judge: dict[int, Decimal] = {}
    for s in Score.objects.filter(entry=entry, round=round):
        per_judge[s.judge_id] = per_judge.get(s.judge_id, Decimal(0)) + criteria.get(s.criterion_id, 0) * s.value
    if not per_judge:
        return None
    return (sum(per_judge.values(), Decimal(0)) / len(per_judge) / total_weight).quantize(Decimal("0.01"))


def ranking(round: Round, track: Any) -> list[tuple[Entry, Decimal | None]]:
    entries = list(Entry.objects.filter(track=track, reached=round))
    scored = [(e, weighted_total(e, round)) for e in entries]
    return sorted(scored, key=lambda pair: (pair[1] is None, -(pair[1] or 0), pair[0].pk))


@transaction.atomic
def round_close(*, round: Round, by: User,
                request: HttpRequest | None = None, today: datetime.date | None = None) -> dict[str, int]:
    """The best `quota` entries of each track move to the next round; after the last round they win the fast track."""
    today = today or timezone.localdate()
    nxt = Round.objects.filter(competition=round.competition, seq__gt=round.seq).order_by("seq").first()
    advanced = 0
    for track in round.competition.tracks.all():
        for entry, total in ranking(round, track)[: round.quota]:
            if total is None:
                continue
            if nxt is not None:
                entry.reached = nxt
                entry.save(update_fields=["reached"])
            else:
                entry.winner = True
                entry.landing = Landing.PENDING
                entry.landing_due = _months_later(today, round.competition.landing_months)
                entry.save(update_fields=["winner", "landing", "landing_due"])
            advanced += 1
    audit_record(action="update", request=request, user=by, obj=round.competition,
                 detail={"round": round.name, "advanced": advanced, "final": nxt is None})
    return {"advanced": advanced}


def landing_check(today: datetime.date) -> dict[str, int]:
    """Daily: a winner whose company (by credit code) is registered in the zone has landed; overdue, lapsed."""
    from rencai.orgs.models import Enterprise

    counts = {"landed": 0, "lapsed": 0}
    for entry in Entry.objects.filter(landing=Landing.PENDING).select_related("track__competition"):
        competition = entry.track.competition
        found = None
        if entry.credit_code:
            zones = Enterprise.objects.filter(credit_code=entry.credit_code.strip().upper())
            if competition.zone_id:
                zones = zones.filter(zone=competition.zone_id)
            else:
                zones = zones.filter(zone__city=competition.city_id)
            found = zones.first()
        if found is not None:
            entry.landing, entry.landed_enterprise = Landing.LANDED, found
            counts["landed"] += 1
        elif entry.landing_due and entry.landing_due < today:
            entry.landing = Landing.LAPSED
            counts["lapsed"] += 1
        else:
            continue
        entry.save(update_fields=["landing", "landed_enterprise"])
        audit_record(action="update", user=None, obj=entry, detail={"landing": entry.landing})
    return counts


def describe_landing(summary: dict[str, Any]) -> str:
    return f"获奖项目落地 {summary.get('landed', 0)} 个，逾期未落地 {summary.get('lapsed', 0)} 个"


def criterion_add(*, competition: Competition, name: str, weight: Decimal) -> Criterion:
    return Criterion.objects.create(competition=competition, name=name, weight=weight)


# --- setting a competition up: the competition, its tracks, rounds, rubric, judges and entries ----------------------


def competition_save(*, competition: Competition, by: User, request: HttpRequest | None = None) -> list[str]:
    if competition.zone is not None:
        competition.city_id = competition.zone.city_id
    elif not competition.city_id and by.city_id:
        competition.city_id = by.city_id
    return _record_save(obj=competition, by=by, request=request)


def competition_part_save(*, obj: Track | Round | Criterion, by: User,
                          request: HttpRequest | None = None) -> list[str]:
    """A track, a round or a rubric line of a competition."""
    if isinstance(obj, Round) and obj.quota < 1:
        raise ValidationError("晋级名额至少为 1")
    if isinstance(obj, Criterion) and obj.weight is not None and obj.weight <= 0:
        raise ValidationError("权重须大于零")
    return _record_save(obj=obj, by=by, request=request)


def judge_save(*, judge: Judge, declared: Sequence[Entry], by: User,
               request: HttpRequest | None = None) -> list[str]:
    """A judge and the entries they declared a conflict with (the same competition's only)."""
    if any(e.track.competition_id != judge.competition_id for e in declared):
        raise ValidationError("申报回避的项目须是本大赛的项目")
    if judge.user is not None and judge.user.role != Role.EXPERT:
        raise ValidationError("评委账号须是“评审专家”角色")
    return _record_save(obj=judge, by=by, request=request, m2m={"declared": declared})


def entry_save(*, entry: Entry, by: User, request: HttpRequest | None = None) -> list[str]:
    """An entry of a track; a new one starts in the first round."""
    competition = entry.track.competition
    if entry.reached_id is None:
        first = competition.rounds.order_by("seq").first()
        if first is None:
            raise ValidationError("请先为大赛添加比赛轮次，再登记参赛项目")
        entry.reached = first
    if entry.reached.competition_id != competition.pk:
        raise ValidationError("所在轮次须是本大赛的轮次")
    entry.credit_code = (entry.credit_code or "").strip().upper()
    if entry.credit_code:
        from rencai.core.validators import credit_code_problem

        problem = credit_code_problem(entry.credit_code)
        if problem:
            raise ValidationError({"credit_code": problem})
    return _record_save(obj=entry, by=by, request=request)
