"""Every form of the site renders dates the way `<input type="date">` reads them, in every language.

The zh-hans input format (2027/04/10) is rejected by the browser: the field shows blank and saving the
form unchanged erases the date. These tests find every form class of every app (so a new form is
covered without being listed), render it in Chinese with a dated instance and look for the ISO value.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

import rencai
from rencai.core.forms import DateInput
from rencai.core.models import User, Zone
from rencai.engagements.models import Programme, ServiceProject
from rencai.needs.models import Campaign, Need, Visit
from rencai.orgs.models import Enterprise, EnterpriseContact, Institution
from rencai.postdoc.models import Partner
from rencai.recruitment.models import Post
from rencai.talents.models import Talent

DAY = date(2027, 4, 10)
ISO = 'value="2027-04-10"'

# What each keyword a form's constructor asks for is given in these tests; a new keyword fails loudly below.
QUERYSET_KWARGS = {
    "zones": Zone, "enterprises": Enterprise, "institutions": Institution, "talents": Talent,
    "programmes": Programme, "needs": Need, "projects": ServiceProject, "partners": Partner, "visits": Visit,
    "posts": Post,
}


def _form_modules() -> list[Any]:
    """Every app's forms.py and every views module (some views still declare their own small forms)."""
    modules = []
    for info in pkgutil.walk_packages(rencai.__path__, prefix="rencai."):
        name = info.name
        if name.endswith("forms") or ".views" in name:
            if ".demo" in name or ".migrations" in name:
                continue
            modules.append(importlib.import_module(name))
    return modules


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module in _form_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return [found[k] for k in sorted(found)]


def _model_forms() -> list[type[forms.ModelForm]]:
    return [c for c in _form_classes() if issubclass(c, forms.ModelForm) and c._meta.model is not None]


def _kwargs_for(cls: type[forms.BaseForm], user: User | None = None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if param.kind is not inspect.Parameter.KEYWORD_ONLY or param.default is not inspect.Parameter.empty:
            continue
        if name in QUERYSET_KWARGS:
            kwargs[name] = QUERYSET_KWARGS[name].objects.all()
        elif name in ("user", "admin"):
            kwargs[name] = user
        elif name == "campaign":
            kwargs[name] = Campaign(name="2027年春季走访", starts_on=DAY, ends_on=DAY, bureaus=["科技局"])
        else:
            pytest.fail(f"{cls.__name__}({name}=...): add what this keyword takes to tests/core/test_forms.py")
    return kwargs


def _dated_instance(cls: type[forms.ModelForm]) -> Any:
    model = cls._meta.model
    values = {f.name: DAY for f in model._meta.concrete_fields
              if f.get_internal_type() == "DateField" and f.name in cls.base_fields}
    return model(**values), values


@pytest.mark.parametrize("form_class", _model_forms(), ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
def test_model_form_shows_dates_in_iso_in_chinese(db, world, form_class):
    instance, dated = _dated_instance(form_class)
    with translation.override("zh-hans"):
        form = form_class(instance=instance, **_kwargs_for(form_class, world.admin))
        for name in dated:
            html = str(form[name])
            assert 'type="date"' in html, f"{form_class.__name__}.{name} is not a date input: {html}"
            assert ISO in html, f"{form_class.__name__}.{name} does not show 2027-04-10: {html}"
            assert isinstance(form.fields[name].widget, DateInput)


@pytest.mark.parametrize("form_class", _model_forms(), ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
def test_every_model_form_uses_the_core_base(form_class):
    from rencai.core.forms import ModelForm

    assert issubclass(form_class, ModelForm), f"{form_class.__name__} should derive from rencai.core.forms.ModelForm"


def _plain_forms_with_dates() -> list[type[forms.BaseForm]]:
    return [c for c in _form_classes() if not issubclass(c, forms.ModelForm)
            and any(isinstance(f, forms.DateField) for f in c.base_fields.values())]


@pytest.mark.parametrize("form_class", _plain_forms_with_dates(), ids=lambda c: c.__name__)
def test_plain_form_shows_dates_in_iso_in_chinese(db, world, form_class):
    names = [n for n, f in form_class.base_fields.items() if isinstance(f, forms.DateField)]
    with translation.override("zh-hans"):
        form = form_class(initial=dict.fromkeys(names, DAY), **_kwargs_for(form_class, world.admin))
        for name in names:
            html = str(form[name])
            assert 'type="date"' in html and ISO in html, f"{form_class.__name__}.{name}: {html}"


def test_chinese_date_typed_by_hand_is_still_understood():
    from rencai.engagements.forms import EndForm

    with translation.override("zh-hans"):
        for typed in ("2027-04-10", "2027/04/10", "2027年4月10日"):
            form = EndForm({"ended_on": typed, "reason": "企业搬迁"})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["ended_on"] == DAY


def test_date_input_formats_start_with_iso_in_every_language():
    from django.conf import settings
    from django.utils.formats import get_format

    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            assert get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d", code
            # a widget without its own format (a third-party form) still renders ISO
            assert forms.DateInput().format_value(DAY) == "2027-04-10", code


# ---- personal data: one line, never echoed on an edit form ----

def _sensitive_model_forms() -> list[tuple[type[forms.ModelForm], str]]:
    return [(c, name) for c in _model_forms() for name in getattr(c._meta.model, "sensitive_fields", {})
            if name in c.base_fields]


@pytest.mark.parametrize(("form_class", "field"), _sensitive_model_forms(),
                         ids=lambda v: v.__name__ if isinstance(v, type) else v)
def test_personal_data_is_a_one_line_input(db, world, form_class, field):
    form = form_class(**_kwargs_for(form_class, world.admin))
    html = str(form[field])
    assert html.startswith("<input") and 'type="text"' in html, html
    assert "<textarea" not in html


def _need_with_phone(world: Any) -> Need:
    return Need.objects.create(enterprise=world.enterprise, title="稀土永磁电机研发工程师",
                               description="研发稀土永磁电机", contact_name="刘经理",
                               contact_phone="13994229735", created_by=world.admin)


def test_need_edit_page_does_not_echo_the_contact_phone(world):
    from tests.conftest import verified_client

    need = _need_with_phone(world)
    page = verified_client(world.admin).get(f"/needs/{need.pk}/edit/").content.decode()
    assert "13994229735" not in page
    assert "留空表示不修改" in page


def test_need_saved_with_empty_phone_keeps_the_phone(world):
    from rencai.needs.forms import NeedForm

    need = _need_with_phone(world)
    form = NeedForm(instance=need, enterprises=Enterprise.objects.all())
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    bound = NeedForm(data, instance=Need.objects.get(pk=need.pk), enterprises=Enterprise.objects.all())
    assert bound.is_valid(), bound.errors
    bound.save()
    need.refresh_from_db()
    assert need.contact_phone == "13994229735"


def test_contact_phone_on_enterprise_contact_is_one_line(world):
    from rencai.orgs.forms import ContactForm

    contact = EnterpriseContact.objects.create(enterprise=world.enterprise, name="刘经理", phone="13994229735")
    html = str(ContactForm(instance=contact)["phone"])
    assert "<textarea" not in html and "13994229735" not in html


def test_all_apps_forms_are_found():
    """The discovery above is not vacuous: it reaches the forms of every domain app."""
    seen = {c.__module__.split(".")[1] for c in _model_forms()}
    assert {"talents", "orgs", "needs", "postdoc", "engagements", "matching", "policies"} <= seen
    assert apps.get_app_config("talents")


def test_a_textarea_keeps_its_line_breaks_as_the_app_writes_them(db):
    """Browsers post a textarea's line breaks as CRLF; the core ModelForm stores "\\n", so a form saved unchanged
    changes nothing (found on the one-stop catalogue: 所需材料 was rewritten on every save)."""
    from rencai.core.forms import ModelForm

    class RemarksForm(ModelForm):
        class Meta:
            model = Talent
            fields = ["remarks"]
            widgets = {"remarks": forms.Textarea}

    form = RemarksForm(data={"remarks": "户口簿\r\n引进人才证明\r第三行"})
    assert form.is_valid(), form.errors
    assert form.instance.remarks == "户口簿\n引进人才证明\n第三行"
