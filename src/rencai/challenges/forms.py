"""Forms of 揭榜挂帅, built on core.forms (ISO date widget). Lists (KPIs, co-funders, members, milestones) are
typed one per line with “|” between the parts, as offices write them in their spreadsheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from rencai.challenges.models import Challenge
from rencai.challenges.services import Funder, Member, Tranche
from rencai.core.forms import DateField, ModelForm
from rencai.core.models import User

LINE_HELP = "每行一项，各部分用“|”分隔"


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.replace("｜", "|").split("|")] for line in (text or "").splitlines()
            if line.strip()]


def _decimal(text: str, what: str) -> Decimal:
    try:
        return Decimal(text.replace("%", "").replace("％", "").strip())
    except InvalidOperation as exc:
        raise ValidationError(f"{what}“{text}”不是数字") from exc


def parse_kpis(text: str) -> list[dict[str, str]]:
    kpis = []
    for parts in _lines(text):
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValidationError(f"指标“{'|'.join(parts)}”应写成 指标名称|目标值|单位")
        kpis.append({"name": parts[0], "target": parts[1], "unit": parts[2] if len(parts) > 2 else ""})
    return kpis


def parse_cofunders(text: str) -> list[Funder]:
    funders = []
    for parts in _lines(text):
        if len(parts) != 3:
            raise ValidationError(f"出资方“{'|'.join(parts)}”应写成 名称|政府或企业|比例")
        kind = {"政府": "government", "企业": "enterprise"}.get(parts[1])
        if kind is None:
            raise ValidationError(f"出资方类型只能是“政府”或“企业”（现为“{parts[1]}”）")
        funders.append(Funder(name=parts[0], kind=kind, share=_decimal(parts[2], "出资比例")))
    return funders


def parse_members(text: str) -> list[Member]:
    return [Member(name=p[0], unit=p[1] if len(p) > 1 else "", duty=p[2] if len(p) > 2 else "")
            for p in _lines(text)]


def parse_tranches(text: str) -> list[Tranche]:
    tranches = []
    for parts in _lines(text):
        if len(parts) != 4:
            raise ValidationError(f"里程碑“{'|'.join(parts)}”应写成 名称|完成日期|交付物|拨付比例")
        try:
            due = date.fromisoformat(parts[1])
        except ValueError as exc:
            raise ValidationError(f"里程碑完成日期“{parts[1]}”应写成 2027-06-30") from exc
        tranches.append(Tranche(title=parts[0], due=due, deliverable=parts[2], percent=_decimal(parts[3], "拨付比例")))
    if not tranches:
        raise ValidationError("请填写至少一个里程碑")
    return tranches


class ChallengeForm(ModelForm):
    kpis_text = forms.CharField(label="考核指标", widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=f"{LINE_HELP}：指标名称|目标值|单位，如 磁能积|≥52|MGOe")
    cofunders_text = forms.CharField(label="出资方及比例", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=f"{LINE_HELP}：名称|政府或企业|比例，如 稀土高新区|政府|60")

    class Meta:
        model = Challenge
        fields = ["zone", "title", "issuer_kind", "issuer_enterprise", "issuer_bureau", "problem",
                  "acceptance_criteria", "cap", "deadline", "eligibility", "mode", "race_teams", "blind",
                  "defence_weight", "panel_size", "notice_days", "need", "catalog_line"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from rencai.core.roles import Role
        from rencai.needs.models import CatalogLine, Need
        from rencai.orgs.models import Enterprise

        cast(forms.ModelChoiceField, self.fields["zone"]).queryset = user.visible_zones()
        cast(forms.ModelChoiceField, self.fields["issuer_enterprise"]).queryset = Enterprise.objects.visible_to(user)
        cast(forms.ModelChoiceField, self.fields["need"]).queryset = Need.objects.visible_to(user)
        cast(forms.ModelChoiceField, self.fields["catalog_line"]).queryset = (
            CatalogLine.objects.visible_to(user).select_related("edition"))
        if user.role == Role.ENTERPRISE:
            for name in ("zone", "issuer_kind", "issuer_enterprise", "issuer_bureau", "catalog_line"):
                del self.fields[name]
        if self.instance.pk:
            self.initial["kpis_text"] = "\n".join("|".join([k["name"], k["target"], k.get("unit", "")])
                                                  for k in self.instance.kpis)
            self.initial["cofunders_text"] = "\n".join(
                f"{c.name}|{c.get_kind_display()}|{c.share}" for c in self.instance.cofunders.all())

    def clean_kpis_text(self) -> list[dict[str, str]]:
        return parse_kpis(self.cleaned_data["kpis_text"])

    def clean_cofunders_text(self) -> list[Funder]:
        return parse_cofunders(self.cleaned_data["cofunders_text"])


class BidForm(forms.Form):
    lead_name = forms.CharField(label="团队负责人", max_length=50)
    unit = forms.CharField(label="负责人单位", max_length=200)
    members_text = forms.CharField(label="团队成员", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=f"{LINE_HELP}：姓名|单位|分工")
    route = forms.CharField(label="技术路线", widget=forms.Textarea(attrs={"rows": 5}))
    plan_text = forms.CharField(label="里程碑计划", widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=f"{LINE_HELP}：名称|完成日期|交付物|拨付比例")
    budget = forms.DecimalField(label="申请经费（元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    commitment = forms.CharField(label="军令状（承诺）", widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label="附件", required=False)

    def clean_members_text(self) -> list[Member]:
        return parse_members(self.cleaned_data["members_text"])

    def clean_plan_text(self) -> list[dict[str, str]]:
        return [{"title": t.title, "due": t.due.isoformat(), "deliverable": t.deliverable, "percent": str(t.percent)}
                for t in parse_tranches(self.cleaned_data["plan_text"])]


class ScoreForm(forms.Form):
    defence = forms.DecimalField(label="答辩得分", required=False, min_value=0, max_value=100, decimal_places=2)
    comment = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for i, item in enumerate(rubric):
            self.fields[f"item_{i}"] = forms.DecimalField(label=f"{item['name']}（权重 {item['weight']}%）",
                                                          min_value=0, max_value=100, decimal_places=2)

    def items(self) -> dict[str, Any]:
        return {item["name"]: self.cleaned_data[f"item_{i}"] for i, item in enumerate(self.rubric)}


class AcceptanceForm(forms.Form):
    opinion = forms.CharField(label="验收意见", widget=forms.Textarea(attrs={"rows": 3}))
    patents = forms.IntegerField(label="专利（件）", min_value=0, initial=0)
    products = forms.IntegerField(label="新产品/新工艺（项）", min_value=0, initial=0)
    problems_solved = forms.IntegerField(label="解决难题（项）", min_value=0, initial=0)


__all__ = ["AcceptanceForm", "BidForm", "ChallengeForm", "DateField", "ScoreForm"]
