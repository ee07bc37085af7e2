from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import ModelForm
from rencai.core.models import User
from rencai.matching.models import Answer, Conflict, MatchRound, ThesaurusTerm
from rencai.needs.models import OPEN_STATUSES, Campaign, Need
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent


class RoundForm(ModelForm):
    class Meta:
        model = MatchRound
        fields = ["name", "zone", "campaign", "needs", "top", "min_score", "lead", "service", "regions", "modes"]
        widgets = {"needs": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = user.visible_zones()
        cast(ModelChoiceField, self.fields["campaign"]).queryset = Campaign.objects.visible_to(user)
        cast(ModelChoiceField, self.fields["needs"]).queryset = (
            Need.objects.visible_to(user)
            .filter(status__in=OPEN_STATUSES)
            .select_related("enterprise")
            .order_by("-created_at")
        )
        needs_field = cast(ModelChoiceField, self.fields["needs"])
        # Django's documented per-instance override of the option label
        needs_field.label_from_instance = lambda obj: f"{obj.enterprise.name} · {obj.title}"  # type: ignore[method-assign]
        self.fields["min_score"].widget.attrs["step"] = "0.05"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns, typed as a dict
        if not data.get("campaign") and not data.get("needs"):
            raise forms.ValidationError("请选择摸底活动或至少一项已发布的需求")
        return data


class ThesaurusForm(ModelForm):
    class Meta:
        model = ThesaurusTerm
        fields = ["concept", "synonyms", "broader", "note"]
        widgets = {"synonyms": forms.Textarea(attrs={"rows": 2})}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("答复"), choices=Answer.choices)
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class RatingForm(forms.Form):
    rating = forms.IntegerField(label=_("企业评分"), min_value=1, max_value=5)


class ConflictForm(ModelForm):
    class Meta:
        model = Conflict
        fields = ["talent", "enterprise", "reason"]

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        talent_field = cast(ModelChoiceField, self.fields["talent"])
        talent_field.queryset = Talent.objects.visible_to(user).order_by("name")
        enterprise_field = cast(ModelChoiceField, self.fields["enterprise"])
        enterprise_field.queryset = Enterprise.objects.visible_to(user).order_by("name")
