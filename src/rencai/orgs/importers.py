"""The 企业信息 spreadsheet into the enterprise register (columns in docs/formats-enterprises.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.utils import translation

from rencai.core import rowparse as rp
from rencai.core.imports import MERGE, Importer, ParsedRow, Problem, Target
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow
from rencai.core.textnorm import name_key, split_terms
from rencai.core.validators import mobile_problem, normalize_mobile
from rencai.orgs.industry import find_industry_code
from rencai.orgs.models import Enterprise, EnterpriseContact, InnovationIndicator, Qualification

COLUMNS = [
    "企业名称", "统一社会信用代码", "所属行业", "企业资质", "地址", "成立日期", "职工人数", "指标年度",
    "研发投入(万元)", "是否有研发机构", "有效发明专利数", "联系人", "联系电话", "备注",
]
# Spreadsheets are filled in Chinese whatever language the uploader's pages are in.
with translation.override("zh-hans"):
    QUALIFICATION_LABELS = {str(q.label): q.value for q in Qualification}
QUALIFICATION_WORDS = QUALIFICATION_LABELS | {
    "高新技术": "high_tech", "高企": "high_tech", "国家高新技术企业": "high_tech",
    "专精特新中小企业": "specialized", "专精特新“小巨人”": "little_giant", "专精特新小巨人": "little_giant",
    "规上": "above_scale", "规模以上": "above_scale", "规模以上工业企业": "above_scale",
}
YES = {"是", "有", "Y", "YES", "1", "√", "✓"}
NO = {"否", "无", "没有", "N", "NO", "0", "×"}


def _industry(values: dict[str, Any], problems: list[Problem]) -> str:
    given = rp.text(values, "所属行业")
    code = find_industry_code(given) if given else ""
    if given and not code:
        problems.append(("所属行业", f"“{given}”不在国民经济行业分类中，请填门类或大类的代码或名称，如 C26"))
    return code or ""


def _qualifications(values: dict[str, Any], problems: list[Problem]) -> list[str]:
    found = []
    for word in split_terms(rp.text(values, "企业资质")):
        if word in QUALIFICATION_WORDS:
            found.append(QUALIFICATION_WORDS[word])
        else:
            problems.append(("企业资质", f"“{word}”不是可识别的资质，可填：{'、'.join(QUALIFICATION_LABELS)}"))
    return sorted(set(found))


def _yes_no(values: dict[str, Any], column: str, problems: list[Problem]) -> bool | None:
    value = rp.text(values, column).upper()
    if not value:
        return None
    if value in YES or value in NO:
        return value in YES
    problems.append((column, f"“{value}”应填 是 或 否"))
    return None


def _indicator(values: dict[str, Any], problems: list[Problem]) -> dict[str, Any] | None:
    year = rp.integer(values, "指标年度", problems)
    figures = {
        "rd_spending": rp.decimal(values, "研发投入(万元)", problems, unit="万元"),
        "has_rd_institution": _yes_no(values, "是否有研发机构", problems),
        "invention_patents": rp.integer(values, "有效发明专利数", problems),
    }
    if all(v is None for v in figures.values()):
        return None
    if year is None:
        problems.append(("指标年度", "填写了研发投入、研发机构或发明专利时，请同时填写指标年度"))
        return None
    if figures["invention_patents"] is not None and figures["invention_patents"] < 0:
        problems.append(("有效发明专利数", "不能为负数"))
    return {"year": year} | {k: v for k, v in figures.items() if v is not None}


def _contact(values: dict[str, Any], problems: list[Problem]) -> dict[str, str] | None:
    name, phone = rp.text(values, "联系人"), values.get("联系电话")
    if phone not in (None, "") and (problem := mobile_problem(phone)):
        problems.append(("联系电话", problem))
        phone = ""
    if not name:
        return None
    return {"name": name, "phone": normalize_mobile(phone) if phone else ""}


class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "企业信息"
    columns = COLUMNS
    required = ["企业名称"]
    multi_value_columns = ("企业资质",)
    example = {
        "企业名称": "包头稀土永磁材料有限公司", "统一社会信用代码": "", "所属行业": "C39",
        "企业资质": "高新技术企业、专精特新", "地址": "包头市稀土高新区", "成立日期": "2010-06", "职工人数": 320,
        "指标年度": 2025, "研发投入(万元)": 120.5, "是否有研发机构": "是", "有效发明专利数": 3, "联系人": "张工",
        "联系电话": "13812345678", "备注": "",
    }
    notes = {
        "企业名称": "必填，按营业执照的写法",
        "统一社会信用代码": "18 位，校验位会核对；有代码时按它判断是否重复。请设为文本格式",
        "所属行业": "国民经济行业分类的门类字母、大类代码或名称，如 C、C26、化学原料和化学制品制造业",
        "企业资质": "可写多个，用 ；、, 或 ; 分隔：高新技术企业、专精特新、小巨人、规上企业",
        "成立日期": "日期；只写年月时按该月 1 日",
        "职工人数": "整数",
        "指标年度": "填写研发投入、研发机构或发明专利时必填，如 2025",
        "研发投入(万元)": "数字，单位万元；写成 5000元 会换算为 0.5",
        "是否有研发机构": "是 / 否",
        "有效发明专利数": "整数，不能为负",
        "联系电话": "手机 11 位",
    }

    def targets(self) -> Sequence[Target]:
        enterprise = {key: (key, column) for key, column in {
            "name": "企业名称", "credit_code": "统一社会信用代码", "industry_code": "所属行业", "address": "地址",
            "established_on": "成立日期", "employees": "职工人数", "remarks": "备注"}.items()}
        indicator = {"year": ("year", "指标年度"), "rd_spending": ("rd_spending", "研发投入(万元)"),
                     "invention_patents": ("invention_patents", "有效发明专利数"),
                     "has_rd_institution": ("has_rd_institution", "是否有研发机构")}
        contact = {"name": ("name", "联系人"), "phone": ("phone", "联系电话")}
        return [Target(Enterprise, enterprise), Target(InnovationIndicator, indicator, part="_indicator"),
                Target(EnterpriseContact, contact, part="_contact")]

    def compared(self) -> dict[str, tuple[str, str]]:
        return dict(self.targets()[0].fields) | {"qualifications": ("qualifications", "企业资质")}

    def show(self, value: Any) -> str:
        if isinstance(value, list):
            labels = {code: label for label, code in QUALIFICATION_LABELS.items()}
            return "、".join(labels.get(v, str(v)) for v in value)
        return super().show(value)

    def parse(self, row: SheetRow) -> ParsedRow:
        v, problems = row.values, list[rp.Problem]()
        name = rp.required(v, "企业名称", problems)
        established, _ = rp.month_or_date(v, "成立日期", problems)
        data: dict[str, Any] = {
            "name": name,
            "credit_code": rp.credit_code(v, problems),
            "industry_code": _industry(v, problems),
            "qualifications": _qualifications(v, problems),
            "address": rp.text(v, "地址"),
            "established_on": established,
            "employees": rp.integer(v, "职工人数", problems),
            "remarks": rp.text(v, "备注"),
            "extra": rp.extra_as_text(row.extra),
            "_indicator": _indicator(v, problems),
            "_contact": _contact(v, problems),
        }
        parsed = ParsedRow(row=row.number, data=data, label=name, problems=problems)
        parsed.key = ("code:" + data["credit_code"]) if data["credit_code"] else ("name:" + name_key(name))
        return parsed

    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        codes = [p.key[5:] for p in rows if p.key and p.key.startswith("code:")]
        found = {"code:" + c: pk for pk, c in Enterprise.objects.filter(credit_code__in=codes).values_list(
            "pk", "credit_code")}
        wanted = {p.key[5:] for p in rows if p.key and p.key.startswith("name:")}
        for pk, name in Enterprise.objects.filter(zone=zone).values_list("pk", "name"):
            if name_key(name) in wanted:
                found.setdefault("name:" + name_key(name), pk)
        return found

    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None, multi_value: str = MERGE) -> None:
        for p in rows:
            data = dict(p.data)
            indicator, contact = data.pop("_indicator"), data.pop("_contact")
            data["credit_code"] = data["credit_code"] or None
            if p.action == "update":
                # an update row always matched a record, so existing_pk is set
                enterprise = Enterprise.objects.get(pk=cast(int, p.existing_pk))
                for field, value in data.items():
                    if field == "extra":
                        enterprise.extra = {**enterprise.extra, **value}
                    elif field == "qualifications" and value and multi_value == MERGE:
                        enterprise.qualifications = sorted({*enterprise.qualifications, *value})
                    elif value not in ("", None, []):
                        setattr(enterprise, field, value)
                enterprise.save()
            else:
                enterprise = Enterprise.objects.create(zone=zone, **data)
            if indicator:
                year = indicator.pop("year")
                InnovationIndicator.objects.update_or_create(enterprise=enterprise, year=year, defaults=indicator)
            if contact and not enterprise.contacts.filter(name=contact["name"]).exists():
                EnterpriseContact.objects.create(enterprise=enterprise, is_primary=True, **contact)
