"""The 人才信息 spreadsheet (FORMATS.md) into the talent register."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rencai.core import rowparse as rp
from rencai.core.catalogs import find_discipline
from rencai.core.crypto import lookup_hash
from rencai.core.imports import Importer, ParsedRow, Problem
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow
from rencai.core.textnorm import fold_width, name_key
from rencai.core.validators import id_number_problem, mobile_problem, normalize_id_number, normalize_mobile
from rencai.talents.models import FlexibleMode, Talent, TalentType, Tier
from rencai.talents.services import active_rules, talent_apply_tier

COLUMNS = [
    "姓名", "性别", "出生日期", "身份证号", "手机号", "最高学历", "最高学位", "毕业院校", "所学专业", "一级学科",
    "研究方向", "职称", "工作单位", "人才类型", "柔性方式", "人才层次", "代表性成果", "所在地区", "备注",
]
# Spreadsheet column → model field, for the columns copied as text.
TEXT_FIELDS = {
    "最高学历": "education", "毕业院校": "graduated_from", "所学专业": "major", "研究方向": "research_directions",
    "职称": "title", "工作单位": "employer", "代表性成果": "achievements", "所在地区": "region", "备注": "remarks",
}
DEGREE_WORDS = {d + suffix: d for d in ("博士", "硕士", "学士") for suffix in ("", "学位")}


def _id_number(values: dict[str, Any], problems: list[Problem]) -> str:
    raw = values.get("身份证号")
    if raw in (None, ""):
        return ""
    problem = id_number_problem(raw)
    if problem:
        problems.append(("身份证号", problem))
        return ""
    return normalize_id_number(str(raw))


def _phone(values: dict[str, Any], problems: list[Problem]) -> str:
    raw = values.get("手机号")
    if raw in (None, ""):
        return ""
    problem = mobile_problem(raw)
    if problem:
        problems.append(("手机号", problem))
        return ""
    return normalize_mobile(raw)


def _tier(values: dict[str, Any], problems: list[Problem]) -> str:
    raw = fold_width(rp.text(values, "人才层次")).upper().removesuffix("类")
    if raw and raw not in Tier.values:
        problems.append(("人才层次", f"“{raw}”不是 A–E 中的一类；留空则按分层规则自动认定"))
        return ""
    return raw


def _discipline(values: dict[str, Any]) -> tuple[str, str]:
    given = rp.text(values, "一级学科")
    found = find_discipline(given) if given else None
    return (found.code, found.name) if found else ("", given)


def _fill_from_id(data: dict[str, Any], id_number: str) -> None:
    """Birth date and sex are in the ID number; use them when the sheet leaves them empty."""
    from datetime import date

    if not data.get("birth_date"):
        data["birth_date"] = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        data["birth_month_only"] = False
    if not data.get("gender"):
        data["gender"] = "男" if int(id_number[16]) % 2 else "女"


class TalentImporter(Importer):
    kind = "talents"
    label = "人才信息"
    columns = COLUMNS
    required = ["姓名"]

    def parse(self, row: SheetRow) -> ParsedRow:
        v, problems = row.values, []
        name = rp.required(v, "姓名", problems)
        birth, month_only = rp.month_or_date(v, "出生日期", problems)
        code, discipline = _discipline(v)
        data: dict[str, Any] = {
            "name": name,
            "gender": rp.choice(v, "性别", ["男", "女"], problems),
            "birth_date": birth,
            "birth_month_only": month_only,
            "id_number": _id_number(v, problems),
            "phone": _phone(v, problems),
            "degree": DEGREE_WORDS.get(rp.text(v, "最高学位"), rp.text(v, "最高学位")),
            "discipline_code": code,
            "discipline": discipline,
            "talent_type": rp.choice(v, "人才类型", TalentType.values, problems),
            "flexible_mode": rp.choice(v, "柔性方式", FlexibleMode.values, problems),
            "tier": _tier(v, problems),
            "extra": rp.extra_as_text(row.extra),
        } | {field: rp.text(v, column) for column, field in TEXT_FIELDS.items()}
        if data["id_number"]:
            _fill_from_id(data, data["id_number"])
        parsed = ParsedRow(row=row.number, data=data, label=name, problems=problems)
        parsed.key = self.key(data)
        return parsed

    @staticmethod
    def key(data: dict[str, Any]) -> str | None:
        """Same person: same ID number; else same name (Traditional = Simplified) and birth date."""
        if data["id_number"]:
            return "id:" + lookup_hash(data["id_number"])
        if not data["name"]:
            return None
        birth = data["birth_date"].isoformat() if data["birth_date"] else ""
        return f"nb:{name_key(data['name'])}|{birth}"

    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        keys = {p.key for p in rows if p.key}
        found: dict[str, int] = {}
        hashes = [k[3:] for k in keys if k.startswith("id:")]
        names = {k[3:].split("|")[0] for k in keys if k.startswith("nb:")}
        in_zone = Talent.objects.filter(zone=zone)
        for chunk in _chunks(hashes):
            for pk, h in in_zone.filter(id_number_hash__in=chunk).values_list("pk", "id_number_hash"):
                found["id:" + h] = pk
        for chunk in _chunks(sorted(names)):
            for pk, nk, birth in in_zone.filter(name_key__in=chunk).values_list("pk", "name_key", "birth_date"):
                found.setdefault(f"nb:{nk}|{birth.isoformat() if birth else ''}", pk)
        return found

    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None) -> None:
        rules = active_rules()
        creates = [self._new(p.data, zone, rules) for p in rows if p.action == "create"]
        Talent.objects.bulk_create(creates, batch_size=500)
        updates = {p.existing_pk: p.data for p in rows if p.action == "update"}
        for talent in Talent.objects.filter(pk__in=list(updates)):
            _merge(talent, updates[talent.pk])
            talent_apply_tier(talent=talent, rules=rules)
            talent.save()

    @staticmethod
    def _new(data: dict[str, Any], zone: Zone, rules: Sequence[Any]) -> Talent:
        talent = Talent(zone=zone, **data)
        talent.tier_manual = bool(data["tier"])
        talent_apply_tier(talent=talent, rules=rules)
        talent.refresh_keys()  # bulk_create skips save()
        return talent


def _merge(talent: Talent, data: dict[str, Any]) -> None:
    """A re-import fills and corrects; an empty cell never erases what the register has."""
    for field, value in data.items():
        if field == "extra":
            talent.extra = {**talent.extra, **value}
        elif value not in ("", None) and not (field == "birth_month_only" and not data.get("birth_date")):
            setattr(talent, field, value)
    if data.get("tier"):
        talent.tier_manual = True


def _chunks(items: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
