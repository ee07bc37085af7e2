from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import DateField, ModelForm
from rencai.engagements.models import Agreement, Outcome, Programme


class AgreementForm(ModelForm):
    lead_project = forms.CharField(label=_("牵头项目（1）"), max_length=200, required=False)
    service_projects = forms.CharField(label=_("服务项目（N，每行一个）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Agreement
        fields = ["programme", "talent", "enterprise", "institution", "mode", "starts_on", "ends_on",
                  "visits_per_month", "days_per_visit", "days_per_year", "provides_transport", "provides_meals",
                  "provides_lodging", "research_funds", "needs", "pairing_ref"]

    def __init__(self, *args: Any, talents: Any, enterprises: Any, institutions: Any, programmes: Any,
                 needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["talent"]).queryset = talents
        cast(ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        cast(ModelChoiceField, self.fields["institution"]).queryset = institutions
        self.fields["institution"].required = False
        self.fields["institution"].help_text = "留空取人才的派出单位"
        cast(ModelChoiceField, self.fields["programme"]).queryset = programmes
        cast(ModelChoiceField, self.fields["needs"]).queryset = needs
        self.fields["needs"].required = False

    def projects(self) -> list[tuple[str, str]]:
        lead = self.cleaned_data.get("lead_project", "").strip()
        others = [line.strip() for line in self.cleaned_data.get("service_projects", "").splitlines()]
        return [(lead, "")] * bool(lead) + [(t, "") for t in others if t]


class ProgrammeForm(ModelForm):
    class Meta:
        model = Programme
        fields = ["zone", "name", "year", "description", "visits_per_month", "days_per_visit", "days_per_year",
                  "weight_host", "weight_compliance", "weight_outcomes", "office_name"]

    def __init__(self, *args: Any, zones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = zones


class VisitForm(forms.Form):
    starts_on = DateField(label=_("到岗日期"))
    ends_on = DateField(label=_("离开日期"))
    work = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("附件（照片、会议纪要等）"), required=False)


class OutcomeForm(ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "count", "title", "project", "achieved_on", "evidence", "evidence_note"]

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["project"]).queryset = projects


class RatingForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    score = forms.IntegerField(label=_("企业评分（0–100）"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("评价"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EndForm(forms.Form):
    ended_on = DateField(label=_("终止日期"))
    reason = forms.CharField(label=_("原因"), max_length=300)


class AdjustForm(ModelForm):
    reason = forms.CharField(label=_("调整原因"), max_length=300)

    class Meta:
        model = Agreement
        fields = ["ends_on", "visits_per_month", "days_per_visit", "days_per_year"]

