"""`rencai match` on spreadsheets as they really arrive, and its JSON exactly as FORMATS.md shows it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from rencai.matching.cli import main

TALENT_HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "最高学位",
    "所学专业",
    "一级学科",
    "研究方向",
    "职称",
    "工作单位",
    "柔性方式",
    "所在地区",
    "籍贯",
]
TALENTS = [
    [
        1,
        "钱永辉",
        None,
        "博士",
        "化学工艺",
        "化学工程与技术",
        "聚酯醇解；不饱和聚酯树脂合成与改性",
        "教授",
        "内蒙古工业大学",
        "周末式",
        "呼和浩特",
        "山西",
    ],
    [
        2,
        "趙立峰",
        None,
        "博士",
        "材料物理與化學",
        "材料科學與工程",
        "燒結釹鐵硼晶界擴散；矯頑力提升",
        "研究員",
        "包头稀土研究院",
        "兼职",
        "包头",
        None,
    ],
    None,  # a blank row in the middle
    [
        3,
        "郭晓鹏",
        None,
        "博士",
        "控制工程",
        "0811",
        "制造执行系统；离散制造车间数据采集",
        "副教授",
        "内蒙古科技大学",
        "顾问",
        "包头",
        None,
    ],
    [4, None, None, "博士", "兽医", "兽医学", "布病疫苗", "研究员", None, None, None, None],  # no name: skipped
    [5, "刘强", 1.50203e17, "博士", "兽医", "兽医学", "布病活疫苗", "研究员", None, None, None, None],  # ID lost digits
]
NEED_HEADER = ["序号", "企业名称", "需求名称", "需求描述", "需求人数"]
NEEDS = [
    [1, "包头市恒泰复合材料有限公司", "瓶片回收料做树脂", "回收饮料瓶片做不饱和树脂，固化不稳定", 1],
    [2, "包头稀土研究院", "磁钢掉磁", "电机磁钢高温下掉磁，想提高矫顽力", 1],
    [3, "某汽车零部件公司", "车间信息化", "车间想上MES，生产数据全靠手抄", "２"],
    [4, "某旅游公司", "文旅规划", "乡村旅游线路规划", 1],
    [5, "某公司", None, "没有名称的需求", 1],
]


def _workbook(path: Path, title: str, header: list[str], rows: list) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row or [])
    book.save(path)
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    conflicts = tmp_path / "冲突.csv"
    conflicts.write_text("姓名,企业名称\n郭晓鹏,某汽车零部件公司\n", encoding="utf-8-sig")
    return {
        "talents": _workbook(tmp_path / "人才.xlsx", "2026年人才信息表", TALENT_HEADER, TALENTS),
        "needs": _workbook(tmp_path / "需求.xlsx", "企业需求汇总", NEED_HEADER, NEEDS),
        "conflicts": conflicts,
        "out": tmp_path / "结果.json",
    }


def _run(files: dict[str, Path], *extra: str) -> int:
    return main(["--talents", str(files["talents"]), "--needs", str(files["needs"]), *extra])


def test_json_has_exactly_the_formats_md_keys_and_types(files: dict[str, Path]) -> None:
    assert _run(files, "--out", str(files["out"])) == 0
    data = json.loads(files["out"].read_text(encoding="utf-8"))
    assert set(data) == {"needs", "unassigned", "stats"}
    assert set(data["stats"]) == {"talents", "needs", "seconds"}
    assert data["stats"]["talents"] == 3 and data["stats"]["needs"] == 4
    assert isinstance(data["stats"]["seconds"], int | float)
    for need in data["needs"]:
        assert set(need) == {"row", "enterprise", "title", "candidates", "assigned"}
        assert isinstance(need["row"], int)
        for candidate in need["candidates"]:
            assert set(candidate) == {"row", "name", "score", "reasons"}
            assert isinstance(candidate["row"], int) and isinstance(candidate["name"], str)
            assert 0 <= candidate["score"] <= 1 and round(candidate["score"], 3) == candidate["score"]
            assert candidate["reasons"] and all(isinstance(r, str) and r for r in candidate["reasons"])
        for assigned in need["assigned"]:
            assert set(assigned) == {"row", "name"}
    for item in data["unassigned"]:
        assert set(item) == {"row", "title", "why"}
        assert item["why"]


def test_rows_are_the_excel_row_numbers_a_person_sees(files: dict[str, Path]) -> None:
    _run(files, "--out", str(files["out"]))
    data = json.loads(files["out"].read_text(encoding="utf-8"))
    needs = {n["title"]: n for n in data["needs"]}
    # Title row 1, header row 2: the first need is row 3.
    assert needs["瓶片回收料做树脂"]["row"] == 3
    assert needs["瓶片回收料做树脂"]["assigned"] == [{"row": 3, "name": "钱永辉"}]
    # The Traditional-character profile (row 4) is found by a Simplified need.
    magnets = needs["磁钢掉磁"]["candidates"]
    assert magnets[0]["row"] == 4 and magnets[0]["name"] == "趙立峰"


def test_conflicts_and_same_employer_keep_pairs_out_of_the_plan(files: dict[str, Path]) -> None:
    # The rule under test is the plan's, not the score: lexical scores keep this three-person pool's only
    # candidates above the minimum score, so the reason left is the conflict (the semantic layer has its tests).
    _run(files, "--out", str(files["out"]), "--conflicts", str(files["conflicts"]), "--no-semantic")
    data = json.loads(files["out"].read_text(encoding="utf-8"))
    needs = {n["title"]: n for n in data["needs"]}
    assert needs["磁钢掉磁"]["assigned"] == []  # 趙立峰 works at 包头稀土研究院 itself
    assert needs["车间信息化"]["assigned"] == []  # declared conflict
    why = {u["title"]: u["why"] for u in data["unassigned"]}
    assert why["磁钢掉磁"] == "唯一的候选人趙立峰与企业同属一个单位"
    assert why["车间信息化"] == "唯一的候选人郭晓鹏与企业存在利益冲突"
    assert "文旅规划" in why


def test_problem_rows_are_reported_on_stderr_and_skipped(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(files, "--out", str(files["out"])) == 0
    err = capsys.readouterr().err
    assert "人才表第 7 行：缺少姓名" in err
    assert "人才表第 8 行：" in err and "身份证号" in err
    assert "需求表第 7 行：缺少需求名称" in err


def test_json_goes_to_stdout_without_out(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(files, "--top", "2") == 0
    data = json.loads(capsys.readouterr().out)
    assert all(len(n["candidates"]) <= 2 for n in data["needs"])


def test_xlsx_has_the_plan_and_the_candidate_lists(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    assert _run(files, "--out", str(out)) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["对接方案", "候选名单"]
    plan = list(book["对接方案"].iter_rows(values_only=True))
    assert plan[0][:3] == ("需求行号", "企业名称", "需求名称")
    assert any(row[5] == "钱永辉" and row[6] == "牵头" for row in plan[1:])
    assert any(row[-1] for row in plan[1:])  # an unassigned need has its reason
    listed = list(book["候选名单"].iter_rows(values_only=True))
    assert all(row[-1] for row in listed[1:])  # every candidate has reasons


def test_a_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--talents", str(tmp_path / "无.xlsx"), "--needs", str(tmp_path / "无.xlsx")]) == 2
    assert "无法读取文件" in capsys.readouterr().err
