"""Forms of the funds pages: opening a year's fund and adjusting its budget."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from rencai.core.models import Zone
from rencai.funds.models import Level


class FundForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="政府层级", choices=Level.choices)
    zone = forms.ModelChoiceField(label="旗区/园区", queryset=Zone.objects.none())
    budget = forms.DecimalField(label="年度预算（元）", min_value=Decimal("0"), max_digits=14, decimal_places=2)


class AdjustForm(forms.Form):
    amount = forms.DecimalField(label="调整金额（元，负数为压减）", max_digits=14, decimal_places=2)
    memo = forms.CharField(label="依据/说明", max_length=200)
