"""Reasons quote whole words, never fragments shorter than a word (issue 17).

`rencai match --format json` on the project's own labelled sets (bench/matching/devset and evalset — never
the blind set): every word a reason quotes in ‘…’ and that occurs in the need's or the profile's text must
occur there on word boundaries of rjieba's plain segmentation of that text somewhere, not only as a strict
substring of one longer word (‘材料科’ of 材料科学, ‘内蒙’ of 内蒙古, ‘畜牧’ of 畜牧学).

The engine's index matches on rjieba's search-mode sub-words, which are exactly such fragments; explain.py
shows shared words from the plain cut of both texts, and a concept's term that a text holds only inside a
longer word as that whole word or by the concept's name (fixed for issue 17; this was a strict xfail before).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from rencai.matching.cli import main
from rencai.matching.fileio import read_needs, read_talents

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching"


@cache
def _reason_words() -> ModuleType:
    """bench/matching/reason_words.py, the same check the benchmark counts with."""
    spec = importlib.util.spec_from_file_location("bench_reason_words", BENCH / "reason_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def test_the_checker_tells_fragments_from_words() -> None:
    """The check itself: a sub-word of a longer word is caught, a whole word or a span of words is not."""
    from rencai.matching.engine.records import NeedRecord, TalentRecord

    rw = _reason_words()
    need = NeedRecord(key=2, enterprise="某公司", title="内蒙古牧区奶牛乳房炎", description="材料科学与工程方向")
    talent = TalentRecord(key=3, name="某人", research="内蒙古自治区奶牛乳房炎防控；钕铁硼磁体")
    bad = rw.fragments(["需求名称与研究方向都涉及‘内蒙’、‘蒙古’", "需求描述与研究方向都涉及‘材料科’"], need, talent)
    assert [(f.word, f.kind) for f in bad] == [("内蒙", "inside"), ("蒙古", "inside"), ("材料科", "inside")]
    fine = rw.fragments(
        ["需求名称与研究方向都涉及‘乳房炎’", "研究方向中的‘钕铁硼’与…同义", "都提到‘稀土’"], need, talent
    )
    assert fine == []


@pytest.mark.parametrize("labelled_set", ["devset", "evalset"])
def test_no_reason_quotes_a_fragment_shorter_than_a_word(labelled_set: str, tmp_path: Path) -> None:
    folder = BENCH / labelled_set
    out = tmp_path / "result.json"
    argv = ["--talents", str(folder / "talents.csv"), "--needs", str(folder / "needs.csv"), "--out", str(out)]
    assert main([*argv, "--format", "json"]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    talents = {t.key: t for t in read_talents(folder / "talents.csv")[0]}
    needs = {n.key: n for n in read_needs(folder / "needs.csv")[0]}
    rw = _reason_words()
    quoted = 0
    found = []
    for item in result["needs"]:
        for candidate in item["candidates"]:
            quoted += sum(len(rw.quoted(r)) for r in candidate["reasons"])
            for fragment in rw.fragments(candidate["reasons"], needs[item["row"]], talents[candidate["row"]]):
                if fragment.kind == "inside":
                    found.append(f"需求{item['row']}/人才{candidate['row']}: ‘{fragment.word}’ ⊂ {fragment.longer}")
    assert quoted > 0  # the check has something to look at
    assert found == [], f"{len(found)} quoted fragments, e.g. {found[:10]}"
