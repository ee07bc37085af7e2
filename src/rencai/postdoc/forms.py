from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ChoiceField, ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.catalogs import disciplines
from rencai.core.forms import DateField, ModelForm
from rencai.postdoc.models import Assistance, Milestone, Partner, Postdoc, PostdocSettings, Station


class StationForm(ModelForm):
    class Meta:
        model = Station
        fields = ["enterprise", "kind", "name", "research_fields", "proposal_months", "midterm_months", "exit_months"]

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["enterprise"]).queryset = enterprises


class StationMoveForm(forms.Form):
    to = forms.CharField()
    on = DateField(label=_("日期"))
    approval_number = forms.CharField(label=_("批准文号"), required=False, max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class AssistanceForm(ModelForm):
    class Meta:
        model = Assistance
        fields = ["kind", "on", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}


def _discipline_choices() -> list[tuple[str, str]]:
    return [("", "请选择")] + [(d.code, d.label) for d in disciplines(professional=False)]


class PartnerForm(ModelForm):
    discipline_code = forms.ChoiceField(label=_("一级学科"), choices=_discipline_choices)

    class Meta:
        model = Partner
        fields = ["institution", "discipline_code", "co_supervisor", "two_cities"]

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["institution"]).queryset = institutions


class EntryForm(ModelForm):
    class Meta:
        model = Postdoc
        fields = ["talent", "entered_on", "partner", "topic", "supervisor", "co_supervisor"]
        labels = {"talent": _("博士后（人才库中的人员）")}
        help_texts = {"co_supervisor": _("留空则取合作流动站的合作导师")}

    def __init__(self, *args: Any, talents: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["talent"]).queryset = talents
        cast(ModelChoiceField, self.fields["partner"]).queryset = partners


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=[(k, k) for k in Milestone.Kind.values if k != "进站"])
    on = DateField(label=_("日期"))
    result = forms.ChoiceField(label=_("评审结果"), required=False,
                               choices=[("", "—"), ("通过", "通过"), ("不通过", "不通过")])
    documents = forms.CharField(label=_("材料"), required=False, max_length=500)
    document = forms.FileField(label=_("附件"), required=False)
    months = forms.IntegerField(label=_("延期月数"), required=False, min_value=1, max_value=24)
    stayed_in_zone = forms.NullBooleanField(label=_("出站后留区工作"), required=False, widget=forms.Select(
        choices=[("unknown", "—"), ("true", "是"), ("false", "否")]))
    note = forms.CharField(label=_("说明/原因"), required=False, max_length=300)

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:  # the page offers only what may be recorded now; the service still checks
            cast(ChoiceField, self.fields["kind"]).choices = [(k, k) for k in kinds]


class SettingsForm(ModelForm):
    reminder_days_text = forms.CharField(label=_("提前提醒天数"), help_text=_("用逗号分隔，如 30,7"), max_length=50)

    class Meta:
        model = PostdocSettings
        fields = ["proposal_months", "midterm_months", "exit_months"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reminder_days_text"].initial = ",".join(str(d) for d in self.instance.reminder_days)

    def clean_reminder_days_text(self) -> list[int]:
        text = self.cleaned_data["reminder_days_text"].replace("，", ",")
        try:
            days = [int(part) for part in text.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError("请填写整数天数，用逗号分隔") from exc
        if not days or any(d <= 0 or d > 365 for d in days):
            raise forms.ValidationError("天数应在 1 到 365 之间")
        return days
