"""Builders of this area's records, through the services real use goes through."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rencai.core.imports import run_import
from rencai.recruitment import services
from rencai.recruitment.models import Campaign, Event, Intention, Post, Source

CONTRACT = b"%PDF-1.4\n% signed labour contract\n"


def make_campaign(world: Any, **fields: Any) -> Campaign:
    defaults: dict[str, Any] = {"name": "名校引才专项行动", "zone": world.zone_a, "city": world.zone_a.city,
                                "starts_on": date(2026, 3, 1), "ends_on": date(2026, 8, 31), "target_hires": 100}
    return services.campaign_create(by=world.admin, **(defaults | fields))


def make_event(world: Any, campaign: Campaign, university: str = "清华大学", **fields: Any) -> Event:
    defaults: dict[str, Any] = {"held_on": date(2026, 3, 15), "university": university, "city_name": "北京"}
    return services.event_add(campaign=campaign, by=world.admin, **(defaults | fields))


def make_post(world: Any, campaign: Campaign, enterprise: Any = None, title: str = "稀土永磁材料研发工程师",
              **fields: Any) -> Post:
    return services.post_add(campaign=campaign, by=world.admin, enterprise=enterprise or world.enterprise,
                             title=title, field_text=fields.pop("field_text", "新材料"), **fields)


def capture(post: Post, event: Event | None = None, *, by: Any = None, **person: Any) -> Intention:
    defaults: dict[str, Any] = {"name": "陈思远", "phone": "13912345678", "degree": "博士", "university": "清华大学",
                                "major": "材料科学与工程"}
    return services.intention_capture(post=post, event=event, consent=person.pop("consent", True),
                                      source=person.pop("source", Source.QR), by=by, **(defaults | person))


def contract_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("劳动合同.pdf", CONTRACT, content_type="application/pdf")


def to_arrived(intention: Intention, by: Any, on: date | None = None) -> Intention:
    for move in ("contact", "interview", "offer", "sign"):
        intention = services.intention_move(intention=intention, move=move, by=by)
    services.contract_upload(intention=intention, file=contract_file(), by=by)
    return services.intention_move(intention=intention, move="arrive", by=by, on=on)


def insurance_sheet(rows: list[tuple[str, str, str]], employer: str = "包头稀土永磁材料有限公司") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "缴费月份", "参保单位", "统一社会信用代码"])
    for name, id_number, month in rows:
        sheet.append([name, id_number, month, employer, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_insurance(world: Any, content: bytes, *, dry_run: bool = False, zone: Any = None) -> Any:
    return run_import("social_insurance", io.BytesIO(content), filename="社保缴纳.xlsx", zone=zone or world.zone_a,
                      user=world.admin, dry_run=dry_run)
