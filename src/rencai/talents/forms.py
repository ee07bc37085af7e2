from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.catalogs import find_discipline
from rencai.core.forms import ModelForm
from rencai.core.models import Zone
from rencai.core.validators import id_number_problem, mobile_problem, normalize_id_number, normalize_mobile
from rencai.talents.models import EDUCATION_LEVELS, Achievement, Education, Employment, Talent, TierRule
from rencai.talents.tiers import FIELDS, OPERATORS, condition_problems


def education_field(field: forms.Field, current: str) -> forms.ChoiceField:
    """学历 as a choice of the canonical levels; a stored value outside them (an old import's 研究生) stays on
    the list, so saving the page unchanged changes nothing, and can be replaced by a level."""
    choices = [("", "---------"), *((level, level) for level in EDUCATION_LEVELS)]
    if current and current not in EDUCATION_LEVELS:
        choices.append((current, _("%(value)s（原填写值）") % {"value": current}))
    return forms.ChoiceField(label=field.label, choices=choices, required=False, help_text=field.help_text)


class TalentForm(ModelForm):
    class Meta:
        model = Talent
        fields = [
            "zone", "name", "gender", "birth_date", "id_number", "phone", "education", "degree", "graduated_from",
            "major", "discipline", "research_directions", "title", "employer", "institution", "talent_type",
            "flexible_mode", "tier", "achievements", "region", "tags", "remarks",
        ]
        widgets = {
            "research_directions": forms.Textarea(attrs={"rows": 2}),
            "achievements": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "tags": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {"tier": _("留空则按分层规则自动认定"),
                      "discipline": _("填学科名称或代码，如 0805 或 材料科学与工程")}

    def __init__(self, *args: Any, zones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = zones if zones is not None else Zone.objects.none()
        cast(ModelChoiceField, self.fields["zone"]).empty_label = None
        self.fields["education"] = education_field(self.fields["education"], self.instance.education)
        # id_number and phone are not echoed on edit (rencai.core.forms.ModelForm); empty keeps them.

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number", "").strip()
        if not value:
            return self.instance.id_number if self.instance.pk else ""
        if problem := id_number_problem(value):
            raise forms.ValidationError(problem)
        return normalize_id_number(value)

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return self.instance.phone if self.instance.pk else ""
        if problem := mobile_problem(value):
            raise forms.ValidationError(problem)
        return normalize_mobile(value)

    def save(self, commit: bool = True) -> Talent:
        talent = super().save(commit=False)
        found = find_discipline(talent.discipline) if talent.discipline else None
        talent.discipline_code, talent.discipline = (found.code, found.name) if found else ("", talent.discipline)
        # The dropdown comes pre-filled with the rule-given tier: only a person changing it makes it manual;
        # clearing it hands the tier back to the rules; leaving it alone keeps whatever it was.
        if "tier" in self.changed_data or talent.pk is None:
            talent.tier_manual = bool(talent.tier)
        return talent


CONDITION_SLOTS = 3


class TierRuleForm(ModelForm):
    """A rule with up to three conditions, edited as plain fields rather than JSON."""

    class Meta:
        model = TierRule
        fields = ["name", "tier", "priority", "basis", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = list(self.instance.conditions or []) if self.instance.pk else []
        for i in range(CONDITION_SLOTS):
            c = existing[i] if i < len(existing) else {}
            value = c.get("value", "")
            self.fields[f"field_{i}"] = forms.ChoiceField(label=f"条件{i + 1}：字段", required=False,
                                                          choices=[("", "—")] + list(FIELDS.items()),
                                                          initial=c.get("field", ""))
            self.fields[f"op_{i}"] = forms.ChoiceField(label=_("比较"), required=False,
                                                       choices=[("", "—")] + list(OPERATORS.items()),
                                                       initial=c.get("op", ""))
            self.fields[f"value_{i}"] = forms.CharField(
                label=_("取值"), required=False, help_text=_("多个取值用顿号或逗号分开"),
                initial="、".join(value) if isinstance(value, list) else value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns, typed as a dict
        conditions = []
        for i in range(CONDITION_SLOTS):
            field, op, raw = data.get(f"field_{i}"), data.get(f"op_{i}"), data.get(f"value_{i}", "")
            if not (field or op or raw):
                continue
            values = [v.strip() for v in raw.replace("，", "、").replace(",", "、").split("、") if v.strip()]
            conditions.append({"field": field, "op": op, "value": values})
        problems = condition_problems(conditions)
        if problems:
            raise forms.ValidationError(problems)
        self.instance.conditions = conditions
        return data

    def condition_rows(self) -> list[list[Any]]:
        return [[self[f"field_{i}"], self[f"op_{i}"], self[f"value_{i}"]] for i in range(CONDITION_SLOTS)]


class EducationForm(ModelForm):
    class Meta:
        model = Education
        fields = ["start", "end", "school", "major", "degree"]


class EmploymentForm(ModelForm):
    class Meta:
        model = Employment
        fields = ["start", "end", "employer", "position"]


class AchievementForm(ModelForm):
    class Meta:
        model = Achievement
        fields = ["kind", "title", "year", "detail"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 2})}
