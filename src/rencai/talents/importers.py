"""The 人才信息 spreadsheet (FORMATS.md) into the talent register."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, TypeVar

from rencai.core import rowparse as rp
from rencai.core.catalogs import find_discipline
from rencai.core.crypto import lookup_hash
from rencai.core.imports import MERGE, Importer, ParsedRow, Problem, Target, bulk_insert, bulk_update_all
from rencai.core.masking import mask_id_number, mask_phone
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow
from rencai.core.textnorm import fold_width, name_key
from rencai.core.validators import id_number_problem, mobile_problem, normalize_id_number, normalize_mobile
from rencai.talents.models import EDUCATION_LEVELS, FlexibleMode, Talent, TalentType, Tier, TierRule
from rencai.talents.services import active_rules, talent_apply_tier
from rencai.talents.tiers import classify, talent_facts

COLUMNS = [
    "姓名", "性别", "出生日期", "身份证号", "手机号", "最高学历", "最高学位", "毕业院校", "所学专业", "一级学科",
    "研究方向", "职称", "工作单位", "人才类型", "柔性方式", "人才层次", "代表性成果", "所在地区", "备注",
]
# Spreadsheet column → model field, for the columns copied as text.
TEXT_FIELDS = {
    "最高学历": "education", "毕业院校": "graduated_from", "所学专业": "major", "研究方向": "research_directions",
    "职称": "title", "工作单位": "employer", "代表性成果": "achievements", "所在地区": "region", "备注": "remarks",
}
# Every parsed value and the column it comes from, for the preview's check against the model's constraints.
FIELD_COLUMNS = {field: (field, column) for column, field in TEXT_FIELDS.items()} | {
    "name": ("name", "姓名"), "gender": ("gender", "性别"), "birth_date": ("birth_date", "出生日期"),
    "id_number": ("id_number", "身份证号"), "phone": ("phone", "手机号"), "degree": ("degree", "最高学位"),
    "discipline": ("discipline", "一级学科"), "discipline_code": ("discipline_code", "一级学科"),
    "talent_type": ("talent_type", "人才类型"), "flexible_mode": ("flexible_mode", "柔性方式"),
    "tier": ("tier", "人才层次"),
}
DEGREE_WORDS = {d + suffix: d for d in ("博士", "硕士", "学士") for suffix in ("", "学位")}
# Choice lists read once: TextChoices.values builds a new list on every access, i.e. per row.
GENDERS, TALENT_TYPES, FLEXIBLE_MODES = ("男", "女"), tuple(TalentType.values), tuple(FlexibleMode.values)
TIERS = frozenset(Tier.values)
DEGREE_KEYS = tuple(DEGREE_WORDS)
UPDATE_BATCH = 500
T = TypeVar("T")


def _id_number(values: dict[str, Any], problems: list[Problem]) -> str:
    return rp.checked(values, "身份证号", problems, problem=id_number_problem, normalize=normalize_id_number)


def _phone(values: dict[str, Any], problems: list[Problem]) -> str:
    return rp.checked(values, "手机号", problems, problem=mobile_problem, normalize=normalize_mobile)


def _degree(values: dict[str, Any]) -> str:
    given = rp.text(values, "最高学位")
    found = rp.canonical(given, DEGREE_KEYS) if given else None
    return DEGREE_WORDS[found] if found else given


def _tier(values: dict[str, Any], problems: list[Problem]) -> str:
    raw = fold_width(rp.text(values, "人才层次")).upper().removesuffix("类")
    if raw and raw not in TIERS:
        problems.append(("人才层次", f"“{raw}”不是 A–E 中的一类；留空则按分层规则自动认定"))
        return ""
    return raw


def _discipline(values: dict[str, Any]) -> tuple[str, str]:
    return _discipline_of(rp.text(values, "一级学科"))


@lru_cache(maxsize=4096)
def _discipline_of(given: str) -> tuple[str, str]:
    """A column holds a few dozen distinct disciplines: resolve each once, not once per row."""
    found = find_discipline(given) if given else None
    return (found.code, found.name) if found else ("", given)


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    return name_key(name)  # opencc per call; common names repeat across a large sheet


def _fill_from_id(data: dict[str, Any], id_number: str) -> None:
    """Birth date and sex are in the ID number; use them when the sheet leaves them empty."""
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
    multi_value_columns = ("研究方向",)
    example = {
        "姓名": "张伟", "性别": "男", "出生日期": "1982-05-12", "身份证号": "", "手机号": "13912345678",
        "最高学历": "博士研究生", "最高学位": "博士", "毕业院校": "北京科技大学", "所学专业": "材料科学与工程",
        "一级学科": "材料科学与工程", "研究方向": "稀土永磁材料；钕铁硼", "职称": "教授", "工作单位": "内蒙古科技大学",
        "人才类型": "柔性引进", "柔性方式": "项目合作", "人才层次": "", "代表性成果": "发明专利 3 项",
        "所在地区": "包头市", "备注": "",
    }
    notes = {
        "姓名": "必填。按身份证上的写法，繁体也可",
        "性别": "男 / 女",
        "出生日期": "1988-05-12、1988/5/12、1988.5.12、1988年5月 均可；只知道年月可只写年月",
        "身份证号": "18 位，校验位会核对；请把该列设为文本格式，否则 Excel 会丢掉后几位。有身份证号时按它判断是否重复",
        "手机号": "11 位",
        "最高学历": "博士研究生 / 硕士研究生 / 大学本科 / 大学专科 / …",
        "最高学位": "博士 / 硕士 / 学士",
        "一级学科": "国家学位授予学科目录的名称或代码，如 材料科学与工程 或 0805",
        "研究方向": "可写多个，用 ；、, 或 ; 分隔。更新已登记的人才时可选择合并或替换",
        "职称": "如 教授、研究员、正高级工程师、副教授、高级工程师",
        "人才类型": "全职引进 / 柔性引进 / 本土培养 / 博士服务 / 博士后",
        "柔性方式": "候鸟式 / 周末式 / 兼职 / 顾问 / 项目合作 / 驻企服务",
        "人才层次": "A–E；留空则按分层规则自动认定",
        "代表性成果": "论文、专利、项目、奖励等",
    }
    masked_columns = {"身份证号": mask_id_number, "手机号": mask_phone}

    def targets(self) -> Sequence[Target]:
        return [Target(Talent, FIELD_COLUMNS)]

    def parse(self, row: SheetRow) -> ParsedRow:
        v, problems = row.values, list[rp.Problem]()
        name = rp.required(v, "姓名", problems)
        birth, month_only = rp.month_or_date(v, "出生日期", problems)
        code, discipline = _discipline(v)
        data: dict[str, Any] = {
            "name": name,
            "gender": rp.choice(v, "性别", GENDERS, problems),
            "birth_date": birth,
            "birth_month_only": month_only,
            "id_number": _id_number(v, problems),
            "phone": _phone(v, problems),
            "degree": _degree(v),
            "discipline_code": code,
            "discipline": discipline,
            "talent_type": rp.choice(v, "人才类型", TALENT_TYPES, problems),
            "flexible_mode": rp.choice(v, "柔性方式", FLEXIBLE_MODES, problems),
            "tier": _tier(v, problems),
            "extra": rp.extra_as_text(row.extra),
        } | {field: rp.text(v, column) for column, field in TEXT_FIELDS.items()}
        data["education"] = rp.known_or_text(v, "最高学历", EDUCATION_LEVELS)
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
        return f"nb:{_name_key(data['name'])}|{birth}"

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

    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None, multi_value: str = MERGE) -> None:
        rules = active_rules()
        tier_of = _tier_giver(rules)
        creates = [p for p in rows if p.action == "create"]
        # A generator: each database row is built only when its batch is inserted.
        bulk_insert(Talent, (_insert_row(p, zone, tier_of) for p in creates), total=len(rows))
        updates = {p.existing_pk: p.data for p in rows if p.action == "update" and p.existing_pk}
        _update(updates, rules, done=len(creates), total=len(rows), merge=multi_value == MERGE, importer=self)


TierGiver = Callable[[dict[str, Any]], tuple[str, TierRule | None]]


def _tier_giver(rules: Sequence[TierRule]) -> TierGiver:
    """The rule-given tier for a row's data, remembered per distinct value of the facts the rules look at
    (title, degree…): across a large sheet most rows repeat a combination already classified."""
    looked_at = sorted({str(c.get("field")) for rule in rules for c in rule.conditions if isinstance(c, dict)})
    seen: dict[tuple[Any, ...], tuple[str, TierRule | None]] = {}

    def tier_of(data: dict[str, Any]) -> tuple[str, TierRule | None]:
        facts = talent_facts(SimpleNamespace(**data))
        key = tuple(facts.get(name) for name in looked_at)
        if key not in seen:
            rule = classify(facts, rules)
            seen[key] = (rule.tier if rule else "", rule)
        return seen[key]

    return tier_of


def _insert_row(p: ParsedRow, zone: Zone, tier_of: TierGiver) -> dict[str, Any]:
    """A new talent as a database row: what Talent(**data) with talent_apply_tier and refresh_keys would hold."""
    data = p.data
    row = data | {
        "zone_id": zone.pk,
        "name_key": _name_key(data["name"]),
        # The duplicate key already holds the ID number's lookup hash; don't compute it twice.
        "id_number_hash": p.key[3:] if p.key and p.key.startswith("id:") else lookup_hash(data["id_number"]),
        "phone_hash": lookup_hash(data["phone"]),
        "tier_manual": bool(data["tier"]),
    }
    if not row["tier_manual"]:
        tier, rule = tier_of(data)
        row["tier"], row["tier_rule_id"] = tier, rule.pk if rule else None
    return row


def _update(updates: dict[int, dict[str, Any]], rules: Sequence[TierRule], *, done: int, total: int, merge: bool,
            importer: Importer) -> None:
    """Existing talents: merge each row in, re-derive the tier and the lookup keys, write back in batches."""
    for chunk in _chunks(list(updates), UPDATE_BATCH):
        talents = list(Talent.objects.filter(pk__in=chunk))
        for talent in talents:
            data = updates[talent.pk]
            if merge and data.get("research_directions") and talent.research_directions:
                data = data | {"research_directions": importer.merged(
                    "研究方向", talent.research_directions, data["research_directions"])}
            _merge(talent, data)
            talent_apply_tier(talent=talent, rules=rules)
            talent.refresh_keys()  # what save() would do
        bulk_update_all(Talent, talents, done=done, total=total)
        done += len(chunk)


def _merge(talent: Talent, data: dict[str, Any]) -> None:
    """A re-import fills and corrects; an empty cell never erases what the register has."""
    for field, value in data.items():
        if field == "extra":
            talent.extra = {**talent.extra, **value}
        elif value not in ("", None) and not (field == "birth_month_only" and not data.get("birth_date")):
            setattr(talent, field, value)
    if data.get("tier"):
        talent.tier_manual = True


def _chunks(items: Sequence[T], size: int = 500) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
