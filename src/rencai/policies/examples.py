"""Example policies shipped with rencai (DOMAIN.md §7), editable by the office. Plain data only:
the data migration 0002 loads it, and a test checks every rule in it the way a save would.
Document numbers are examples in the usual form; an office replaces them with its own."""

from __future__ import annotations

from typing import Any

ANNUAL_THREE = [{"after_months": 0, "share": "0.4"}, {"after_months": 12, "share": "0.3"},
                {"after_months": 24, "share": "0.3"}]
ONCE = [{"after_months": 0, "share": "1"}]
ZONE_ONLY = {"district": "1"}
CITY_ZONE = {"city": "0.5", "district": "0.5"}
THREE_LEVELS = {"region": "0.4", "city": "0.3", "district": "0.3"}

EXAMPLE_POLICIES: list[dict[str, Any]] = [
    {
        "code": "postdoc_station_setup", "title": "博士后科研工作站设站一次性资助", "kind": "enterprise",
        "doc_number": "示例〔2024〕1号", "issuer": "人才工作领导小组办公室", "auto_grant": False,
        "clauses": "第五条 新获批设立博士后科研工作站的企业，给予一次性设站资助10万元。",
        "conditions": [{"label": "已获批设立博士后科研工作站", "expr": '"postdoc_station" in enterprise.platform_kinds',
                        "clause": "第五条"}],
        "amount": "100000", "schedule": ONCE, "level_shares": CITY_ZONE,
        "documents": ["设站批复文件", "企业营业执照"],
    },
    {
        "code": "postdoc_living_subsidy", "title": "博士后生活补贴", "kind": "talent",
        "doc_number": "示例〔2024〕1号", "issuer": "人才工作领导小组办公室", "auto_grant": False,
        "clauses": "第六条 进站博士后在站期间给予生活补贴30万元，分两年四期发放，由自治区、市、区三级共同承担。",
        "conditions": [{"label": "在站博士后", "expr": 'talent.talent_type == "博士后"', "clause": "第六条"}],
        "amount": "300000",
        "schedule": [{"after_months": m, "share": "0.25"} for m in (0, 6, 12, 18)],
        "level_shares": THREE_LEVELS, "documents": ["进站备案表", "博士学位证书"],
    },
    {
        "code": "graduate_intro_reward", "title": "硕博人才引进奖励", "kind": "talent",
        "doc_number": "示例〔2024〕8号", "issuer": "人才工作领导小组办公室", "auto_grant": True,
        "clauses": "第三条 全职引进的博士研究生给予10万元、硕士研究生给予3万元引进奖励，分三年发放。\n"
                   "第四条 申请人年龄博士不超过45周岁、硕士不超过35周岁。",
        "conditions": [
            {"label": "硕士或博士学位", "expr": 'talent.degree in ["博士", "硕士"]', "clause": "第三条"},
            {"label": "全职引进", "expr": 'talent.talent_type == "全职引进"', "clause": "第三条"},
            {"label": "年龄符合要求", "clause": "第四条",
             "expr": '(talent.degree == "博士" && talent.age <= 45) || (talent.degree == "硕士" && talent.age <= 35)'},
        ],
        "amount": "100000", "formula": 'talent.degree == "博士" ? 100000.0 : 30000.0',
        "schedule": ANNUAL_THREE, "level_shares": ZONE_ONLY, "cap_per_person": "100000",
        "documents": ["学位证书", "劳动合同", "社保缴纳证明"],
    },
    {
        "code": "settlement_subsidy", "title": "高层次人才安家补贴", "kind": "talent",
        "doc_number": "示例〔2024〕8号", "issuer": "人才工作领导小组办公室", "auto_grant": True,
        "clauses": ("第七条 全职引进的A、B、C、D类人才分别给予100万元、50万元、30万元、10万元安家补贴，"
                    "分三年发放，市、区各承担一半。"),
        "conditions": [
            {"label": "A–D类人才", "expr": 'talent.tier in ["A", "B", "C", "D"]', "clause": "第七条"},
            {"label": "全职引进", "expr": 'talent.talent_type == "全职引进"', "clause": "第七条"},
        ],
        "amount": "1000000",
        "formula": 'talent.tier == "A" ? 1000000.0 : talent.tier == "B" ? 500000.0 : '
                   'talent.tier == "C" ? 300000.0 : 100000.0',
        "schedule": ANNUAL_THREE, "level_shares": CITY_ZONE, "cap_per_person": "1000000",
        "documents": ["人才层次认定文件", "劳动合同"],
    },
    {
        "code": "housing_subsidy", "title": "人才购房补贴", "kind": "talent",
        "doc_number": "示例〔2024〕9号", "issuer": "人才工作领导小组办公室", "auto_grant": True,
        "clauses": "第二条 在区内就业满一年并首次购房的博士给予15万元、硕士给予8万元购房补贴，一次性发放。",
        "conditions": [
            {"label": "硕士或博士学位", "expr": 'talent.degree in ["博士", "硕士"]', "clause": "第二条"},
            {"label": "在区内就业", "expr": "talent.has_employer", "clause": "第二条"},
            {"label": "在区满一年", "expr": "talent.years_in_zone >= 1", "clause": "第二条"},
        ],
        "amount": "150000", "formula": 'talent.degree == "博士" ? 150000.0 : 80000.0',
        "schedule": ONCE, "level_shares": ZONE_ONLY, "cap_per_person": "150000",
        "documents": ["购房合同", "不动产权证书", "劳动合同"],
    },
    {
        "code": "doctor_living_subsidy", "title": "青年博士生活补贴", "kind": "talent",
        "doc_number": "示例〔2024〕9号", "issuer": "人才工作领导小组办公室", "auto_grant": True,
        "clauses": "第五条 35周岁以下全职引进博士每月发放生活补贴2000元，连续发放两年，按季度拨付。",
        "conditions": [
            {"label": "博士学位", "expr": 'talent.degree == "博士"', "clause": "第五条"},
            {"label": "35周岁以下", "expr": "talent.age <= 35", "clause": "第五条"},
            {"label": "全职引进", "expr": 'talent.talent_type == "全职引进"', "clause": "第五条"},
        ],
        "amount": "48000", "schedule": [{"after_months": m, "share": "0.125"} for m in range(0, 24, 3)],
        "level_shares": ZONE_ONLY, "cap_per_year": "24000", "documents": ["学位证书", "劳动合同"],
    },
    {
        "code": "rd_platform_reward", "title": "研发平台奖励（先建后补）", "kind": "enterprise",
        "doc_number": "示例〔2024〕12号", "issuer": "科技局", "auto_grant": True,
        "clauses": ("第八条 企业新建重点实验室、工程技术研究中心等研发平台，经认定后给予奖励："
                    "国家级200万元，自治区级50万元，市级20万元。"),
        "conditions": [
            {"label": "已认定研发平台", "clause": "第八条",
             "expr": '"key_lab" in enterprise.platform_kinds || "engineering" in enterprise.platform_kinds'},
            {"label": "平台级别市级以上", "clause": "第八条",
             "expr": '"national" in enterprise.platform_levels || "regional" in enterprise.platform_levels'
                     ' || "city" in enterprise.platform_levels'},
        ],
        "amount": "2000000",
        "formula": '"national" in enterprise.platform_levels ? 2000000.0 : '
                   '"regional" in enterprise.platform_levels ? 500000.0 : 200000.0',
        "schedule": ONCE, "level_shares": CITY_ZONE, "documents": ["平台认定文件", "研发投入专项审计报告"],
    },
    {
        "code": "key_talent_reward", "title": "重点人才奖励", "kind": "talent",
        "doc_number": "示例〔2024〕8号", "issuer": "人才工作领导小组办公室", "auto_grant": True,
        "clauses": "第九条 对A、B、C类重点人才每年给予奖励：A类20万元，B类10万元，C类5万元。",
        "conditions": [{"label": "A–C类人才", "expr": 'talent.tier in ["A", "B", "C"]', "clause": "第九条"}],
        "amount": "200000",
        "formula": 'talent.tier == "A" ? 200000.0 : talent.tier == "B" ? 100000.0 : 50000.0',
        "schedule": ONCE, "level_shares": CITY_ZONE, "cap_per_year": "200000", "documents": ["人才层次认定文件"],
    },
    {
        "code": "key_employee_reward", "title": "企业骨干人才奖励", "kind": "enterprise",
        "doc_number": "示例〔2024〕12号", "issuer": "工信局", "auto_grant": False,
        "clauses": "第十条 高新技术企业、专精特新企业研发投入超过300万元的，按研发投入的1%奖励其骨干人才，最高50万元。",
        "conditions": [
            {"label": "高新技术或专精特新企业", "clause": "第十条",
             "expr": '"high_tech" in enterprise.qualifications || "specialized" in enterprise.qualifications'},
            {"label": "研发投入超过300万元", "expr": "enterprise.rd_spending > 300.0", "clause": "第十条"},
        ],
        "amount": "500000", "formula": "enterprise.rd_spending * 100.0",
        "schedule": ONCE, "level_shares": ZONE_ONLY, "documents": ["研发费用专项审计报告", "骨干人才名单"],
    },
]


def load_examples(policy_model: Any, version_model: Any) -> int:
    """Create the example policies that are missing (by code); used by the data migration and tests."""
    from datetime import date
    from decimal import Decimal

    def money(value: str | None) -> Decimal | None:
        return Decimal(value) if value else None

    created = 0
    for spec in EXAMPLE_POLICIES:
        policy, new = policy_model.objects.get_or_create(code=spec["code"], defaults={
            "title": spec["title"], "doc_number": spec["doc_number"], "issuer": spec["issuer"],
            "beneficiary_kind": spec["kind"], "auto_grant": spec["auto_grant"],
        })
        if not new:
            continue
        version_model.objects.create(
            policy=policy, number=1, clauses=spec["clauses"], effective_from=date(2024, 1, 1),
            conditions=spec["conditions"], amount=money(spec.get("amount")),
            amount_formula=spec.get("formula", ""), schedule=spec["schedule"], level_shares=spec["level_shares"],
            cap_per_person=money(spec.get("cap_per_person")), cap_per_year=money(spec.get("cap_per_year")),
            required_documents=spec.get("documents", []), change_note="示例政策",
        )
        created += 1
    return created
