"""Forms of this area, built on core.forms (ISO date widget)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import DateField, ModelForm
from rencai.needs.models import Kind
from rencai.onestop.models import Building, ExpertVisit, FamilyMember, ServiceItem, Unit
from rencai.onestop.services import RATING_TAGS
from rencai.orgs.models import Enterprise
from rencai.policies.models import BeneficiaryKind, Policy
from rencai.talents.models import TalentType, Tier


class ItemForm(ModelForm):
    tiers = forms.MultipleChoiceField(label="适用人才层次", choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text="不选表示所有层次")
    talent_types = forms.MultipleChoiceField(label="适用人才类型", choices=TalentType.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple, help_text="不选表示所有类型")

    class Meta:
        model = ServiceItem
        fields = ["code", "name", "description", "tiers", "talent_types", "bureaus", "documents", "time_limit_days",
                  "task_limit_days", "without_application", "card_quota", "policy", "active"]
        widgets = {"bureaus": forms.CheckboxSelectMultiple, "documents": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 2})}


    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # only talents' policies: the money part of a talent's request is that talent's entitlement
        cast(forms.ModelChoiceField, self.fields["policy"]).queryset = Policy.objects.filter(
            beneficiary_kind=BeneficiaryKind.TALENT)


class RequestForm(forms.Form):
    details = forms.CharField(label="具体诉求", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=1000)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(label="评价", coerce=int, widget=forms.RadioSelect,
                                   choices=[(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"),
                                            (1, "非常不满意")])
    tags = forms.MultipleChoiceField(label="标签", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[(t, t) for t in RATING_TAGS])
    comment = forms.CharField(label="意见", required=False, max_length=300)


class TokenForm(forms.Form):
    token = forms.CharField(label="人才码", max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),  # a scanner gun types here
                            help_text="用摄像头或扫码枪扫描，或粘贴人才码内容")


class FamilyForm(ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "id_number", "birth_year", "need"]


class VisitForm(ModelForm):
    item = forms.ModelChoiceField(label="转为服务申请", queryset=ServiceItem.objects.none(), required=False,
                                  help_text="走访中了解到的需求，直接转为该专家的服务申请")
    need_enterprise = forms.ModelChoiceField(
        label=_("转为企业需求：企业"), queryset=Enterprise.objects.none(), required=False,
        help_text=_("走访中了解到的企业技术或人才需求，登记为该企业的需求（直接发布，进入需求对接）"))
    need_kind = forms.ChoiceField(label=_("需求类型"), choices=Kind.choices, initial=Kind.TALENT, required=False)
    need_title = forms.CharField(label=_("需求名称"), max_length=200, required=False,
                                 help_text=_("不填则用“走访专家某某了解到的需求”；需求描述取“了解到的情况”"))

    def __init__(self, *args: Any, items: Any = None, leaders: Any = None, talents: Any = None,
                 enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("item", items), ("leader", leaders), ("talent", talents),
                               ("need_enterprise", enterprises)):
            if queryset is not None:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("need_title") or "").strip() and not data.get("need_enterprise"):
            self.add_error("need_enterprise", _("登记需求须选择提出需求的企业"))
        return data

    class Meta:
        model = ExpertVisit
        fields = ["leader", "talent", "on", "kind", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3})}


class WaitForm(forms.Form):
    arrival_on = DateField(label="到岗日期")


class MoveInForm(forms.Form):
    starts_on = DateField(label="入住日期")
    ends_on = DateField(label="租期至")


class BuildingForm(ModelForm):
    def __init__(self, *args: Any, zones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if zones is not None:
            cast(forms.ModelChoiceField, self.fields["zone"]).queryset = zones

    class Meta:
        model = Building
        fields = ["zone", "name", "address"]


class UnitForm(ModelForm):
    """A unit's facts; its status moves only by offer, move-in and vacating, so it is not on the form."""

    def __init__(self, *args: Any, buildings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if buildings is not None:
            cast(forms.ModelChoiceField, self.fields["building"]).queryset = buildings

    class Meta:
        model = Unit
        fields = ["building", "number", "layout", "area", "rent", "available_on"]


class CadenceForm(forms.Form):
    """One field per tier: days between two visits (empty: no reminder for that tier)."""

    def __init__(self, *args: Any, current: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tier, label in Tier.choices:
            self.fields[tier] = forms.IntegerField(label=label, required=False, min_value=1, max_value=3650,
                                                   initial=(current or {}).get(tier),
                                                   help_text=_("天；空表示不提醒"))

    def days(self) -> dict[str, int | None]:
        return {tier: self.cleaned_data.get(tier) for tier in Tier.values}
