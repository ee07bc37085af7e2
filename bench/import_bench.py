"""Import benchmark: 100,000 talent rows from an .xlsx, beside openpyxl's bare read of the same file.

    make bench                                  # or: .venv/bin/python bench/import_bench.py [--rows N]
    .venv/bin/python bench/import_bench.py --rows 20000 --profile /tmp/import.prof   # where the time goes

In one run it measures (a) each reader alone: openpyxl's load_workbook(read_only=True) and python-calamine's
iter_rows, every row's values; (b) the full import, run_import(dry_run=False), into a fresh SQLite file, in a child
process (Django configured with the test settings, DATABASE_URL at the file, migrated first), once with each reader
(RENCAI_XLSX_READER); (c) each child's peak memory (ru_maxrss). It prints a table and writes
bench/results/import.json (import-N.json for other sizes). The file is generated once into bench/data/
(git-ignored) and reused. The aims: the import within 3× of the bare read and under 1 GiB; with calamine, faster
than openpyxl's bare read (issue 18: the reader is the floor).

Wall-clock seconds are what a clerk waits; on a shared, busy machine they mostly measure the neighbours, so the
CPU seconds of each side (time.process_time) are printed beside them, and the ratio of both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA, RESULTS = BENCH / "data", BENCH / "results"
AIM_RATIO, AIM_BYTES = 3.0, 1 << 30
SEED = 20240512

HEADER = [
    "序号", "姓名", "性别", "出生日期", "身份证号", "手机号", "最高学历", "最高学位", "毕业院校", "所学专业",
    "一级学科", "研究方向", "职称", "工作单位", "人才类型", "柔性方式", "人才层次", "代表性成果", "所在地区", "备注",
    "籍贯",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建国晓梅志强海燕文博宇航子涵思远浩然雅琴"
TRADITIONAL = ["張偉", "劉強", "陳靜", "黃麗", "趙誌強", "鄭曉梅", "馬軍", "許文博"]
REGIONS = ["150203", "150204", "150205", "150206", "150207", "150221", "110108", "320102"]
EDUCATION = [("博士研究生", "博士"), ("硕士研究生", "硕士"), ("大学本科", "学士"), ("大学专科", "")]
SCHOOLS = ["内蒙古科技大学", "内蒙古大学", "内蒙古农业大学", "清华大学", "北京科技大学", "东北大学", "中南大学",
           "西安交通大学", "中国科学院大学", "包头师范学院", "内蒙古工业大学", "哈尔滨工业大学"]
FIELDS = [
    ("材料科学与工程", "材料学", ["稀土永磁材料", "晶界扩散", "储氢合金", "金属腐蚀与防护", "粉末冶金"]),
    ("冶金工程", "钢铁冶金", ["稀土冶炼分离", "连铸工艺", "冶金过程模拟"]),
    ("化学工程与技术", "化学工艺", ["煤化工", "催化剂设计", "精细化工", "氢能储运"]),
    ("畜牧学", "动物遗传育种与繁殖", ["奶牛育种", "肉羊繁育", "饲草料加工"]),
    ("兽医学", "预防兽医学", ["动物疫苗", "布病防控", "兽用生物制品"]),
    ("草学", "草业科学", ["牧草育种", "草原生态修复"]),
    ("电气工程", "电力系统及其自动化", ["新能源并网", "风电控制", "储能系统"]),
    ("机械工程", "机械设计及理论", ["汽车零部件", "智能制造", "矿山机械"]),
    ("0805", "材料物理与化学", ["磁性材料", "发光材料"]),
]
TITLES = ["教授", "研究员", "正高级工程师", "副教授", "副研究员", "高级工程师", "工程师", "讲师", "助理研究员", ""]
EMPLOYERS = ["包头稀土研究院", "内蒙古科技大学", "包钢集团", "北方稀土", "蒙牛乳业", "伊利集团", "金宇生物",
             "包头市农牧科学院", "一机集团", "中科院包头稀土研发中心"]
TYPES = ["全职引进", "柔性引进", "本土培养", "博士服务", "博士后", ""]
MODES = ["候鸟式", "周末式", "兼职", "顾问", "项目合作", "驻企服务"]
ACHIEVEMENTS = ["", "", "发表SCI论文5篇", "授权发明专利3项", "主持国家自然科学基金面上项目", "草原英才",
                "国家杰出青年科学基金获得者", "自治区科技进步二等奖", "长江学者特聘教授", "中国工程院院士"]
PLACES = ["稀土高新区", "昆都仑区", "青山区", "九原区", "东河区", "石拐区"]
PROVINCES = ["内蒙古", "山西", "河北", "黑龙江", "山东", "陕西"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(rng: random.Random, born: date, seen: set[str]) -> str:
    while True:
        first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        if first17 not in seen:
            seen.add(first17)
            return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _birth_cell(rng: random.Random, born: date) -> object:
    """Birth dates as clerks type them: mostly date cells, then every text form FORMATS.md names."""
    form = rng.random()
    if form < 0.5:
        return datetime(born.year, born.month, born.day)  # noqa: DTZ001 — Excel date cells carry no zone
    if form < 0.7:
        return born.isoformat()
    if form < 0.8:
        return f"{born.year}/{born.month}/{born.day}"
    if form < 0.9:
        return f"{born.year}年{born.month}月{born.day}日"
    if form < 0.95:
        return f"{born.year}.{born.month}.{born.day}"
    return f"{born.year}年{born.month}月"


def talent_row(n: int, rng: random.Random, seen: set[str]) -> list[object]:
    born = date(1958, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    education, degree = rng.choice(EDUCATION)
    discipline, major, directions = rng.choice(FIELDS)
    kind = rng.choice(TYPES)
    id_number: object = _id_number(rng, born, seen)
    if n % 400 == 7:
        id_number = int(str(id_number)[:15]) * 1000  # Excel turned it into a number: refused
    given = "".join(rng.sample(GIVEN, rng.randint(1, 2)))
    name = rng.choice(TRADITIONAL) if n % 50 == 3 else rng.choice(SURNAMES) + given
    return [
        n, name, rng.choice("男女"), _birth_cell(rng, born), id_number if n % 20 else "",
        f"1{rng.choice('3578')}{rng.randrange(10**9):09d}", education, degree, rng.choice(SCHOOLS), major,
        discipline, "；".join(rng.sample(directions, min(2, len(directions)))), rng.choice(TITLES),
        rng.choice(EMPLOYERS), kind, rng.choice(MODES) if kind == "柔性引进" else "",
        "A" if n % 997 == 0 else "", rng.choice(ACHIEVEMENTS), rng.choice(PLACES),
        "" if n % 3 else "2024年引进", rng.choice(PROVINCES),
    ]


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng, seen = random.Random(SEED), set()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("人才信息")
    sheet.append(["包头市稀土高新区人才信息统计表（基准测试数据）"])
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        sheet.append(talent_row(n, rng, seen))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    book.save(partial)
    partial.rename(path)  # a killed generation never leaves a half file to be reused


def bare_read(path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, rows): openpyxl alone, read-only, every row's values. Run in a fresh child
    (`--child bare openpyxl`) so that rencai's own fix of openpyxl's sizing pass does not speed the baseline up."""
    from openpyxl import load_workbook

    started, cpu = time.perf_counter(), time.process_time()
    book = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            count += 1
    book.close()
    return time.perf_counter() - started, time.process_time() - cpu, count


def bare_read_calamine(path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, rows): python-calamine alone, every row's values of every sheet."""
    from python_calamine import CalamineWorkbook

    started, cpu = time.perf_counter(), time.process_time()
    book = CalamineWorkbook.from_path(str(path))
    count = 0
    for name in book.sheet_names:
        for _ in book.get_sheet_by_name(name).iter_rows():
            count += 1
    book.close()
    return time.perf_counter() - started, time.process_time() - cpu, count


def child_bare(reader: str, path: str) -> dict:
    seconds, cpu, rows = (bare_read_calamine if reader == "calamine" else bare_read)(Path(path))
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": rows,
            "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def child_environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env |= {"DJANGO_SETTINGS_MODULE": "rencai.config.settings.test", "DATABASE_URL": f"sqlite:///{database}",
            "RENCAI_VAR_DIR": str(database.parent)}
    return env


def run_child(args: list[str], env: dict[str, str]) -> dict:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 — this script
    if done.returncode != 0:
        sys.exit(f"child failed ({' '.join(args)}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_migrate() -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from rencai.core.models import City, Zone

    Zone.objects.create(city=City.objects.create(name="包头市"), name="稀土高新区", code="xitu")
    return {}


def child_import(path: str, profile: str | None) -> dict:
    """Runs in a fresh process so that ru_maxrss is the import's own peak."""
    import django

    django.setup()
    from rencai.core.imports import run_import
    from rencai.core.models import Zone
    from rencai.talents.models import Talent

    zone = Zone.objects.get(code="xitu")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    phases: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()

    def progress(done: int, total: int | None, phase: str) -> None:
        phases.setdefault(phase, time.perf_counter() - started)

    report = run_import("talents", path, filename=None, zone=zone, user=None, dry_run=False, progress=progress)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    return {
        "seconds": seconds, "cpu_seconds": cpu_seconds, "phases": phases, "rows": report.rows,
        "created": report.created, "updated": report.updated, "duplicates": len(report.duplicates),
        "refused": len(report.refused),
        "in_database": Talent.objects.count(), "maxrss_kib_before": before,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _one_import(path: Path, reader: str, profile: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="rencai-bench-") as tmp:
        env = child_environment(Path(tmp) / "bench.sqlite3") | {"RENCAI_XLSX_READER": reader}
        run_child(["--child", "migrate"], env)
        return run_child(["--child", "import", str(path)] + (["--profile", profile] if profile else []), env)


def measure(path: Path, rows: int, profile: str | None) -> dict:
    readers = {reader: run_child(["--child", "bare", reader, str(path)], dict(os.environ))
               for reader in ("openpyxl", "calamine")}
    read_seconds, read_cpu = readers["openpyxl"]["seconds"], readers["openpyxl"]["cpu_seconds"]
    read_rows = readers["openpyxl"]["rows"]
    imports = {reader: _one_import(path, reader, profile) for reader in ("calamine", "openpyxl")}
    result = imports["calamine"]
    import_seconds, import_cpu = result["seconds"], result["cpu_seconds"]
    peak = result["maxrss_kib"] * 1024
    by_reader = {
        reader: {
            "bare_read_seconds": round(readers[reader]["seconds"], 3),
            "bare_read_cpu_seconds": round(readers[reader]["cpu_seconds"], 3),
            "bare_read_peak_memory_mib": round(readers[reader]["maxrss_kib"] / 1024, 1),
            "import_seconds": round(imports[reader]["seconds"], 3),
            "import_cpu_seconds": round(imports[reader]["cpu_seconds"], 3),
            "import_peak_memory_mib": round(imports[reader]["maxrss_kib"] / 1024, 1),
            "import_cpu_over_openpyxl_bare_read": round(imports[reader]["cpu_seconds"] / read_cpu, 2),
            "import_cpu_over_own_bare_read": round(imports[reader]["cpu_seconds"] / readers[reader]["cpu_seconds"], 2),
            "phases_started_at_seconds": {k: round(v, 3) for k, v in imports[reader]["phases"].items()},
        }
        for reader in ("openpyxl", "calamine")
    }
    return {
        "readers": by_reader,
        "import_reader": "calamine",
        "file": str(path.relative_to(ROOT)), "rows": rows, "sheet_rows_read": read_rows,
        "bare_read_seconds": round(read_seconds, 3), "bare_read_cpu_seconds": round(read_cpu, 3),
        "import_seconds": round(import_seconds, 3), "import_cpu_seconds": round(import_cpu, 3),
        "import_rows_per_second": round(result["rows"] / import_seconds),
        "ratio_to_bare_read": round(import_seconds / read_seconds, 2),
        "cpu_ratio_to_bare_read": round(import_cpu / read_cpu, 2),
        "load_average": os.getloadavg(),
        "peak_memory_bytes": peak, "peak_memory_mib": round(peak / (1 << 20), 1),
        "memory_before_import_mib": round(result["maxrss_kib_before"] / 1024, 1),
        "phases_started_at_seconds": {k: round(v, 3) for k, v in result["phases"].items()},
        "report": {k: result[k] for k in ("rows", "created", "updated", "duplicates", "refused", "in_database")},
        "aim": {"ratio": AIM_RATIO, "memory_bytes": AIM_BYTES,
                "met": import_seconds <= AIM_RATIO * read_seconds and peak < AIM_BYTES,
                "faster_than_openpyxl_bare_read_cpu": import_cpu < read_cpu},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": "SQLite (file, WAL)",
    }


def show(result: dict) -> None:
    readers = result["readers"]
    lines = [
        ("rows in the file", f"{result['rows']:,}"),
        *[(f"{reader}: bare read / import CPU s",
           f"{r['bare_read_cpu_seconds']:.2f} / {r['import_cpu_seconds']:.2f}  (wall {r['bare_read_seconds']:.2f} / "
           f"{r['import_seconds']:.2f}; import CPU {r['import_cpu_over_openpyxl_bare_read']:.2f}× openpyxl's bare "
           f"read, {r['import_cpu_over_own_bare_read']:.2f}× its own; peak {r['import_peak_memory_mib']:,} MiB)")
          for reader, r in readers.items()],
        ("openpyxl bare read (read_only)",
         f"{result['bare_read_seconds']:.2f} s  (CPU {result['bare_read_cpu_seconds']:.2f} s)"),
        ("full import into SQLite (calamine)",
         f"{result['import_seconds']:.2f} s  (CPU {result['import_cpu_seconds']:.2f} s)"),
        ("import rows per second", f"{result['import_rows_per_second']:,}"),
        ("import / bare read", f"{result['ratio_to_bare_read']:.2f}×  (aim ≤ {AIM_RATIO:g}×; "
                               f"CPU time {result['cpu_ratio_to_bare_read']:.2f}×)"),
        ("import peak memory (ru_maxrss)", f"{result['peak_memory_mib']:,} MiB  (aim < 1024 MiB)"),
        ("created / updated / duplicates / refused",
         "{created} / {updated} / {duplicates} / {refused}".format(**result["report"])),
        ("phases began at (s)", ", ".join(f"{k} {v}" for k, v in result["phases_started_at_seconds"].items())),
        ("aim met", "yes" if result["aim"]["met"] else "NO"),
        ("load average (1, 5, 15 min)", " ".join(f"{x:.1f}" for x in result["load_average"])),
    ]
    width = max(len(label) for label, _ in lines)
    print("\n".join(f"{label:<{width}}  {value}" for label, value in lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="talent rows to generate (default 100,000)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the import to FILE")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "bare":
            print(json.dumps(child_bare(rest[0], rest[1])))
        elif kind == "migrate":
            print(json.dumps(child_migrate()))
        else:
            print(json.dumps(child_import(rest[0], args.profile)))
        return
    path = DATA / f"talents-{args.rows}.xlsx"
    if not path.exists():
        print(f"generating {path.relative_to(ROOT)} …", file=sys.stderr)
        generate(path, args.rows)
    result = measure(path, args.rows, args.profile)
    show(result)
    if args.profile:
        print(f"profile written to {args.profile}; results not saved (the profiler slows the import)")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "import.json" if args.rows == 100_000 else f"import-{args.rows}.json"
    (RESULTS / name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"written to bench/results/{name}")


if __name__ == "__main__":
    main()
