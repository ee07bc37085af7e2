from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.catalogs import disciplines
from rencai.core.forms import ModelForm
from rencai.needs.fields import level_from_text, map_field
from rencai.needs.models import Campaign, Need, Visit
from rencai.orgs.industry import find_industry_code
from rencai.orgs.models import Enterprise


def _discipline_choices() -> list[tuple[str, str]]:
    return [("", "（按所属领域自动识别）")] + [(d.code, d.label) for d in disciplines(professional=False)]


class NeedForm(ModelForm):
    discipline_code = forms.ChoiceField(label=_("一级学科"), required=False, choices=_discipline_choices)
    industry = forms.CharField(label=_("所属行业"), required=False,
                               help_text=_("国民经济行业分类的门类或大类，如 C32；留空则取企业的行业"))

    class Meta:
        model = Need
        fields = ["enterprise", "visit", "kind", "title", "description", "field_text", "discipline_code",
                  "expected_talent", "level", "headcount", "urgency", "budget", "contact_name", "contact_phone",
                  "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_talent": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"level": _("留空或选“不限”时按期望人才中写的学历识别"),
                      "headcount": _("科研助理岗位填写岗位数")}

    def __init__(self, *args: Any, enterprises: Any, visits: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        cast(ModelChoiceField, self.fields["enterprise"]).empty_label = None
        self.fields["industry"].initial = self.instance.industry_code
        if visits is None:
            del self.fields["visit"]
        else:
            cast(ModelChoiceField, self.fields["visit"]).queryset = visits
            self.fields["visit"].required = False

    def clean_industry(self) -> str:
        given = self.cleaned_data.get("industry", "").strip()
        if not given:
            return ""
        code = find_industry_code(given)
        if not code:
            raise forms.ValidationError(f"“{given}”不在国民经济行业分类中")
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns, typed as a dict
        visit, enterprise = data.get("visit"), data.get("enterprise")
        if visit and enterprise and visit.enterprise_id != enterprise.pk:
            self.add_error("visit", "这次走访的不是所选企业")
        return data

    def save(self, commit: bool = True) -> Need:
        need = self.instance
        mapping = map_field(need.field_text)
        chosen = self.cleaned_data.get("discipline_code") or ""
        if need.pk is None or "discipline_code" in self.changed_data:
            # a discipline chosen by hand stays; none chosen: mapped from 所属领域 (catalog, then thesaurus)
            need.discipline_code = chosen or mapping.discipline_code
            need.discipline_source = Need.DisciplineSource.STAFF if chosen else mapping.source
        elif "field_text" in self.changed_data and need.discipline_source != Need.DisciplineSource.STAFF:
            need.discipline_code, need.discipline_source = mapping.discipline_code, mapping.source
        need.industry_code = (self.cleaned_data.get("industry") or mapping.industry_code
                              or (need.enterprise.industry_code if need.enterprise_id else ""))
        if need.level == "不限":
            need.level = level_from_text(need.expected_talent)
        return super().save(commit=commit)


class DisciplineForm(forms.Form):
    """Staff correct the 一级学科 a need's 所属领域 was mapped to; empty maps it again from 所属领域."""

    discipline_code = forms.ChoiceField(label=_("一级学科"), required=False, choices=_discipline_choices)


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("说明"), required=False, max_length=300)


class FilledForm(forms.Form):
    filled = forms.IntegerField(label=_("已到岗人数"), min_value=0)


class CampaignForm(ModelForm):
    bureaus_text = forms.CharField(label=_("参与部门"), help_text=_("用顿号或逗号分隔，如 科技局、工信局、农牧局"))
    enterprises = forms.ModelMultipleChoiceField(label=_("走访企业"), queryset=Enterprise.objects.none(),
                                                 required=False, widget=forms.SelectMultiple(attrs={"size": 10}))

    class Meta:
        model = Campaign
        fields = ["name", "zone", "starts_on", "ends_on"]

    def __init__(self, *args: Any, zones: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = zones
        cast(ModelChoiceField, self.fields["enterprises"]).queryset = enterprises
        self.fields["bureaus_text"].initial = "、".join(self.instance.bureaus or [])
        if self.instance.pk:
            self.fields["enterprises"].initial = list(self.instance.enterprises.values_list("pk", flat=True))

    def clean_bureaus_text(self) -> list[str]:
        from rencai.core.textnorm import split_terms

        bureaus = list(dict.fromkeys(split_terms(self.cleaned_data["bureaus_text"])))
        if not bureaus:
            raise forms.ValidationError("至少填写一个参与部门")
        return bureaus

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns, typed as a dict
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        if "bureaus_text" in data:
            self.instance.bureaus = data["bureaus_text"]
        return data


class VisitForm(ModelForm):
    class Meta:
        model = Visit
        fields = ["enterprise", "bureau", "visited_on", "visitors", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, campaign: Campaign, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        cast(ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        self.fields["bureau"] = forms.ChoiceField(label=_("走访部门"), choices=[(b, b) for b in campaign.bureaus])
