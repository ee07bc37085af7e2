"""The README screenshots, taken by Debian's Chromium from a running demo site.

    make demo            # or: rencai migrate && rencai load_demo && rencai db_worker & rencai runserver
    .venv/bin/python bench/screenshot.py [--url http://127.0.0.1:8000] [--user admin] [--out docs]

It logs in as the demo admin the way a person does (password, then the code from `rencai demo_otp`), and saves
docs/screenshot.png (the talent list) and docs/screenshot-import.png (the preview of a spreadsheet with refused
rows; the import is never confirmed, so the demo data stay as they were). The task worker must be running for
the preview to appear.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from rencai.core.validators import id_number_check_char  # a pure function: no Django set-up needed

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
]
DEMO_PASSWORD = "rencai-demo-2026"  # noqa: S105  (the published demo password, see README)
VIEWPORT = {"width": 1280, "height": 800}


def id_number(birth: date, seq: int, region: str = "150203") -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


def messy_sheet(path: Path) -> Path:
    """A sheet as a clerk sends it: a merged title, 序号, and the three mistakes offices make most."""
    bad_check = id_number(date(1987, 9, 14), 528)
    bad_check = bad_check[:17] + ("1" if bad_check[17] != "1" else "2")
    rows = [
        ["苏明远", "男", id_number(date(1986, 3, 21), 417), "13847261395", "博士研究生", "材料科学与工程",
         "稀土永磁材料；晶界扩散", "副教授", "内蒙古科技大学", "柔性引进", "周末式"],
        ["高丽华", "女", id_number(date(1990, 11, 2), 362), "15904728816", "硕士研究生", "食品科学与工程",
         "乳制品发酵工艺", "高级工程师", "内蒙古蒙牛乳业", "本土培养", ""],
        ["刘德胜", "男", 1.50203199007082e17, "13604721170", "博士研究生", "化学工程与技术",
         "煤化工催化剂", "研究员", "内蒙古工业大学", "博士服务", "驻企服务"],
        ["周海燕", "女", id_number(date(1984, 6, 30), 146), "18647203321", "博士研究生", "材料科学与工程",
         "储氢合金；固态储氢", "教授", "包头稀土研究院", "全职引进", ""],
        ["马晓东", "男", bad_check, "13947185526", "大学本科", "机械工程", "汽车零部件轻量化", "工程师",
         "包头北奔重型汽车", "本土培养", ""],
        ["韩雪", "女", id_number(date(1993, 1, 17), 284), "1390472", "博士研究生", "兽医学", "动物疫苗",
         "讲师", "内蒙古农业大学", "柔性引进", "项目合作"],
    ]
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2026年稀土高新区引进人才信息登记表（第二批）"
    sheet.merge_cells("A1:L1")
    sheet.append(["序号", "姓名", "性别", "身份证号", "手机号", "最高学历", "一级学科", "研究方向", "职称", "工作单位",
                  "人才类型", "柔性方式"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    book.save(path)
    return path


def demo_token(user: str) -> str:
    """The code the demo admin's authenticator shows now, from the demo's own command."""
    rencai = shutil.which("rencai", path=str(Path(sys.executable).parent)) or "rencai"
    out = subprocess.run([rencai, "demo_otp", user], check=True, capture_output=True, text=True,  # noqa: S603
                         env=os.environ.copy()).stdout
    digits = [word for word in out.split() if word.isdigit() and len(word) == 6]
    if not digits:
        raise SystemExit(f"rencai demo_otp {user} printed no 6-digit code: {out!r}")
    return digits[-1]


def log_in(page, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    rejected, deadline = "", time.monotonic() + 90
    while "/otp/" in page.url and time.monotonic() < deadline:
        token = demo_token(user)
        if token == rejected:  # a code is accepted once: after a recent log-in, wait for the next one
            time.sleep(5)
            continue
        page.get_by_label("6位动态验证码").fill(token)
        page.get_by_role("button", name="验证").click()
        page.wait_for_load_state()
        rejected = token
    page.get_by_role("heading", name="您好", exact=False).wait_for()


def shoot_talent_list(page, out: Path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="人才库", exact=True).click()
    page.locator("#results table.list tbody tr").first.wait_for()
    page.mouse.move(0, 0)
    page.screenshot(path=str(out / "screenshot.png"))


def shoot_import_preview(page, out: Path, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="人才库", exact=True).click()
    page.get_by_role("link", name="导入表格").click()
    page.get_by_label("表格文件").set_input_files(str(messy_sheet(workdir / "引进人才登记表-第二批.xlsx")))
    page.get_by_role("button", name="上传并检查").click()
    try:
        page.locator("#job table.refused-rows").wait_for(timeout=60_000)
    except Exception as exc:
        raise SystemExit("the preview did not appear within 60 s: is the task worker (rencai db_worker) running?") \
            from exc
    page.mouse.move(0, 0)
    page.screenshot(path=str(out / "screenshot-import.png"), full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("Chromium not found at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as workdir:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=args.url.rstrip("/"), viewport=VIEWPORT, locale="zh-CN",
                                      timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        page = context.new_page()
        log_in(page, args.user, args.password)
        shoot_talent_list(page, args.out)
        shoot_import_preview(page, args.out, Path(workdir))
        browser.close()
    for name in ("screenshot.png", "screenshot-import.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
