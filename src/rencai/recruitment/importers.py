"""The human-resources bureau's social-insurance spreadsheet (社保缴纳记录): one row per person and month.

Rows are checked (ID check digit, month) with the usual preview and row-level refusals; writing records the
months and marks every arrived hire they prove as insured in the zone — importing the same file twice changes
nothing the second time (the records are keyed by person and month, the reward by talent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rencai.core import rowparse as rp
from rencai.core.crypto import lookup_hash
from rencai.core.imports import MERGE, Importer, ParsedRow, Problem, Target
from rencai.core.masking import mask_id_number
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow
from rencai.core.validators import id_number_problem, normalize_id_number
from rencai.recruitment.models import InsuranceRecord

COLUMNS = ["姓名", "身份证号", "缴费月份", "参保单位", "统一社会信用代码"]


class InsuranceImporter(Importer):
    kind = "social_insurance"
    label = "社保缴纳记录"
    columns = COLUMNS
    required = ["姓名", "身份证号", "缴费月份"]
    masked_columns = {"身份证号": mask_id_number}
    example = {"姓名": "张伟", "身份证号": "150203198805120018", "缴费月份": "2026-03",
               "参保单位": "包头稀土永磁材料有限公司",
               "统一社会信用代码": ""}
    notes = {"姓名": "必填", "身份证号": "必填，18 位，校验位会核对；请设为文本格式",
             "缴费月份": "必填，如 2026-03 或 2026年3月", "参保单位": "人社局导出的单位名称",
             "统一社会信用代码": "参保单位的代码，18 位"}

    def targets(self) -> Sequence[Target]:
        return [Target(InsuranceRecord, {"name": ("name", "姓名"), "employer": ("employer", "参保单位")})]

    def model(self) -> type[InsuranceRecord]:
        return InsuranceRecord

    def parse(self, row: SheetRow) -> ParsedRow:
        values = row.values
        problems: list[Problem] = []
        name = rp.required(values, "姓名", problems)
        id_number = rp.checked(values, "身份证号", problems, problem=id_number_problem, normalize=normalize_id_number)
        if not id_number and not any(c == "身份证号" for c, _ in problems):
            problems.append(("身份证号", "身份证号不能为空"))
        month, _ = rp.month_or_date(values, "缴费月份", problems)
        if month is None and not any(c == "缴费月份" for c, _ in problems):
            problems.append(("缴费月份", "缴费月份不能为空"))
        code = rp.credit_code(values, problems)
        data: dict[str, Any] = {"name": name, "employer": rp.text(values, "参保单位"), "credit_code": code}
        key = None
        if id_number and month is not None:
            month = month.replace(day=1)
            data |= {"id_number_hash": lookup_hash(id_number), "month": month}
            key = f"{data['id_number_hash']}:{month.isoformat()}"
        return ParsedRow(row=row.number, data=data, label=f"{name} {month:%Y-%m}" if month else name,
                         problems=problems, key=key)

    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        hashes = {p.data["id_number_hash"] for p in rows if p.key}
        found = InsuranceRecord.objects.filter(zone=zone, id_number_hash__in=hashes)
        return {f"{r.id_number_hash}:{r.month.isoformat()}": r.pk for r in found}

    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None, multi_value: str = MERGE) -> None:
        from rencai.recruitment.services import insurance_records_write

        # updates (a month already recorded) are written too: the hires they prove are checked again, harmlessly
        insurance_records_write([p.data for p in rows], zone=zone, by=user)
