"""Pages of the talent register: list with filters and export, detail, edit, tier rules."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.db.models import Field, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, deny
from rencai.core.audit import audit_record
from rencai.core.exports import Column, export_queryset
from rencai.core.listing import Filter, ListSpec, facet_counts, filtered, name_key_search, paginate, zone_choices
from rencai.core.parts import add_part
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import city_level_refusal, is_city_level, visible_related
from rencai.core.sensitive import can_reveal, masked_value, may_reveal_any
from rencai.talents import selectors
from rencai.talents.forms import AchievementForm, EducationForm, EmploymentForm, TalentForm, TierRuleForm
from rencai.talents.models import EDUCATION_LEVELS, FlexibleMode, Talent, TalentType, Tier, TierRule
from rencai.talents.services import talent_save, tiers_reclassify
from rencai.talents.tiers import describe_condition

READERS = REGISTER_READERS | {Role.LIAISON}


SPEC = ListSpec(
    search_fields=["name", "name_key", "research_directions", "employer", "major", "discipline", "title",
                   "achievements"],
    extra_search=name_key_search,  # the search folded too: 陳靜 finds 陈静 as 陈静 finds 陳靜
    search_label=_("姓名、研究方向、单位、专业"),
    filters=[
        Filter("tier", _("层次"), "tier", Tier.choices),
        Filter("type", _("人才类型"), "talent_type", TalentType.choices),
        Filter("mode", _("柔性方式"), "flexible_mode", FlexibleMode.choices),
        Filter("edu", _("最高学历"), "education", [(e, e) for e in EDUCATION_LEVELS]),
        Filter("zone", _("旗区/园区"), "zone", zone_choices),
    ],
    sorts=[("-updated_at", _("最近更新")), ("name", _("姓名")), ("tier,name", _("层次")),
           ("-birth_date", _("年龄从小到大"))],
)


def _talents(request: AuthedRequest):
    by_id = request.GET.get("q", "").strip()
    queryset = selectors.talent_list(request.user)
    if len(by_id) == 18 or (len(by_id) == 11 and by_id.isdigit()):
        # An exact ID number or phone is found through its keyed hash, never by decrypting everything.
        from rencai.core.crypto import lookup_hash

        digest = lookup_hash(by_id.upper())
        return queryset.filter(Q(id_number_hash=digest) | Q(phone_hash=digest)), filtered(
            request, queryset.none(), SPEC)[1]
    return filtered(request, queryset, SPEC)


@allow(*READERS)
def talent_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = _talents(request)
    page = paginate(request, queryset, SPEC)
    context = {"page": page, "state": state, "spec": SPEC, "can_write": request.user.role in REGISTER_WRITERS,
               "reveal_possible": may_reveal_any(request.user, Talent),
               "tier_counts": facet_counts(queryset, "tier", page)}
    template = "talents/list.html#results" if request.htmx else "talents/list.html"
    return render(request, template, context)


EXPORT_COLUMNS = [
    Column("姓名", "name"), Column("性别", "gender"), Column("出生日期", "birth_display"),
    Column("身份证号", "id_number", sensitive=True), Column("手机号", "phone", sensitive=True),
    Column("最高学历", "education"), Column("最高学位", "degree"), Column("毕业院校", "graduated_from"),
    Column("所学专业", "major"), Column("一级学科", "discipline"), Column("研究方向", "research_directions"),
    Column("职称", "title"), Column("工作单位", "employer"), Column("人才类型", "talent_type"),
    Column("柔性方式", "flexible_mode"), Column("人才层次", "tier"),
    Column("分层依据", lambda t: "人工认定" if t.tier_manual else (t.tier_rule.name if t.tier_rule else "")),
    Column("代表性成果", "achievements"), Column("所在地区", "region"), Column("旗区/园区", lambda t: t.zone.name),
    Column("备注", "remarks"),
]


@allow(*READERS)
def talent_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = _talents(request)
    return export_queryset(request, queryset=queryset, columns=EXPORT_COLUMNS, title="人才信息",
                           filters=state.selected | {"q": state.q})


def _talent_for(request: AuthedRequest, pk: int) -> tuple[Talent, bool]:
    """The talent if this user may see it, and whether they may change it."""
    talent = selectors.talent_get(request.user, pk)
    return talent, request.user.role in REGISTER_WRITERS


@allow(*READERS, Role.TALENT)
def talent_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    talent, can_write = _talent_for(request, pk)
    audit_record(action="view", request=request, obj=talent)
    # the sensitive fields are concrete model fields (never relations), so get_field gives a Field
    sensitive = [
        {"field": f, "label": cast(Field, Talent._meta.get_field(f)).verbose_name, "masked": masked_value(talent, f),
         "can_reveal": can_reveal(request.user, talent, f), "has_value": bool(getattr(talent, f))}
        for f in Talent.sensitive_fields
    ]
    rule_text = [describe_condition(c) for c in talent.tier_rule.conditions] if talent.tier_rule else []
    return render(request, "talents/detail.html", {
        "talent": talent, "can_write": can_write, "sensitive": sensitive, "rule_text": rule_text,
        "educations": visible_related(talent.educations, request.user),
        "employments": visible_related(talent.employments, request.user),
        "achievements": visible_related(talent.achievement_items, request.user), "model_label": "talents.talent",
        "part_forms": {name: form() for name, form in PART_FORMS.items()} if can_write else {},
    })


@allow(Role.TALENT)
def talent_mine(request: AuthedRequest) -> HttpResponse:
    talent = selectors.talent_of_user(request.user)
    if talent is None:
        raise Http404("还没有与您的账号关联的人才档案，请联系人才办")
    return redirect("talents:detail", pk=talent.pk)


@allow(*REGISTER_WRITERS)
def talent_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    talent = _talent_for(request, pk)[0] if pk else Talent(zone=request.user.zone)
    form = TalentForm(request.POST or None, instance=talent, zones=request.user.visible_zones())
    if request.method == "POST" and form.is_valid():
        talent = talent_save(talent=form.save(commit=False), by=request.user, request=request)
        form.save_m2m()
        messages.success(request, f"已保存 {talent.name} 的档案")
        return redirect("talents:detail", pk=talent.pk)
    return render(request, "talents/edit.html", {"form": form, "talent": talent})


PART_FORMS = {"education": EducationForm, "employment": EmploymentForm, "achievement": AchievementForm}


@allow(*REGISTER_WRITERS)
@require_POST
def talent_add_part(request: AuthedRequest, pk: int, part: str) -> HttpResponse:
    """Add a degree, a job or an itemised achievement to a talent's record."""
    talent, _ = _talent_for(request, pk)
    form_class = PART_FORMS.get(part)
    if form_class is not None:
        add_part(request, parent=talent, parent_field="talent", form=form_class(request.POST))
    return redirect("talents:detail", pk=pk)


@allow(*REGISTER_WRITERS)
def tier_rules(request: AuthedRequest) -> HttpResponse:
    rules = selectors.tier_rule_list()
    rows = [{"rule": r, "conditions": [describe_condition(c) for c in r.conditions]} for r in rules]
    context = {"rows": rows, "can_edit": request.user.role == Role.OFFICE_ADMIN and is_city_level(request.user)}
    return render(request, "talents/tier_rules.html", context)


@allow(Role.OFFICE_ADMIN)
def tier_rule_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    rule = selectors.tier_rule_get(pk) if pk else TierRule()
    if not is_city_level(request.user):
        if request.method == "POST":
            return deny(request, city_level_refusal("分层规则"))
        messages.warning(request, city_level_refusal("分层规则"))
    form = TierRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule = form.save()
        audit_record(action="update" if pk else "create", request=request, obj=rule)
        changed = tiers_reclassify(by=request.user, request=request)
        messages.success(request, f"规则已保存；按新规则重新分层，{changed} 人的层次有变化")
        return redirect("talents:tier_rules")
    return render(request, "talents/tier_rule_edit.html", {"form": form, "rule": rule})


@allow(Role.OFFICE_ADMIN)
@require_POST
def tier_reclassify(request: AuthedRequest) -> HttpResponse:
    if not is_city_level(request.user):  # reclassifying touches the talents of every zone
        return deny(request, city_level_refusal("人才分层"))
    changed = tiers_reclassify(by=request.user, request=request)
    messages.success(request, f"已按当前规则重新分层，{changed} 人的层次有变化")
    return redirect("talents:tier_rules")

