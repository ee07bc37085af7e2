"""Forms of the policy pages. Rules are edited as text and checked by PolicyVersion.clean()."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import ModelForm
from rencai.policies.models import PolicyVersion

if TYPE_CHECKING:
    from rencai.talents.models import Talent


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


class VersionForm(ModelForm):
    conditions = JSONTextField(label=_("资格条件"),
                               help_text='每条 {"label": 说明, "expr": CEL 表达式, "clause": 条款}')
    schedule = JSONTextField(label=_("分期"), help_text='每期 {"after_months": 起算后月数, "share": "比例"}')
    level_shares = JSONTextField(label=_("分级承担"),
                                 help_text='如 {"region": "0.4", "city": "0.3", "district": "0.3"}')
    required_documents = JSONTextField(label=_("所需材料"), required=False, help_text='如 ["学位证书", "劳动合同"]')

    class Meta:
        model = PolicyVersion
        fields = ["clauses", "effective_from", "effective_to", "conditions", "amount", "amount_formula",
                  "schedule", "level_shares", "cap_per_person", "cap_per_year", "required_documents",
                  "notice_days", "change_note"]

    def clean_required_documents(self) -> list:
        return self.cleaned_data.get("required_documents") or []


class ApplyForm(forms.Form):
    statement = forms.CharField(label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachment = forms.FileField(label=_("申请材料"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("意见/理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    clause = forms.CharField(label=_("依据条款"), max_length=100, required=False)


class BankForm(forms.Form):
    bank_name = forms.CharField(label=_("开户行"), max_length=100)
    # checked and normalised (spaces removed, 12–30 digits) by services.entitlement_bank_confirm
    bank_account = forms.CharField(label=_("银行账号"), max_length=60, help_text=_("12–30 位数字，可用空格分组"))


class WhatIfForm(forms.Form):
    amount = forms.DecimalField(label=_("金额（元）"), required=False, max_digits=14, decimal_places=2)
    max_age = forms.IntegerField(label=_("年龄上限（周岁）"), required=False, min_value=18, max_value=80)
    tiers = forms.MultipleChoiceField(label=_("人才层次"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(t, f"{t}类") for t in "ABCDE"])


class PackageForm(forms.Form):
    talent: forms.ModelChoiceField[Talent] = forms.ModelChoiceField(label=_("人才"), queryset=None)
    title = forms.CharField(label=_("名称"), max_length=100, help_text=_("如 稀土永磁创新团队"))
    basis = forms.CharField(label=_("依据"), max_length=100, help_text=_("如 领导小组会议纪要〔2026〕3号"))
    items = forms.CharField(label=_("事项"), widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("每行一项：名称，兑现日期，金额（元），如 科研启动经费，2026-05-01，500000"))
    district = forms.DecimalField(label=_("区级承担比例"), initial=1, min_value=0, max_value=1, decimal_places=2)
    city = forms.DecimalField(label=_("市级承担比例"), initial=0, min_value=0, max_value=1, decimal_places=2)
    region = forms.DecimalField(label=_("自治区承担比例"), initial=0, min_value=0, max_value=1, decimal_places=2)

    def clean_items(self) -> list:
        from datetime import date
        from decimal import Decimal, InvalidOperation

        from rencai.policies.packages import Item

        items = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                title, due, amount = parts
                items.append(Item(title, date.fromisoformat(due), Decimal(amount)))
            except (ValueError, InvalidOperation) as exc:
                raise forms.ValidationError(f"第{n}行应为：名称，日期（如 2026-05-01），金额") from exc
        return items

    def level_shares(self) -> dict[str, str]:
        return {lv: str(self.cleaned_data[lv]) for lv in ("region", "city", "district") if self.cleaned_data[lv]}


class PolicyForm(forms.Form):
    code = forms.SlugField(label=_("政策代码"), max_length=60, help_text=_("稳定的英文代码，如 housing_subsidy"))
    title = forms.CharField(label=_("政策名称"), max_length=200)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issuer = forms.CharField(label=_("发文单位"), max_length=100, required=False)
    beneficiary_kind = forms.ChoiceField(label=_("兑现对象"), choices=[("talent", "人才"), ("enterprise", "企业")])
    auto_grant = forms.BooleanField(label=_("免申即享"), required=False,
                                    help_text=_("每晚从平台数据中找出符合条件者，经复核、公示、批准后兑现"))
