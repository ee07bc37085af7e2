"""Adding a child record (a contact, a year's figures, a degree) to a parent from a small form on its page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from rencai.core.audit import audit_record


def form_errors_text(form: forms.BaseForm) -> str:
    parts: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}：{e}" if label else str(e) for e in errors)
    return "；".join(parts)


def add_part(request: HttpRequest, *, parent: models.Model, parent_field: str, form: forms.ModelForm) -> bool:
    """Validate and save the child with its parent set; message the user either way; audit the change."""
    if not form.is_valid():
        messages.error(request, f"未能添加：{form_errors_text(form)}")
        return False
    obj = form.save(commit=False)
    setattr(obj, parent_field, parent)
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages.error(request, f"未能添加：{'；'.join(exc.messages)}")
        return False
    obj.save()
    audit_record(action="update", request=request, obj=parent, detail={"added": str(obj._meta.verbose_name)})
    messages.success(request, f"已添加{obj._meta.verbose_name}")
    return True
