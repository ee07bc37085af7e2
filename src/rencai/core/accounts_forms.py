"""Forms of the office administration pages (zones, bureaus, accounts)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.forms import ChoiceField, ModelChoiceField

from rencai.core.accounts import account_link
from rencai.core.forms import DateField, ModelForm
from rencai.core.models import Bureau, CalendarDay, OfficeProfile, User, Zone
from rencai.core.roles import STAFF, Role


class ZoneForm(ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "code"]
        help_texts = {"code": "小写字母、数字或连字符，导入命令的 --zone 用它，如 xitu"}


class BureauForm(ModelForm):
    class Meta:
        model = Bureau
        fields = ["name", "code"]


class InviteForm(ModelForm):
    """A new account: its role decides which scope field it needs (zone, bureau, or a register record)."""

    # the form metaclass moves this field into base_fields, so the attribute is the record clean() picks (mypy
    # does not model that)
    record: models.Model | None = forms.IntegerField(  # type: ignore[assignment]
        widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "role", "zone", "bureau"]

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin = admin
        cast(ModelChoiceField, self.fields["zone"]).queryset = admin.visible_zones()
        self.fields["zone"].help_text = "工作人员所在旗区/园区；市级管理员留空表示市级"
        cast(ModelChoiceField, self.fields["bureau"]).queryset = Bureau.objects.filter(city=admin.city_id)
        cast(ChoiceField, self.fields["role"]).choices = [("", "请选择")] + list(Role.choices)
        for role in (Role.ENTERPRISE, Role.TALENT, Role.LIAISON):
            link = account_link(role)
            if link is not None:
                self.fields[f"record_{role}"] = forms.ModelChoiceField(
                    label=f"对应的{link.label}（{Role(role).label}）", required=False, queryset=link.choices(admin))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns, typed as a dict
        role = data.get("role")
        if role in STAFF and self.admin.zone_id:
            data["zone"] = self.admin.zone
        if role not in STAFF and role != Role.BUREAU:
            data["zone"] = None
        if role != Role.BUREAU:
            data["bureau"] = None
        self.record = data.get(f"record_{role}") if role else None
        link = account_link(role or "")
        if role and link is not None and self.record is None:  # (no link exists for an empty role)
            self.add_error(f"record_{role}", f"{Role(role).label}账号须选择对应的{link.label}")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


class CalendarDayForm(forms.Form):
    day = DateField(label="日期")
    kind = forms.ChoiceField(label="类型", required=False,
                             choices=[("", "恢复为平常（周一至周五上班）")] + list(CalendarDay.Kind.choices))
    name = forms.CharField(label="名称", max_length=50, required=False, help_text="如 国庆节、春节调休上班")


class OfficeProfileForm(ModelForm):
    class Meta:
        model = OfficeProfile
        fields = ["name", "region", "address", "phone"]
