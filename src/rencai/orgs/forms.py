from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import ModelForm
from rencai.core.models import Zone
from rencai.core.validators import credit_code_problem, mobile_problem, normalize_credit_code, normalize_mobile
from rencai.orgs.industry import find_industry_code
from rencai.orgs.models import Enterprise, EnterpriseContact, InnovationIndicator, Institution, Platform, Qualification


def _credit_code(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if problem := credit_code_problem(value):
        raise forms.ValidationError(problem)
    return normalize_credit_code(value)


class EnterpriseForm(ModelForm):
    qualifications = forms.MultipleChoiceField(label=_("企业资质"), choices=Qualification.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    industry = forms.CharField(
        label=_("所属行业"), required=False,
        help_text=_("国民经济行业分类的门类或大类，填代码或名称，如 C26 或 化学原料和化学制品制造业"),
    )

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "zone", "qualifications", "address", "established_on", "employees", "remarks"]
        widgets = {
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, zones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = zones if zones is not None else Zone.objects.none()
        cast(ModelChoiceField, self.fields["zone"]).empty_label = None
        self.fields["industry"].initial = self.instance.industry_code

    def clean_credit_code(self) -> str | None:
        code = _credit_code(self.cleaned_data.get("credit_code"))
        if code and Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("这个统一社会信用代码已登记在另一家企业名下")
        return code

    def clean_industry(self) -> str:
        given = self.cleaned_data.get("industry", "").strip()
        if not given:
            return ""
        code = find_industry_code(given)
        if not code:
            raise forms.ValidationError(f"“{given}”不在国民经济行业分类中")
        return code

    def save(self, commit: bool = True) -> Enterprise:
        self.instance.industry_code = self.cleaned_data.get("industry", "")
        return super().save(commit)


class IndicatorForm(ModelForm):
    class Meta:
        model = InnovationIndicator
        fields = ["year", "rd_spending", "has_rd_institution", "invention_patents"]


class PlatformForm(ModelForm):
    class Meta:
        model = Platform
        fields = ["kind", "name", "level", "approved_on", "location"]


class ContactForm(ModelForm):
    class Meta:
        model = EnterpriseContact
        fields = ["name", "position", "phone", "is_primary"]

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if value and (problem := mobile_problem(value)):
            raise forms.ValidationError(problem)
        return normalize_mobile(value) if value else ""


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "province", "city", "credit_code", "address"]

    def clean_credit_code(self) -> str | None:
        return _credit_code(self.cleaned_data.get("credit_code"))
