"""The 企业需求 spreadsheet of FORMATS.md into needs; enterprises found by credit code, else name, else created."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from rencai.core import rowparse as rp
from rencai.core.imports import MERGE, Importer, ParsedRow, Problem, Target
from rencai.core.masking import mask_phone
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow
from rencai.core.textnorm import name_key
from rencai.core.validators import mobile_problem, normalize_mobile
from rencai.needs.fields import level_from_text, map_field
from rencai.needs.models import Kind, Need, Source, Status, Urgency
from rencai.needs.services import stamp_import
from rencai.orgs.models import Enterprise

COLUMNS = [
    "企业名称", "统一社会信用代码", "需求类型", "需求名称", "需求描述", "所属领域", "期望人才", "需求人数",
    "紧急程度", "拟投入经费(万元)", "联系人", "联系电话", "截止日期",
]


def _headcount(values: dict[str, Any], problems: list[Problem]) -> int:
    count = rp.integer(values, "需求人数", problems)
    if count is not None and count < 1:
        problems.append(("需求人数", "需求人数应为正整数"))
    return count or 1


def _phone(values: dict[str, Any], problems: list[Problem]) -> str:
    phone = rp.text(values, "联系电话")
    if not phone:
        return ""
    if phone.isdigit() and len(phone) == 11 and not mobile_problem(phone):
        return normalize_mobile(phone)
    if any(ch.isdigit() for ch in phone) and len(phone) <= 30:
        return phone  # landlines such as 0472-5123456 are kept as written
    problems.append(("联系电话", f"“{phone}”不像电话号码"))
    return ""


def _enterprise_key(code: str, name: str) -> str:
    return f"code:{code}" if code else f"name:{name_key(name)}"


class NeedImporter(Importer):
    kind = "needs"
    label = "企业需求"
    columns = COLUMNS
    required = ["企业名称", "需求名称", "需求描述"]
    masked_columns = {"联系电话": mask_phone}
    example = {
        "企业名称": "包头稀土永磁材料有限公司", "统一社会信用代码": "", "需求类型": "技术攻关",
        "需求名称": "高矫顽力钕铁硼磁体制备", "需求描述": "提高烧结钕铁硼磁体的矫顽力，降低重稀土用量",
        "所属领域": "稀土永磁材料", "期望人才": "材料学博士，有烧结工艺经验", "需求人数": 1, "紧急程度": "较急",
        "拟投入经费(万元)": 50, "联系人": "张工", "联系电话": "13812345678", "截止日期": "2026-12-31",
    }
    notes = {
        "企业名称": "必填。没有统一社会信用代码时按名称找已登记的企业（繁简、全角半角视为相同）",
        "统一社会信用代码": "18 位，校验位会核对；请设为文本格式",
        "需求类型": "技术攻关 / 人才引进 / 成果转化 / 科研助理岗位；留空为人才引进",
        "需求名称": "必填",
        "需求描述": "必填，企业自己的描述",
        "期望人才": "学历、专业、经验等",
        "需求人数": "整数，默认 1",
        "紧急程度": "一般 / 较急 / 紧急；留空为一般",
        "拟投入经费(万元)": "数字，单位万元",
        "联系电话": "手机 11 位，座机如 0472-5123456",
        "截止日期": "日期",
    }

    def targets(self) -> Sequence[Target]:
        need = {key: (key, column) for key, column in {
            "kind": "需求类型", "title": "需求名称", "description": "需求描述", "field_text": "所属领域",
            "discipline_code": "所属领域", "discipline_source": "所属领域", "industry_code": "所属领域",
            "expected_talent": "期望人才",
            "level": "期望人才", "headcount": "需求人数", "urgency": "紧急程度", "budget": "拟投入经费(万元)",
            "contact_name": "联系人", "contact_phone": "联系电话", "deadline": "截止日期"}.items()}
        enterprise = {"enterprise_name": ("name", "企业名称"), "credit_code": ("credit_code", "统一社会信用代码")}
        return [Target(Need, need), Target(Enterprise, enterprise)]

    def parse(self, row: SheetRow) -> ParsedRow:
        v, problems = row.values, list[rp.Problem]()
        name = rp.required(v, "企业名称", problems)
        title = rp.required(v, "需求名称", problems)
        field_text = rp.text(v, "所属领域")
        mapping = map_field(field_text)  # 稀土永磁材料 → 0805 through the thesaurus
        expected = rp.text(v, "期望人才")
        deadline, _ = rp.month_or_date(v, "截止日期", problems)
        data = {
            "enterprise_name": name,
            "credit_code": rp.credit_code(v, problems),
            "kind": rp.choice(v, "需求类型", Kind.values, problems) or Kind.TALENT,
            "title": title,
            "description": rp.required(v, "需求描述", problems),
            "field_text": field_text,
            "discipline_code": mapping.discipline_code,
            "discipline_source": mapping.source,
            "industry_code": mapping.industry_code,
            "expected_talent": expected,
            "level": level_from_text(expected),
            "headcount": _headcount(v, problems),
            "urgency": rp.choice(v, "紧急程度", Urgency.values, problems) or Urgency.NORMAL,
            "budget": rp.decimal(v, "拟投入经费(万元)", problems),
            "contact_name": rp.text(v, "联系人"),
            "contact_phone": _phone(v, problems),
            "deadline": deadline,
            "extra": rp.extra_as_text(row.extra),
        }
        parsed = ParsedRow(row=row.number, data=data, label=f"{name}：{title}", problems=problems)
        parsed.key = f"{_enterprise_key(data['credit_code'], name)}|{name_key(title)}"
        return parsed

    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        """A need already in the register: same enterprise (code, else name in the zone) and same title."""
        enterprises = _enterprises_for(rows, zone)
        found: dict[str, int] = {}
        for p in rows:
            enterprise_key, title_key = (p.key or "").split("|", 1)
            enterprise_pk = enterprises.get(enterprise_key)
            if enterprise_pk is None:
                continue
            for pk, title in Need.objects.filter(enterprise=enterprise_pk).values_list("pk", "title"):
                if name_key(title) == title_key:
                    found[p.key or ""] = pk
        return found

    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None, multi_value: str = MERGE) -> None:
        enterprises = _enterprises_for(rows, zone)
        for p in rows:
            data = dict(p.data)
            name, code = data.pop("enterprise_name"), data.pop("credit_code")
            key = _enterprise_key(code, name)
            if key not in enterprises:
                enterprises[key] = Enterprise.objects.create(name=name, credit_code=code or None, zone=zone).pk
            enterprise = Enterprise.objects.get(pk=enterprises[key])
            data["industry_code"] = data["industry_code"] or enterprise.industry_code
            if p.action == "update":
                need = Need.objects.get(pk=cast(int, p.existing_pk))  # an update row always matched a record
                if need.discipline_source == Need.DisciplineSource.STAFF:  # a correction by staff stays
                    data.pop("discipline_code"), data.pop("discipline_source")
                for field, value in data.items():
                    if value not in ("", None):
                        setattr(need, field, value)
                need.save()
                stamp_import(need, by=user, created=False)
            else:
                need = Need.objects.create(enterprise=enterprise, source=Source.IMPORT, status=Status.PUBLISHED,
                                           created_by=user, **data)
                stamp_import(need, by=user, created=True)

    def model(self) -> type[Need]:
        return Need


def _enterprises_for(rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
    """Enterprise keys of the file → existing enterprises: the credit code anywhere, else the name in the zone."""
    codes = {p.data["credit_code"] for p in rows if p.data.get("credit_code")}
    found = {f"code:{c}": pk for pk, c in Enterprise.objects.filter(credit_code__in=codes).values_list(
        "pk", "credit_code")}
    names = {name_key(p.data["enterprise_name"]) for p in rows if p.data.get("enterprise_name")}
    for pk, name in Enterprise.objects.filter(zone=zone).values_list("pk", "name"):
        if name_key(name) in names:
            found.setdefault(f"name:{name_key(name)}", pk)
    # A row with a code the register does not know yet may still name a registered enterprise.
    for p in rows:
        code, name = p.data.get("credit_code"), p.data.get("enterprise_name", "")
        if code and f"code:{code}" not in found and f"name:{name_key(name)}" in found:
            found[f"code:{code}"] = found[f"name:{name_key(name)}"]
    return found
