"""File mode of matching: the two spreadsheets in (FORMATS.md layouts), the results out as JSON or .xlsx.

Reading goes through the shared reader (header found under a merged title, 序号 ignored, blank rows
skipped, cells cleaned). A row that cannot be used is reported with its row number and a Chinese reason
and skipped; it never stops the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from rencai.core.spreadsheet import SheetRow, parse_int, read_table, write_xlsx
from rencai.core.textnorm import fold_width, name_key
from rencai.core.validators import credit_code_problem, id_number_problem
from rencai.matching.engine.records import NeedRecord, TalentRecord
from rencai.matching.engine.rounds import MatchResult
from rencai.matching.fieldknowledge import resolve_discipline, resolve_industries

__all__ = [
    "NEED_COLUMNS",
    "TALENT_COLUMNS",
    "RowProblem",
    "read_conflicts",
    "read_needs",
    "read_talents",
    "result_json",
    "write_json",
    "write_result_xlsx",
]

TALENT_COLUMNS = (
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机号",
    "最高学历",
    "最高学位",
    "毕业院校",
    "所学专业",
    "一级学科",
    "研究方向",
    "职称",
    "工作单位",
    "人才类型",
    "柔性方式",
    "人才层次",
    "代表性成果",
    "所在地区",
    "备注",
    "是否可对接",
)
NEED_COLUMNS = (
    "企业名称",
    "统一社会信用代码",
    "需求类型",
    "需求名称",
    "需求描述",
    "所属领域",
    "期望人才",
    "需求人数",
    "紧急程度",
    "拟投入经费(万元)",
    "联系人",
    "联系电话",
    "截止日期",
)
CONFLICT_COLUMNS = ("姓名", "企业名称")
_NOT_AVAILABLE = ("否", "不可", "暂停", "暂不", "停止", "n", "no", "false", "0")

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was skipped (or read with a default), for the person to fix in the file."""

    file: str  # 人才表 / 需求表 / 利益冲突表
    row: int
    reason: str
    action: str = "已跳过"

    def __str__(self) -> str:
        return f"{self.file}第 {self.row} 行：{self.reason}，{self.action}"


def read_talents(
    source: str | Path | BinaryIO, *, filename: str | None = None, progress: Progress | None = None
) -> tuple[list[TalentRecord], list[RowProblem]]:
    """Talent records keyed by their Excel row number, and the rows that could not be used."""
    talents: list[TalentRecord] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    with read_table(source, known_columns=TALENT_COLUMNS, required=("姓名",), filename=filename) as table:
        for count, row in enumerate(table.rows, 1):
            talent, reason = _talent(row)
            if talent is not None:
                duplicate_of = _first_seen(seen, _person_identity(row, talent), row.number)
                if duplicate_of is not None:
                    reason, talent = f"与第 {duplicate_of} 行是同一人", None
            if talent is None:
                problems.append(RowProblem("人才表", row.number, reason))
            else:
                talents.append(talent)
            if progress is not None:
                progress(count)
    return talents, problems


def read_needs(
    source: str | Path | BinaryIO, *, filename: str | None = None, progress: Progress | None = None
) -> tuple[list[NeedRecord], list[RowProblem]]:
    needs: list[NeedRecord] = []
    problems: list[RowProblem] = []
    required = ("企业名称", "需求名称", "需求描述")
    with read_table(source, known_columns=NEED_COLUMNS, required=required, filename=filename) as table:
        for count, row in enumerate(table.rows, 1):
            need = _need(row, problems)
            if need is not None:
                needs.append(need)
            if progress is not None:
                progress(count)
    return needs, problems


def read_conflicts(
    source: str | Path | BinaryIO, *, filename: str | None = None
) -> tuple[list[tuple[str, str]], list[RowProblem]]:
    """Declared conflicts of interest: a table with columns 姓名 and 企业名称, one pair a row."""
    pairs: list[tuple[str, str]] = []
    problems: list[RowProblem] = []
    with read_table(source, known_columns=CONFLICT_COLUMNS, required=CONFLICT_COLUMNS, filename=filename) as table:
        for row in table.rows:
            name, enterprise = _text(row, "姓名"), _text(row, "企业名称")
            if name and enterprise:
                pairs.append((name, enterprise))
            else:
                problems.append(RowProblem("利益冲突表", row.number, "姓名和企业名称都要填写"))
    return pairs, problems


# ---- rows to records -------------------------------------------------------------------------------


def _text(row: SheetRow, column: str) -> str:
    value = row.values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _talent(row: SheetRow) -> tuple[TalentRecord | None, str]:
    name = _text(row, "姓名")
    if not name:
        return None, "缺少姓名"
    id_value = row.values.get("身份证号")
    if id_value is not None:
        problem = id_number_problem(id_value)
        if problem:
            return None, problem
    discipline, major = _text(row, "一级学科"), _text(row, "所学专业")
    availability = fold_width(_text(row, "是否可对接")).lower()
    talent = TalentRecord(
        key=row.number,
        name=name,
        discipline=discipline,
        discipline_code=resolve_discipline(discipline, major),
        major=major,
        research=_text(row, "研究方向"),
        achievements=_text(row, "代表性成果"),
        title=_text(row, "职称"),
        degree=_text(row, "最高学位") or _text(row, "最高学历"),
        employer=_text(row, "工作单位"),
        talent_type=_text(row, "人才类型"),
        flexible_mode=_text(row, "柔性方式"),
        tier=fold_width(_text(row, "人才层次")).upper(),
        region=_text(row, "所在地区"),
        available=not any(availability.startswith(word) for word in _NOT_AVAILABLE),
    )
    return talent, ""


def _person_identity(row: SheetRow, talent: TalentRecord) -> str:
    """The same person twice: by ID number when present, else by name (Traditional = Simplified) and employer."""
    id_value = row.values.get("身份证号")
    if isinstance(id_value, str) and id_value.strip():
        return "id:" + fold_width(id_value).strip().upper()
    return "name:" + name_key(talent.name) + "|" + name_key(talent.employer)


def _first_seen(seen: dict[str, int], identity: str, number: int) -> int | None:
    if identity in seen:
        return seen[identity]
    seen[identity] = number
    return None


def _need(row: SheetRow, problems: list[RowProblem]) -> NeedRecord | None:
    missing = [c for c in ("企业名称", "需求名称", "需求描述") if not _text(row, c)]
    if missing:
        problems.append(RowProblem("需求表", row.number, "缺少" + "、".join(missing)))
        return None
    code = _text(row, "统一社会信用代码")
    if code:
        problem = credit_code_problem(row.values.get("统一社会信用代码"))
        if problem:
            problems.append(RowProblem("需求表", row.number, problem))
            return None
    demand = 1
    try:
        demand = parse_int(row.values.get("需求人数")) or 1
    except ValueError as exc:
        problems.append(RowProblem("需求表", row.number, f"需求人数{exc}", "已按 1 人处理"))
    if demand < 1:
        problems.append(RowProblem("需求表", row.number, f"需求人数为 {demand}", "已按 1 人处理"))
        demand = 1
    field = _text(row, "所属领域")
    return NeedRecord(
        key=row.number,
        enterprise=_text(row, "企业名称"),
        title=_text(row, "需求名称"),
        description=_text(row, "需求描述"),
        field=field,
        expected=_text(row, "期望人才"),
        need_type=_text(row, "需求类型"),
        demand=demand,
        urgency=_text(row, "紧急程度"),
        enterprise_code=fold_width(code).upper(),
        industry_codes=resolve_industries(field),
    )


# ---- results out -----------------------------------------------------------------------------------


def result_json(result: MatchResult, *, needs_read: int | None = None, seconds: float | None = None) -> dict[str, Any]:
    """The FORMATS.md "Matching results" object, exactly those keys."""
    titles = {r.need.key: r.need.title for r in result.needs}
    return {
        "needs": [
            {
                "row": r.need.key,
                "enterprise": r.need.enterprise,
                "title": r.need.title,
                "candidates": [
                    {"row": c.key, "name": c.name, "score": round(c.score, 3), "reasons": list(c.reasons)}
                    for c in r.candidates
                ],
                "assigned": [{"row": c.key, "name": c.name} for c in r.assigned],
            }
            for r in result.needs
        ],
        "unassigned": [{"row": key, "title": titles[key], "why": why} for key, why in result.unassigned.items()],
        "stats": {
            "talents": result.talents,
            "needs": len(result.needs) if needs_read is None else needs_read,
            "seconds": round(result.seconds if seconds is None else seconds, 2),
        },
    }


def write_json(data: dict[str, Any], target: TextIO | str | Path) -> None:
    """`data` as indented JSON, streamed in pieces: 10,000 needs' candidates and reasons are tens of
    megabytes, never held as one string. The bytes are those of `json.dumps(data, indent=2)` plus a newline."""
    if isinstance(target, str | Path):
        with Path(target).open("w", encoding="utf-8", newline="\n") as handle:
            _stream_json(data, handle)
    else:
        _stream_json(data, target)


_JSON_BATCH = 4096  # encoder pieces joined per write


def _stream_json(data: dict[str, Any], target: TextIO) -> None:
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        pieces.append(piece)
        if len(pieces) >= _JSON_BATCH:
            target.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    target.write("".join(pieces))


def write_result_xlsx(result: MatchResult, target: str | Path | BinaryIO) -> None:
    """Two sheets for people: 对接方案 (the plan, one line per pairing or unserved need) and 候选名单."""
    write_xlsx(target, [("对接方案", _PLAN_HEADER, _plan_rows(result)), ("候选名单", _LIST_HEADER, _list_rows(result))])


_PLAN_HEADER = (
    "需求行号",
    "企业名称",
    "需求名称",
    "需求人数",
    "人才行号",
    "姓名",
    "角色",
    "得分",
    "主要理由",
    "未安排原因",
)
_LIST_HEADER = ("需求行号", "企业名称", "需求名称", "名次", "人才行号", "姓名", "得分", "是否安排", "理由")


def _plan_rows(result: MatchResult) -> Iterable[Sequence[object]]:
    roles = result.plan.roles
    for r in result.needs:
        need = r.need
        head = (need.key, need.enterprise, need.title, need.demand)
        for c in r.assigned:
            role = roles.get((need.key, c.key), "")
            yield (*head, c.key, c.name, role, round(c.score, 3), "；".join(c.reasons[:3]), "")
        why = result.unassigned.get(need.key)
        if why:
            yield (*head, None, None, None, None, None, why)


def _list_rows(result: MatchResult) -> Iterable[Sequence[object]]:
    for r in result.needs:
        need = r.need
        assigned = {c.key for c in r.assigned}
        for rank, c in enumerate(r.candidates, 1):
            chosen = "是" if c.key in assigned else ""
            yield (
                need.key,
                need.enterprise,
                need.title,
                rank,
                c.key,
                c.name,
                round(c.score, 3),
                chosen,
                "；".join(c.reasons),
            )
