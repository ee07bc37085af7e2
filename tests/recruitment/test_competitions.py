"""Competitions: weighted rubric, judges' conflicts, rankings and quotas, winners landing or lapsing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.recruitment import services
from rencai.recruitment.models import Competition, Entry, Judge, Landing, Round, Track
from tests.factories import EnterpriseFactory, make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    competition = Competition.objects.create(city=world.zone_a.city, zone=world.zone_a, name="稀土创新创业大赛",
                                             year=2026, landing_months=6)
    track = Track.objects.create(competition=competition, name="新材料")
    first = Round.objects.create(competition=competition, seq=1, name="复赛", quota=2)
    final = Round.objects.create(competition=competition, seq=2, name="决赛", quota=1)
    tech = services.criterion_add(competition=competition, name="技术先进性", weight=Decimal("0.6"))
    market = services.criterion_add(competition=competition, name="市场前景", weight=Decimal("0.4"))
    entries = [Entry.objects.create(track=track, project=p, leader=leader, unit=unit, reached=first,
                                    credit_code=code)
               for p, leader, unit, code in [("高丰度稀土永磁", "赵磊", "北京科技大学", make_credit_code(90001)),
                                             ("稀土抛光粉", "钱敏", "浙江大学", make_credit_code(90002)),
                                             ("储氢合金", "孙强", "包头研究院", "")]]
    judges = [Judge.objects.create(competition=competition, name=n, unit=u)
              for n, u in [("周教授", "北京科技大学"), ("吴研究员", "中国科学院")]]
    return {"competition": competition, "track": track, "rounds": (first, final), "criteria": (tech, market),
            "entries": entries, "judges": judges}


def _score(c, judge, entry, rnd, tech, market, world):
    t, m = c["criteria"]
    return services.score_record(judge=judge, entry=entry, round=rnd,
                                 values={t.pk: Decimal(tech), m.pk: Decimal(market)}, by=world.admin)


def test_a_judge_from_the_teams_unit_or_who_declared_may_not_score(world, contest):
    first, _ = contest["rounds"]
    zhou, wu = contest["judges"]
    magnet, polish, _ = contest["entries"]
    with pytest.raises(ValidationError, match="同一单位"):
        _score(contest, zhou, magnet, first, 90, 90, world)
    wu.declared.add(polish)
    with pytest.raises(ValidationError, match="申报回避"):
        _score(contest, wu, polish, first, 90, 90, world)
    with pytest.raises(ValidationError, match="每个评分项"):
        services.score_record(judge=wu, entry=magnet, round=first, values={contest["criteria"][0].pk: Decimal(1)},
                              by=world.admin)


def test_weighted_ranking_quota_and_winners_land_or_lapse(world, contest):
    first, final = contest["rounds"]
    zhou, wu = contest["judges"]
    magnet, polish, hydrogen = contest["entries"]
    _score(contest, wu, magnet, first, 90, 80, world)        # 86
    _score(contest, zhou, polish, first, 70, 100, world)     # 82
    _score(contest, wu, polish, first, 80, 80, world)        # 80 → average 81
    _score(contest, wu, hydrogen, first, 60, 60, world)      # 60
    ranked = services.ranking(first, contest["track"])
    assert [(e.project, t) for e, t in ranked] == [
        ("高丰度稀土永磁", Decimal("86.00")), ("稀土抛光粉", Decimal("81.00")), ("储氢合金", Decimal("60.00"))]
    assert services.round_close(round=first, by=world.admin) == {"advanced": 2}
    finalists = set(Entry.objects.filter(reached=final).values_list("project", flat=True))
    assert finalists == {"高丰度稀土永磁", "稀土抛光粉"}
    magnet.refresh_from_db()
    polish.refresh_from_db()
    _score(contest, wu, magnet, final, 70, 70, world)
    _score(contest, wu, polish, final, 95, 95, world)
    services.round_close(round=final, by=world.admin, today=date(2026, 6, 1))
    polish.refresh_from_db()
    assert polish.winner and polish.landing == Landing.PENDING and polish.landing_due == date(2026, 12, 1)
    assert not Entry.objects.get(pk=magnet.pk).winner

    assert services.landing_check(date(2026, 8, 1)) == {"landed": 0, "lapsed": 0}
    company = EnterpriseFactory(zone=world.zone_a, name="包头抛光粉科技有限公司", credit_code=polish.credit_code)
    assert services.landing_check(date(2026, 9, 1)) == {"landed": 1, "lapsed": 0}
    polish.refresh_from_db()
    assert polish.landing == Landing.LANDED and polish.landed_enterprise == company


def test_a_winner_without_a_company_in_the_zone_lapses(world, contest):
    first, final = contest["rounds"]
    _, hydrogen_entry = contest["entries"][0], contest["entries"][2]
    Entry.objects.filter(pk=hydrogen_entry.pk).update(winner=True, landing=Landing.PENDING,
                                                       landing_due=date(2026, 6, 30), reached=final)
    EnterpriseFactory(zone=world.zone_b, name="别区公司", credit_code=make_credit_code(90003))
    assert services.landing_check(date(2026, 7, 1)) == {"landed": 0, "lapsed": 1}
    assert Entry.objects.get(pk=hydrogen_entry.pk).landing == Landing.LAPSED
