"""Builders for the 一站式服务 tests: a city's catalog items, bureaus and their staff, a working-day calendar."""

from __future__ import annotations

from datetime import date

from rencai.core.models import Bureau, CalendarDay, City, User
from rencai.core.roles import Role
from rencai.onestop.models import PartnerVenue, ServiceItem
from tests.factories import BureauFactory, UserFactory

# National Day 2027 as the office would enter it: 1–7 October off, Sunday 26 September and Saturday 9 October worked.
HOLIDAYS_2027 = [date(2027, 10, d) for d in range(1, 8)]
MAKEUP_2027 = [date(2027, 9, 26), date(2027, 10, 9)]


def national_day_2027() -> None:
    for day in HOLIDAYS_2027:
        CalendarDay.objects.update_or_create(day=day, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"})
    for day in MAKEUP_2027:
        CalendarDay.objects.update_or_create(day=day, defaults={"kind": CalendarDay.Kind.WORKDAY,
                                                                "name": "国庆节调休上班"})


def bureau(city: City, code: str, name: str) -> Bureau:
    return BureauFactory(city=city, code=code, name=name)


def bureau_staff(b: Bureau, username: str) -> User:
    return UserFactory(username=username, role=Role.BUREAU, city=b.city, bureau=b)


def item(city: City, code: str = "school", name: str = "子女入学", *, bureaus: list[Bureau], limit: int = 10,
         task_limit: int = 5, **extra: object) -> ServiceItem:
    row = ServiceItem.objects.create(city=city, code=code, name=name, time_limit_days=limit,
                                     task_limit_days=task_limit, documents="户口簿\n引进人才证明", **extra)
    row.bureaus.set(bureaus)
    return row


def venue(city: City, name: str, items: list[ServiceItem], members: list[User]) -> PartnerVenue:
    row = PartnerVenue.objects.create(city=city, name=name, kind="医院")
    row.items.set(items)
    row.members.set(members)
    return row
