"""Forms of this area, built on core.forms (ISO date widget)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencai.core.forms import DateField, ModelForm
from rencai.core.models import User
from rencai.needs.models import Need
from rencai.recruitment.models import (
    PIPELINE,
    Campaign,
    Competition,
    Criterion,
    Entry,
    Event,
    Judge,
    Post,
    Round,
    Stage,
    Track,
)

DEGREES = [("", _("请选择")), ("博士", _("博士")), ("硕士", _("硕士")), ("学士", _("学士")), ("其他", _("其他"))]
CONSENT_TEXT = _("我已阅读并同意：本人填写的个人信息仅用于本次招才引智活动的岗位对接、联系和后续到岗服务，"
                 "由人才工作办公室依法保存和保护，不向无关方提供；我可随时要求查阅、更正或删除。")


class CampaignForm(ModelForm):
    stages = forms.MultipleChoiceField(label=_("启用的阶段"), required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[(s, Stage(s).label) for s in PIPELINE],
                                       help_text=_("不勾选为全部阶段；已登记、已签约、已到岗、已在区内参保始终启用"))

    class Meta:
        model = Campaign
        fields = ["name", "zone", "starts_on", "ends_on", "target_hires", "stages", "reward_policy_code"]

    def __init__(self, *args: Any, zones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]


class EventForm(ModelForm):
    class Meta:
        model = Event
        fields = ["held_on", "university", "city_name", "title"]


class EventEditForm(ModelForm):
    """An event with its booth staff (office staff of the campaign's zone, the participating enterprises' users)."""

    class Meta:
        model = Event
        fields = ["held_on", "university", "city_name", "title", "booth_staff"]
        widgets = {"booth_staff": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["booth_staff"].queryset = staff if staff is not None else User.objects.none()  # type: ignore[attr-defined]
        self.fields["booth_staff"].help_text = _("展位工作人员可在手机上打开本场次的展位页，查找和登记求职者")


class PostEditForm(ModelForm):
    """What a post's owner may change after adding it: the enterprise and the need it came from stay."""

    class Meta:
        model = Post
        fields = ["title", "field_text", "headcount"]


class EnterprisePostForm(forms.Form):
    """An enterprise user offers one of its own published needs (人才引进 / 科研助理岗位) as a post."""

    need = forms.ModelChoiceField(label=_("来自需求"), queryset=Need.objects.none(),
                                  empty_label=_("请选择本企业的需求"),
                                  help_text=_("只能选择已经人才办审核发布的“人才引进”或“科研助理岗位”类需求"))
    headcount = forms.IntegerField(label=_("招聘人数"), min_value=1, required=False,
                                   help_text=_("留空则按需求填写的人数"))

    def __init__(self, *args: Any, needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]


# --- competitions ----------------------------------------------------------------------------------------------


class CompetitionForm(ModelForm):
    class Meta:
        model = Competition
        fields = ["name", "zone", "year", "landing_months"]

    def __init__(self, *args: Any, zones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]
        self.fields["zone"].help_text = _("留空为全市大赛")


class TrackForm(ModelForm):
    class Meta:
        model = Track
        fields = ["name"]


class RoundForm(ModelForm):
    class Meta:
        model = Round
        fields = ["seq", "name", "quota"]


class CriterionForm(ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight"]


def _of(competition: Competition | None, related: str, model: Any) -> Any:
    """The competition's own rows of one kind (nothing without a competition): the only choices a form offers."""
    if competition is None or not competition.pk:
        return model.objects.none()
    return getattr(competition, related).all()


class JudgeForm(ModelForm):
    class Meta:
        model = Judge
        fields = ["name", "unit", "user", "declared"]
        widgets = {"declared": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, competition: Competition | None = None, experts: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = Entry.objects.filter(track__competition=competition) if competition else Entry.objects.none()
        self.fields["declared"].queryset = entries  # type: ignore[attr-defined]
        self.fields["user"].queryset = experts if experts is not None else User.objects.none()  # type: ignore[attr-defined]
        self.fields["user"].label = _("评审专家账号")
        self.fields["user"].help_text = _("选填：评委有“评审专家”账号时关联")


class EntryForm(ModelForm):
    class Meta:
        model = Entry
        fields = ["track", "project", "leader", "unit", "members", "reached", "support_tier", "support_subsidy",
                  "support_space", "credit_code"]

    def __init__(self, *args: Any, competition: Competition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = _of(competition, "tracks", Track)  # type: ignore[attr-defined]
        self.fields["reached"].queryset = _of(competition, "rounds", Round)  # type: ignore[attr-defined]
        self.fields["reached"].required = False
        self.fields["reached"].help_text = _("新项目留空为第一轮")


class ScoreForm(forms.Form):
    """One judge's scores for one entry in its current round: one number (0–100) per criterion of the rubric."""

    judge = forms.ModelChoiceField(label=_("评委"), queryset=Judge.objects.none(), empty_label=_("请选择评委"))

    def __init__(self, *args: Any, competition: Competition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = _of(competition, "judges", Judge)  # type: ignore[attr-defined]
        for criterion in _of(competition, "criteria", Criterion):
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=str(criterion), min_value=0, max_value=100, decimal_places=2, max_digits=5)

    def values(self) -> dict[int, Any]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("c")}


class PostForm(ModelForm):
    class Meta:
        model = Post
        fields = ["enterprise", "need", "title", "field_text", "headcount"]

    def __init__(self, *args: Any, enterprises: Any, needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]
        self.fields["title"].required = False
        self.fields["enterprise"].required = False
        self.fields["need"].help_text = _("从“人才引进”或“科研助理岗位”类需求中选择；也可不选，直接填写岗位")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("need") and not (data.get("enterprise") and data.get("title")):
            raise forms.ValidationError(_("请选择一条需求，或填写企业和岗位名称"))
        return data


class IntentionForm(forms.Form):
    """The candidate's short form (QR code on the phone) and the staff entry form: the same fields."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    id_number = forms.CharField(label=_("身份证号"), max_length=20, required=False,
                                help_text=_("选填；填写后可更快办理到岗和奖励"))
    birth_date = DateField(label=_("出生日期"), required=False)
    degree = forms.ChoiceField(label=_("学位"), choices=DEGREES, required=False)
    university = forms.CharField(label=_("毕业院校"), max_length=100, required=False)
    major = forms.CharField(label=_("专业"), max_length=100, required=False)
    post = forms.ModelChoiceField(label=_("意向岗位"), queryset=Post.objects.none(), empty_label=_("请选择岗位"))
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    move = forms.CharField(max_length=20)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ContractForm(forms.Form):
    contract = forms.FileField(label=_("签约合同"), help_text=_("PDF 或图片，不超过 20 MB"))
