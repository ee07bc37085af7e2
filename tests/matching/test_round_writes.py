"""The in-app round writes its candidates and pairings in bulk: the statement count does not grow with the round."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rencai.matching.models import Pairing, RoundCandidate
from rencai.matching.services import round_create, round_run
from tests.conftest import World
from tests.factories import TalentFactory
from tests.matching.test_app_rounds import make_need


def _run(world: World, needs: int, talents: int) -> tuple[int, int]:
    for i in range(talents):
        TalentFactory(zone=world.zone_a, name=f"磁材专家{i}", research_directions="烧结钕铁硼晶界扩散、稀土永磁材料",
                      discipline="材料科学与工程", discipline_code="0805")
    chosen = [make_need(world.enterprise, f"稀土永磁材料攻关{i}", "提高钕铁硼磁体矫顽力，晶界扩散工艺")
              for i in range(needs)]
    match_round = round_create(name=f"批次{needs}", zone=world.zone_a, by=world.admin, needs=chosen, top=5,
                               min_score=0.0)
    with CaptureQueriesContext(connection) as ctx:
        round_run(round_id=match_round.pk)
    inserts = [q for q in ctx.captured_queries
               if q["sql"].lstrip().upper().startswith("INSERT") and ("roundcandidate" in q["sql"].lower()
                                                                      or "pairing" in q["sql"].lower())]
    assert RoundCandidate.objects.filter(round=match_round).count() >= needs * 2
    assert Pairing.objects.filter(round=match_round).exists()
    return len(ctx.captured_queries), len(inserts)


def test_a_round_ten_times_larger_writes_with_the_same_number_of_statements(world):
    small_total, small_inserts = _run(world, needs=2, talents=3)
    large_total, large_inserts = _run(world, needs=20, talents=10)
    assert small_inserts == large_inserts == 2  # one INSERT for the candidates, one for the pairings
    assert large_total - small_total < 10  # reads of the round do not grow per candidate either
