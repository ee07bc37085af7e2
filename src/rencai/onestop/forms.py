"""Forms of this area, built on core.forms (ISO date widget)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from rencai.core.forms import DateField, ModelForm
from rencai.onestop.models import ExpertVisit, FamilyMember, ServiceItem
from rencai.onestop.services import RATING_TAGS
from rencai.talents.models import TalentType, Tier


class ItemForm(ModelForm):
    tiers = forms.MultipleChoiceField(label="适用人才层次", choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text="不选表示所有层次")
    talent_types = forms.MultipleChoiceField(label="适用人才类型", choices=TalentType.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple, help_text="不选表示所有类型")

    class Meta:
        model = ServiceItem
        fields = ["code", "name", "description", "tiers", "talent_types", "bureaus", "documents", "time_limit_days",
                  "task_limit_days", "without_application", "card_quota", "active"]
        widgets = {"bureaus": forms.CheckboxSelectMultiple, "documents": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 2})}


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
    token = forms.CharField(label="人才码", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="扫码枪扫描或粘贴人才码内容")


class FamilyForm(ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "id_number", "birth_year", "need"]


class VisitForm(ModelForm):
    item = forms.ModelChoiceField(label="转为服务申请", queryset=ServiceItem.objects.none(), required=False,
                                  help_text="走访中了解到的需求，直接转为该专家的服务申请")

    def __init__(self, *args: Any, items: Any = None, leaders: Any = None, talents: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("item", items), ("leader", leaders), ("talent", talents)):
            if queryset is not None:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    class Meta:
        model = ExpertVisit
        fields = ["leader", "talent", "on", "kind", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3})}


class WaitForm(forms.Form):
    arrival_on = DateField(label="到岗日期")


class MoveInForm(forms.Form):
    starts_on = DateField(label="入住日期")
    ends_on = DateField(label="租期至")
