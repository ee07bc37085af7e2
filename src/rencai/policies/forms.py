"""Forms of the policy pages. Rules are edited as text and checked by PolicyVersion.clean()."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from rencai.policies.models import PolicyVersion


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6, "class": "mono"})

    def prepare_value(self, value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        try:
            return json.loads(text) if text else None
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}") from exc


class VersionForm(forms.ModelForm):
    conditions = JSONTextField(label="资格条件", help_text='每条 {"label": 说明, "expr": CEL 表达式, "clause": 条款}')
    schedule = JSONTextField(label="分期", help_text='每期 {"after_months": 起算后月数, "share": "比例"}')
    level_shares = JSONTextField(label="分级承担", help_text='如 {"region": "0.4", "city": "0.3", "district": "0.3"}')
    required_documents = JSONTextField(label="所需材料", required=False, help_text='如 ["学位证书", "劳动合同"]')

    class Meta:
        model = PolicyVersion
        fields = ["clauses", "effective_from", "effective_to", "conditions", "amount", "amount_formula",
                  "schedule", "level_shares", "cap_per_person", "cap_per_year", "required_documents",
                  "notice_days", "change_note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}),
                   "effective_to": forms.DateInput(attrs={"type": "date"})}

    def clean_required_documents(self) -> list:
        return self.cleaned_data.get("required_documents") or []


class ApplyForm(forms.Form):
    statement = forms.CharField(label="申请说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachment = forms.FileField(label="申请材料", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="意见/理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    clause = forms.CharField(label="依据条款", max_length=100, required=False)


class BankForm(forms.Form):
    bank_name = forms.CharField(label="开户行", max_length=100)
    bank_account = forms.RegexField(label="银行账号", regex=r"^\d{8,30}$",
                                    error_messages={"invalid": "银行账号应为 8–30 位数字"})


class WhatIfForm(forms.Form):
    amount = forms.DecimalField(label="金额（元）", required=False, max_digits=14, decimal_places=2)
    max_age = forms.IntegerField(label="年龄上限（周岁）", required=False, min_value=18, max_value=80)
    tiers = forms.MultipleChoiceField(label="人才层次", required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(t, f"{t}类") for t in "ABCDE"])
