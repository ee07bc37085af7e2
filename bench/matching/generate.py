"""Synthetic talents and needs for the scale bench, drawn from vocabulary pools.

    .venv/bin/python bench/matching/generate.py [--talents 1000000] [--needs 10000]

Writes bench/data/match-talents-N.csv and bench/data/match-needs-M.csv (git-ignored) in the FORMATS.md
layouts, deterministic for a given size. Profiles are written in academic phrasing from the thesaurus's
concepts (several directions per person, within one or two neighbouring topics), with achievements that
carry a long tail of project words; needs in business phrasing with filler. The files are reused when
present.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "bench" / "data"
SEED = 20261121

TALENT_HEADER = [
    "姓名",
    "性别",
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
]
NEED_HEADER = ["企业名称", "需求类型", "需求名称", "需求描述", "所属领域", "期望人才", "需求人数", "紧急程度"]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建国晓梅志海燕文博宇航子涵思远浩然雅琴鹏飞玉兰春雷振东永辉雪峰立新"
)
UNIVERSITIES = [
    "内蒙古大学",
    "内蒙古工业大学",
    "内蒙古科技大学",
    "内蒙古农业大学",
    "包头师范学院",
    "清华大学",
    "北京科技大学",
    "中国矿业大学",
    "东北大学",
    "天津大学",
    "华东理工大学",
    "中国农业大学",
    "西北农林科技大学",
    "哈尔滨工业大学",
    "中国科学院过程工程研究所",
    "中国科学院长春应用化学研究所",
    "包头稀土研究院",
    "大连理工大学",
    "浙江大学",
]
TITLES = (
    ["教授"] * 3
    + ["副教授"] * 4
    + ["研究员"] * 2
    + ["副研究员"] * 2
    + ["讲师"] * 3
    + ["高级工程师"] * 3
    + ["工程师", ""]
)
TYPES = ["柔性引进", "博士服务", "本土培养", "全职引进", "博士后"]
MODES = ["候鸟式", "周末式", "兼职", "顾问", "项目合作", "驻企服务", ""]
TIERS = ["", "", "", "A", "B", "C", "C", "D", "D", "E", "E"]
REGIONS = ["昆都仑区", "青山区", "东河区", "九原区", "稀土高新区", "石拐区", "白云鄂博矿区", "呼和浩特", "北京", "天津"]
ACADEMIC = [
    "制备与性能研究",
    "机理研究",
    "关键技术研究",
    "工艺优化",
    "结构与性能调控",
    "建模与仿真",
    "表征与评价",
    "应用基础研究",
    "绿色制备",
    "失效分析",
    "过程强化",
    "智能控制",
    "数值模拟",
    "高值化利用",
    "低成本制备",
]
PROBLEMS = [
    "不稳定",
    "成本太高",
    "效率低",
    "合格率低",
    "寿命短",
    "能耗高",
    "质量波动大",
    "产量上不去",
    "故障多",
    "污染大",
    "工艺落后",
    "达不到客户要求",
    "返工多",
    "损耗大",
]
FILLER = [
    "我们公司",
    "目前",
    "生产中",
    "一直",
    "客户反映",
    "想找专家",
    "帮助解决",
    "希望合作",
    "提高",
    "降低成本",
    "扩大产能",
    "技术改造",
    "新上的生产线",
    "去年开始",
    "急需",
    "长期合作",
]
TAIL = "基础材料工艺装备系统方法模型结构性能机理检测控制优化设计评价分析制造开发应用集成平台示范推广关键共性前沿"
FIELDS = [
    "稀土新材料",
    "新能源",
    "煤化工",
    "乳业",
    "畜牧兽医",
    "草业",
    "生物医药",
    "矿业",
    "装备制造",
    "汽车零部件",
    "现代农业",
    "节能环保",
    "信息技术",
    "新材料",
]


def _concepts() -> list[tuple[str, list[str], str, str]]:
    """(concept, terms, broader, first discipline code) from the shipped thesaurus."""
    text = resources.files("rencai.matching.engine").joinpath("data/thesaurus.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("概念\t"):
            continue
        cells = (line.split("\t") + ["", "", "", ""])[:4]
        terms = [cells[0], *[t for t in cells[1].split("|") if t]]
        out.append((cells[0], terms, cells[2], (cells[3].split() or [""])[0]))
    return out


def _topics(concepts: list[tuple[str, list[str], str, str]]) -> list[list[int]]:
    """Concepts grouped by their top-most broader concept: a person's directions stay within a topic."""
    index = {c[0]: i for i, c in enumerate(concepts)}

    def root(i: int) -> int:
        seen = set()
        while concepts[i][2] in index and i not in seen:
            seen.add(i)
            i = index[concepts[i][2]]
        return i

    groups: dict[int, list[int]] = {}
    for i in range(len(concepts)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def talents(count: int, seed: int = SEED) -> Iterator[list[str]]:
    rng = random.Random(seed)
    concepts = _concepts()
    topics = _topics(concepts)
    # A long tail of project words, as real 代表性成果 have: ~60,000 distinct two-character words.
    pool = TAIL + GIVEN + SURNAMES
    tail_words = [a + b for a in pool for b in pool if a != b]
    for number in range(count):
        topic = rng.choice(topics)
        picks = [concepts[rng.choice(topic)] for _ in range(rng.randint(2, 4))]
        directions = [f"{rng.choice(p[1])}{rng.choice(ACADEMIC)}" for p in picks]
        code = picks[0][3]
        project = "".join(rng.choice(tail_words) for _ in range(3))
        achievements = (
            f"主持国家自然科学基金项目“{rng.choice(picks[0][1])}{project}”；发表论文{rng.randint(5, 80)}篇；"
            f"授权发明专利{rng.randint(0, 15)}项"
        )
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
        yield [
            name,
            rng.choice("男女"),
            "博士研究生",
            "博士",
            rng.choice(UNIVERSITIES),
            picks[0][0],
            code,
            "；".join(directions),
            rng.choice(TITLES),
            rng.choice(UNIVERSITIES),
            rng.choice(TYPES),
            rng.choice(MODES),
            rng.choice(TIERS),
            achievements,
            rng.choice(REGIONS),
        ]
        del number


def needs(count: int, seed: int = SEED + 1) -> Iterator[list[str]]:
    rng = random.Random(seed)
    concepts = _concepts()
    topics = _topics(concepts)
    for number in range(count):
        topic = rng.choice(topics)
        main = concepts[rng.choice(topic)]
        other = concepts[rng.choice(topic)]
        term, second = rng.choice(main[1]), rng.choice(other[1])
        problem = rng.choice(PROBLEMS)
        description = (
            f"{rng.choice(FILLER)}{rng.choice(FILLER)}{term}{problem}，{rng.choice(FILLER)}{second}方面"
            f"{rng.choice(PROBLEMS)}，{rng.choice(FILLER)}。"
        )
        yield [
            f"包头市{rng.choice(SURNAMES)}{rng.choice(GIVEN)}科技有限公司{number}",
            "技术攻关",
            f"{term}{problem}",
            description,
            rng.choice(FIELDS),
            rng.choice(["", "博士", "相关专业博士，有企业合作经验"]),
            str(rng.choice([1, 1, 1, 2])),
            rng.choice(["一般", "较急", "紧急"]),
        ]


def ensure(talent_count: int, need_count: int) -> tuple[Path, Path]:
    """Generate the two files unless they exist; return their paths."""
    DATA.mkdir(parents=True, exist_ok=True)
    talent_path = DATA / f"match-talents-{talent_count}.csv"
    need_path = DATA / f"match-needs-{need_count}.csv"
    for path, header, rows in (
        (talent_path, TALENT_HEADER, lambda: talents(talent_count)),
        (need_path, NEED_HEADER, lambda: needs(need_count)),
    ):
        if path.is_file():
            continue
        partial = path.with_suffix(".tmp")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows())
        partial.rename(path)
    return talent_path, need_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generate synthetic talents and needs")
    parser.add_argument("--talents", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=10_000)
    args = parser.parse_args(argv)
    for path in ensure(args.talents, args.needs):
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
