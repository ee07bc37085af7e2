"""The office's letterhead and 文号: one place every letter, notice and task book takes them from."""

from __future__ import annotations

from django.db import transaction

from rencai.core.models import City, DocumentSeries, OfficeProfile


def office_of(city: City | None) -> OfficeProfile:
    """The city's office profile, made with defaults on first use (the 人才办信息 page edits it)."""
    if city is None:
        return OfficeProfile(name="人才工作领导小组办公室")
    profile, _ = OfficeProfile.objects.get_or_create(city=city, defaults={"region": city.name})
    return profile


@transaction.atomic
def document_number(*, city: City, key: str, year: int, prefix: str = "") -> str:
    """The next 文号 of a series for a year, e.g. 包人才办〔2026〕7号; concurrent callers never get the same one."""
    series, _ = DocumentSeries.objects.get_or_create(
        city=city, key=key, year=year, defaults={"prefix": prefix or f"{city.name[:1]}人才办"})
    series = DocumentSeries.objects.select_for_update().get(pk=series.pk)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return f"{series.prefix}〔{year}〕{series.last_number}号"
