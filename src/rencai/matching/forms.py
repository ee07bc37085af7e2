from __future__ import annotations

from django import forms
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
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["zone"].queryset = user.visible_zones()
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["needs"].queryset = (
            Need.objects.visible_to(user)
            .filter(status__in=OPEN_STATUSES)
            .select_related("enterprise")
            .order_by("-created_at")
        )
        self.fields["needs"].label_from_instance = lambda n: f"{n.enterprise.name} · {n.title}"
        self.fields["min_score"].widget.attrs["step"] = "0.05"

    def clean(self) -> dict:
        data = super().clean()
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
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["talent"].queryset = Talent.objects.visible_to(user).order_by("name")
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
