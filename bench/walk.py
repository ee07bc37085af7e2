"""Walk the running demo site as every demo role, the way a new user would, and keep the screenshots.

    RENCAI_VAR_DIR=... rencai runserver 127.0.0.1:8010 &
    .venv/bin/python bench/walk.py --url http://127.0.0.1:8010 --out /tmp/walk/shots [--only admin,talent]

For each role it logs in (staff with the code from `rencai demo_otp`), follows every link of the function
menu and, on each list, the first row's link; pages of talents, enterprises, liaisons, partners and experts
are taken at phone size (390×844), the office's at 1366×900. It writes one PNG per page and walk.json with
each page's status, title and problems found: a server error, an English word where Chinese is expected
(a missing translation), a date field that does not hold an ISO date. It changes nothing: no form is sent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, log_in  # noqa: E402

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ROLES = {"admin": DESKTOP, "city_admin": DESKTOP, "reviewer": DESKTOP, "finance": DESKTOP, "bureau": DESKTOP,
         "evaluator": DESKTOP, "enterprise": PHONE, "talent": PHONE, "liaison": PHONE, "expert": PHONE,
         "partner": PHONE}
SKIP = re.compile(r"logout|\.xlsx|\.docx|\.pdf|\.csv|/api/|/admin/|/static/|/media/|download")
ENGLISH = re.compile(r"\b(Save|Submit|Cancel|Delete|Edit|Search|Next|Previous|Status|Date|None|True|False)\b")


def problems_of(page) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    if "Server Error" in text or "Traceback" in text:
        found.append("服务器错误")
    for word in sorted(set(ENGLISH.findall(text))):
        found.append(f"英文词：{word}")
    for value in page.eval_on_selector_all("input[type=date]", "els => els.map(e => e.value)"):
        if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            found.append(f"日期框的值不是 ISO 日期：{value}")
    return found


def walk_role(browser, base: str, role: str, out: Path, limit: int,  # type: ignore[no-untyped-def]
              extra: list[str] = ()) -> list[dict]:
    context = browser.new_context(base_url=base, viewport=ROLES[role], locale="zh-CN")
    page = context.new_page()
    log_in(page, role, DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="功能区")
    links = [a for a in nav.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))") if a]
    seen: list[str] = []
    queue = [*extra, *(h for h in links if not SKIP.search(h))]
    rows = []
    while queue and len(seen) < limit:
        href = queue.pop(0)
        path = urlparse(href).path
        if path in seen:
            continue
        seen.append(path)
        response = page.goto(href)
        status = response.status if response else 0
        name = f"{role}-{len(seen):02d}-" + (re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "home") + ".png"
        page.screenshot(path=str(out / name), full_page=True)
        rows.append({"role": role, "path": path, "status": status, "title": page.title(), "shot": name,
                     "problems": problems_of(page) if status == 200 else [f"HTTP {status}"]})
        if path in [urlparse(h).path for h in links]:  # a menu page: open its first record too
            first = page.locator("table.list tbody tr a[href]").first
            if first.count():
                target = first.get_attribute("href") or ""
                if target and not SKIP.search(target):
                    queue.insert(0, target)
    context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="walk")
    parser.add_argument("--only", default="", help="comma-separated roles (default: all demo roles)")
    parser.add_argument("--limit", type=int, default=40, help="pages per role")
    parser.add_argument("--paths", default="", help="more pages, first: role:/path/,role:/path/ …")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    roles = [r for r in args.only.split(",") if r] or list(ROLES)
    extra: dict[str, list[str]] = {}
    for item in filter(None, args.paths.split(",")):
        role, _, path = item.partition(":")
        extra.setdefault(role, []).append(path)
    rows: list[dict] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in roles:
            rows += walk_role(browser, args.url, role, out, args.limit, extra.get(role, []))
        browser.close()
    (out / "walk.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    bad = [r for r in rows if r["problems"]]
    print(f"{len(rows)} 页，{len(bad)} 页有问题")
    for r in bad:
        print(f"  {r['role']:<10} {r['path']:<40} {'；'.join(r['problems'])}")


if __name__ == "__main__":
    main()
