"""`rencai import talents|enterprises FILE`: in-process with call_command, and as the real program a clerk runs."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import termios
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from rencai.core.models import AuditEvent
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent
from tests.factories import ZoneFactory, make_credit_code, make_id_number

RENCAI = Path(sys.executable).with_name("rencai")
HEADER = ["序号", "姓名", "性别", "出生日期", "身份证号", "职称", "籍贯"]
ISSUE_KEYS = ["created", "updated", "duplicates", "refused"]


def talents_file(path: Path, existing_id: str) -> Path:
    """Rows 3–7: new, already registered, a Traditional-name duplicate of row 3, a numeric ID, new."""
    book = Workbook()
    ws = book.active
    ws.append(["2026年人才信息汇总表"])
    ws.merge_cells("A1:G1")
    ws.append(HEADER)
    ws.append([1, "张伟", "男", "1980-01-02", "", "教授", "山西"])
    ws.append([2, "王建国", "男", "", existing_id, "研究员", ""])
    ws.append([3, "張偉", "男", "1980年1月2日", "", "", ""])
    ws.append([4, "李强", "男", "1985.3", 150203198503051234, "", ""])
    ws.append([5, "赵敏", "女", "1990/7/8", make_id_number(date(1990, 7, 8), seq=11), "", ""])
    book.save(path)
    return path


EXPECTED = {
    "created": 2,
    "updated": 1,
    "duplicates": [{"row": 5, "of": "第3行（张伟）"}],
    "refused": [{"row": 6, "column": "身份证号",
                 "reason": "身份证号被表格存成了数字，后几位已经丢失，请把该列设为文本格式后重新填写"}],
}


@pytest.fixture
def existing(world: Any) -> Talent:
    return world.talent  # 王建国 in zone xitu, with an ID number


def run(*args: str, stderr: Any = None) -> tuple[str, str]:
    out, err = StringIO(), stderr if stderr is not None else StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue() if isinstance(err, StringIO) else ""


def test_json_report_has_the_keys_the_issue_names_with_the_right_values(world, existing, tmp_path):
    path = talents_file(tmp_path / "talents.xlsx", existing.id_number)
    out, err = run("talents", str(path), "--zone", "xitu", "--format", "json")
    report = json.loads(out)
    assert list(report)[:4] == ISSUE_KEYS
    for key, value in EXPECTED.items():
        assert report[key] == value, key
    assert (report["rows"], report["written"], report["unknown_columns"]) == (5, True, ["籍贯"])
    assert err == ""  # no progress on a non-terminal unless asked
    assert Talent.objects.filter(zone=world.zone_a, name__in=["张伟", "赵敏"]).count() == 2


def test_dry_run_reports_the_same_counts_and_writes_nothing(world, existing, tmp_path):
    before = Talent.objects.count()
    out, _ = run("talents", str(talents_file(tmp_path / "t.xlsx", existing.id_number)), "--zone", "xitu",
                 "--dry-run", "--format", "json")
    report = json.loads(out)
    assert {k: report[k] for k in ISSUE_KEYS} == EXPECTED and report["written"] is False
    assert Talent.objects.count() == before
    assert not AuditEvent.objects.filter(action="import").exists()


def test_text_report_is_a_chinese_summary_listing_refused_and_duplicate_rows(world, existing, tmp_path):
    out, _ = run("talents", str(talents_file(tmp_path / "t.xlsx", existing.id_number)), "--zone", "xitu")
    assert "人才信息导入（已写入数据库）：共读到 5 行数据，表头在第 2 行" in out
    assert "新建 2 行，更新 1 行，重复跳过 1 行，拒绝 1 行" in out
    assert "第 6 行 · 身份证号：身份证号被表格存成了数字" in out
    assert "第 5 行，与第3行（张伟）重复" in out
    assert "不认识的列（已作为备注保留）：籍贯" in out


def test_the_user_named_is_recorded_in_the_audit_log(world, existing, tmp_path):
    path = talents_file(tmp_path / "t.xlsx", existing.id_number)
    run("talents", str(path), "--zone", "xitu", "--user", "admin_a")
    event = AuditEvent.objects.get(action="import")
    assert (event.user, event.object_type) == (world.admin, "talents")
    assert event.detail.items() >= {"created": 2, "updated": 1, "duplicates": 1, "refused": 1, "zone": "xitu"}.items()


def test_with_several_zones_the_zone_must_be_named_and_the_codes_are_listed(world, tmp_path):
    path = talents_file(tmp_path / "t.xlsx", make_id_number(seq=1))
    with pytest.raises(CommandError) as raised:
        run("talents", str(path))
    assert raised.value.returncode == 2
    assert "请用 --zone 指定" in str(raised.value)
    assert "kundulun（昆都仑区）" in str(raised.value) and "xitu（稀土高新区）" in str(raised.value)
    with pytest.raises(CommandError, match="没有代码为“nowhere”的旗区/园区") as unknown:
        run("talents", str(path), "--zone", "nowhere")
    assert unknown.value.returncode == 2
    assert not Talent.objects.filter(name="张伟").exists()


def test_the_only_zone_is_used_when_none_is_named(db, tmp_path):
    only = ZoneFactory(code="solo", name="唯一园区")
    run("talents", str(talents_file(tmp_path / "t.xlsx", make_id_number(seq=2))))
    assert set(Talent.objects.values_list("zone", flat=True)) == {only.pk}


def test_an_unknown_user_is_a_usage_error(world, tmp_path):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的用户") as raised:
        run("talents", str(talents_file(tmp_path / "t.xlsx", make_id_number(seq=3))), "--zone", "xitu",
            "--user", "nobody")
    assert raised.value.returncode == 2


@pytest.mark.parametrize(("name", "reason"), [("old.xls", "另存为 .xlsx"), ("missing.xlsx", "找不到文件")])
def test_a_file_that_cannot_be_read_fails_with_status_1_and_a_chinese_reason(world, tmp_path, name, reason):
    path = tmp_path / name
    if name.endswith(".xls"):
        path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(CommandError, match=reason) as raised:
        run("talents", str(path), "--zone", "xitu")
    assert raised.value.returncode == 1


def test_progress_lines_go_to_stderr_when_asked(world, existing, tmp_path):
    out, err = run("talents", str(talents_file(tmp_path / "t.xlsx", existing.id_number)), "--zone", "xitu",
                   "--progress", "--format", "json")
    phases = [line.split("：")[0] for line in err.splitlines()]
    assert phases[0] == "检查" and "写入" in phases and phases[-1] == "完成"
    assert "检查" not in out and json.loads(out)["created"] == 2


def test_a_progress_bar_is_drawn_on_a_terminal(world, existing, tmp_path):
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows × 100 columns
    os.set_blocking(leader, False)
    with os.fdopen(follower, "w", encoding="utf-8") as terminal:
        out, _ = run("talents", str(talents_file(tmp_path / "t.xlsx", existing.id_number)), "--zone", "xitu",
                     "--format", "json", stderr=terminal)
        terminal.flush()
        drawn = os.read(leader, 1 << 20).decode("utf-8", errors="replace")  # before the terminal closes
    os.close(leader)
    assert "写入" in drawn and "行" in drawn and "\r" in drawn  # tqdm redraws its line in place
    assert json.loads(out)["created"] == 2  # stdout carries only the report


def test_enterprises_import_from_the_command_line(world, tmp_path):
    code = make_credit_code(77)
    book = Workbook()
    book.active.append(["企业名称", "统一社会信用代码", "所属行业"])
    book.active.append(["包头氢能科技有限公司", code, "C26"])
    book.active.append(["坏代码公司", code[:-1] + ("0" if code[-1] != "0" else "1"), ""])
    book.save(tmp_path / "e.xlsx")
    report = json.loads(run("enterprises", str(tmp_path / "e.xlsx"), "--zone", "kundulun", "--format", "json")[0])
    assert (report["created"], [(r["row"], r["column"]) for r in report["refused"]]) == (1, [(3, "统一社会信用代码")])
    assert Enterprise.objects.get(credit_code=code).zone == world.zone_b


# --- the real program, as a clerk runs it ------------------------------------------------------------------


def environment(home: Path) -> dict[str, str]:
    """Development settings against a SQLite file in home, keys generated into home as on a clerk's machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "RENCAI_"))}
    return env | {"DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev", "RENCAI_VAR_DIR": str(home / "var"),
                  "RENCAI_KEY_DIR": str(home / "keys"), "DATABASE_URL": f"sqlite:///{home / 'rencai.sqlite3'}"}


def rencai(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RENCAI), *args], env=env, capture_output=True, text=True, timeout=timeout,  # noqa: S603
                          check=False)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with one zone, made once; each test works on its own copy."""
    home = tmp_path_factory.mktemp("rencai-home")
    env = environment(home)
    for args in (["migrate", "--no-input"],
                 ["shell", "-c", "from rencai.core.models import City, Zone; "
                                 "Zone.objects.create(city=City.objects.create(name='包头市'), name='稀土高新区', "
                                 "code='xitu')"]):
        done = rencai(env, *args)
        assert done.returncode == 0, done.stderr
    return home


def clerk_home(migrated: Path, tmp_path: Path) -> dict[str, str]:
    shutil.copytree(migrated, tmp_path / "home")
    return environment(tmp_path / "home")


@pytest.mark.slow
def test_the_installed_rencai_program_prints_the_json_report(migrated, tmp_path):
    env = clerk_home(migrated, tmp_path)
    path = talents_file(tmp_path / "talents.xlsx", make_id_number(date(1975, 4, 4), seq=9))
    done = rencai(env, "import", "talents", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # stderr is a pipe here: no progress bar
    report = json.loads(done.stdout)
    assert list(report)[:4] == ISSUE_KEYS
    assert report["created"] == 3 and report["updated"] == 0  # 王建国 is new in this database
    assert report["duplicates"] == EXPECTED["duplicates"] and report["refused"] == EXPECTED["refused"]
    again = json.loads(rencai(env, "import", "talents", str(path), "--format", "json", "--dry-run").stdout)
    assert (again["created"], again["updated"]) == (0, 3)  # the first run was committed to the file


@pytest.mark.slow
def test_the_installed_program_exits_1_with_a_plain_chinese_reason_and_2_on_misuse(migrated, tmp_path):
    env = clerk_home(migrated, tmp_path)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    unreadable = rencai(env, "import", "talents", str(tmp_path / "old.xls"))
    assert unreadable.returncode == 1
    assert unreadable.stderr.strip().startswith("不能直接读取 .xls 文件")
    assert "Error" not in unreadable.stderr and "Traceback" not in unreadable.stderr
    misuse = rencai(env, "import", "people", str(tmp_path / "old.xls"))
    assert misuse.returncode == 2 and "invalid choice" in misuse.stderr
    no_zone = rencai(env, "import", "talents", str(tmp_path / "old.xls"), "--zone", "elsewhere")
    assert no_zone.returncode == 2 and "可用的代码：xitu（稀土高新区）" in no_zone.stderr


def test_refused_rows_are_written_to_an_xlsx_to_fix_and_import_again(world, existing, tmp_path):
    from openpyxl import load_workbook

    path = talents_file(tmp_path / "talents.xlsx", existing.id_number)
    refused = tmp_path / "被拒绝的行.xlsx"
    run("talents", str(path), "--zone", "xitu", "--dry-run", "--refused", str(refused))
    rows = [[cell.value for cell in row] for row in load_workbook(refused).active.iter_rows()]
    assert rows[0] == ["姓名", "性别", "出生日期", "身份证号", "职称", "籍贯", "拒绝原因"]
    assert rows[1][0] == "李强" and rows[1][-1].startswith("原第6行 · 身份证号：身份证号被表格存成了数字")
