"""One widget per kind of value, for every form of the site.

- Dates: `DateInput` is an `<input type="date">` that always renders ISO (2027-04-10), whatever the
  language. The zh-hans input format (2027/04/10) is rejected by the browser, which then shows a blank
  field and erases the date when the form is saved unchanged. `ModelForm` gives every date field this
  widget; plain forms use `DateField`.
- Personal data (身份证号, 手机号, 联系电话: `EncryptedTextField`, a TextField underneath) is one line of
  text, not a 250-px text area, and an edit form never echoes the stored value: the field comes empty,
  says that a value is on file, and an empty answer keeps it.

Use `rencai.core.forms.ModelForm` as the base of every ModelForm; a new form is then right by default.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist

from rencai.core.crypto import EncryptedTextField

ISO_DATE = "%Y-%m-%d"
SENSITIVE_KEPT_HELP = "已登记（为保护个人信息不在此显示）；留空表示不修改"


class DateInput(forms.DateInput):
    """`<input type="date">`, rendered as ISO %Y-%m-%d in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs, format=ISO_DATE)


class DateField(forms.DateField):
    """A date on a plain (non-model) form: the site's date widget, ISO accepted first."""

    widget = DateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [ISO_DATE, "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"])
        super().__init__(*args, **kwargs)


def _swap_widget(field: forms.Field, widget: forms.Widget) -> None:
    widget.is_required = field.required
    field.widget = widget


class ModelForm(forms.ModelForm):
    """The base of every ModelForm: dates as DateInput, personal data one line and never echoed, a textarea's line
    breaks stored as "\n" (browsers post CRLF, so a form saved unchanged would otherwise rewrite every text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        sensitive = getattr(model, "sensitive_fields", {})
        self.kept_sensitive: list[str] = []
        for name, field in self.fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if isinstance(field, forms.DateField) and not isinstance(field.widget, (DateInput, forms.HiddenInput)):
                _swap_widget(field, DateInput(attrs=field.widget.attrs))
            if isinstance(model_field, EncryptedTextField) and isinstance(field.widget, forms.Textarea):
                attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("rows", "cols")}
                _swap_widget(field, forms.TextInput(attrs=attrs))
            if name in sensitive and self.instance.pk:
                # The stored value is not echoed back into the page; an empty answer keeps it.
                self.initial[name] = ""
                if getattr(self.instance, name, ""):
                    self.kept_sensitive.append(name)
                    field.help_text = SENSITIVE_KEPT_HELP

    def _post_clean(self) -> None:
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is not None:
            for name, value in cleaned.items():
                if isinstance(value, str) and name in self.fields and isinstance(self.fields[name].widget,
                                                                                  forms.Textarea):
                    cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
            for name in self.kept_sensitive:
                if name in cleaned and not cleaned[name]:
                    cleaned[name] = getattr(self.instance, name)
        super()._post_clean()  # type: ignore[misc]  # Django's hook after clean(); not in the stubs
