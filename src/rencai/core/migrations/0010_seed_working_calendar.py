"""Seed the working-day calendar with the official holidays and 调休 days that chinese-calendar knows."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    from rencai.core.workcalendar import NAMES

    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = [CalendarDay(day=day, kind="holiday", name=NAMES.get(name, name or "法定节假日"))
            for day, name in chinese_calendar.holidays.items() if day.year >= 2020]
    rows += [CalendarDay(day=day, kind="workday", name=f"{NAMES.get(name, name)}调休上班")
             for day, name in chinese_calendar.workdays.items() if day.year >= 2020]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0009_office_calendar_and_document_series")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
