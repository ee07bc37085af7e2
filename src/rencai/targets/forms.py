"""Forms of this area: every input a page posts is read and validated here; views pass cleaned data to services.

These forms feed services (which create and move the records), so they are plain forms; there are no date inputs
here — a date field would use `rencai.core.forms.DateField` (ISO widget)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.policies.models import PolicyVersion


def form_errors(form: forms.Form) -> str:
    """All the messages of an invalid form, joined the way the pages show them."""
    return "；".join(dict.fromkeys(str(m) for errors in form.errors.values() for m in errors))


class EvaluationNewForm(forms.Form):
    version = forms.ModelChoiceField(queryset=PolicyVersion.objects.all(), label=_("政策版本"),
                                     error_messages={"required": _("须选择政策版本并填写评估问题"),
                                                     "invalid_choice": _("须选择政策版本并填写评估问题")})
    question = forms.CharField(label=_("评估问题"), max_length=300,
                               error_messages={"required": _("须选择政策版本并填写评估问题")})
    degree = forms.CharField(label=_("对象学位"), required=False, max_length=10)
    outcome_months = forms.IntegerField(label=_("到岗后月数"), required=False)
    evaluator = forms.ModelChoiceField(queryset=User.objects.filter(role=Role.EVALUATOR, is_active=True),
                                       label=_("第三方评估机构"), required=False)

    def clean_outcome_months(self) -> int:
        value = self.cleaned_data.get("outcome_months")
        return value if value and value > 0 else 24


class EvaluationActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("lock", _("锁定方案")), ("run", _("计算结果")), ("conclude", _("形成结论"))],
                               error_messages={"required": _("未知操作"), "invalid_choice": _("未知操作")})
    finding = forms.CharField(label=_("评估发现"), required=False)
    recommendation = forms.CharField(label=_("政策建议"), required=False)
    followup_version = forms.ModelChoiceField(queryset=PolicyVersion.objects.all(), required=False,
                                              label=_("据此修订的政策版本"))


class TargetForm(forms.Form):
    indicator = forms.IntegerField(min_value=0)
    zone = forms.IntegerField(required=False, min_value=0)
    value = forms.IntegerField(label=_("目标值"), error_messages={"required": _("须填写目标值"),
                                                                  "invalid": _("目标值须为整数")})


class AdjustmentForm(forms.Form):
    indicator = forms.IntegerField(min_value=0)
    zone = forms.IntegerField(required=False, min_value=0)
    delta = forms.IntegerField(label=_("调整量"), required=False, error_messages={"invalid": _("调整量须为整数")})
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)

    def clean_delta(self) -> int:
        return self.cleaned_data.get("delta") or 0


class MoveForm(forms.Form):
    """A move of a period or an adjustment, with its reason."""

    move = forms.CharField(max_length=30, required=False)
    reason = forms.CharField(label=_("理由"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["move"] = data.get("move") or ""
        return data
