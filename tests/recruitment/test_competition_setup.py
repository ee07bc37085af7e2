"""An office user sets a competition up end to end in the browser: the competition, tracks, rounds, rubric,
judges (with a declared conflict), entries, score sheets, closing rounds to winners; each edit saved unchanged
changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from rencai.core.models import AuditEvent
from rencai.recruitment.models import Competition, Criterion, Entry, Judge, Landing, Round, Track
from tests.conftest import verified_client
from tests.recruitment.formdata import form_data

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def _set_up(world):
    client = verified_client(world.admin)
    _post(client, reverse("recruitment:competition_new"),
          {"name": "2026年稀土高新区创新创业大赛", "zone": world.zone_a.pk, "year": 2026, "landing_months": 6})
    competition = Competition.objects.get()
    pk = competition.pk
    for name in ("新材料", "新能源"):
        _post(client, reverse("recruitment:track_new", args=[pk]), {"name": name})
    _post(client, reverse("recruitment:round_new", args=[pk]), {"seq": 1, "name": "初赛", "quota": 1})
    _post(client, reverse("recruitment:round_new", args=[pk]), {"seq": 2, "name": "决赛", "quota": 1})
    _post(client, reverse("recruitment:criterion_new", args=[pk]), {"name": "技术创新性", "weight": "0.6"})
    _post(client, reverse("recruitment:criterion_new", args=[pk]), {"name": "市场前景", "weight": "0.4"})
    materials = Track.objects.get(name="新材料")
    for project, leader, unit in (("高矫顽力烧结钕铁硼", "刘洋", "包头稀土研究院"),
                                  ("废旧磁体回收再生", "孙磊", "内蒙古科技大学")):
        _post(client, reverse("recruitment:entry_new", args=[pk]), {
            "track": materials.pk, "project": project, "leader": leader, "unit": unit, "members": "张三、李四",
            "support_tier": "C", "support_subsidy": "50", "support_space": 200, "credit_code": ""})
    recycling = Entry.objects.get(project="废旧磁体回收再生")
    _post(client, reverse("recruitment:judge_new", args=[pk]), {"name": "周教授", "unit": "北京科技大学"})
    _post(client, reverse("recruitment:judge_new", args=[pk]),
          {"name": "吴研究员", "unit": "中科院宁波材料所", "declared": [recycling.pk]})
    return client, competition


def test_office_user_sets_up_a_competition_and_crowns_a_winner_in_the_browser(world):
    client, competition = _set_up(world)
    assert competition.city == world.zone_a.city
    assert [r.name for r in competition.rounds.order_by("seq")] == ["初赛", "决赛"]
    assert Entry.objects.filter(track__competition=competition, reached__seq=1).count() == 2
    page = client.get(reverse("recruitment:competition", args=[competition.pk])).content.decode()
    for text in ("新材料", "新能源", "初赛（1）", "技术创新性（0.60）", "吴研究员", "高矫顽力烧结钕铁硼", "录入评分"):
        assert text in page, text
    sintered = Entry.objects.get(project="高矫顽力烧结钕铁硼")
    recycling = Entry.objects.get(project="废旧磁体回收再生")
    zhou, wu = Judge.objects.get(name="周教授"), Judge.objects.get(name="吴研究员")
    innovation, market = Criterion.objects.get(name="技术创新性"), Criterion.objects.get(name="市场前景")
    # the judge who declared a conflict is refused, with the reason beside the form
    refused = client.post(reverse("recruitment:entry_scores", args=[recycling.pk]),
                          {"judge": wu.pk, f"c{innovation.pk}": "90", f"c{market.pk}": "90"})
    assert refused.status_code == 200 and "本人申报回避" in refused.content.decode()
    for entry, score in ((sintered, "90"), (recycling, "70")):
        _post(client, reverse("recruitment:entry_scores", args=[entry.pk]),
              {"judge": zhou.pk, f"c{innovation.pk}": score, f"c{market.pk}": score})
    first, final = competition.rounds.order_by("seq")
    _post(client, reverse("recruitment:round_close", args=[competition.pk, first.pk]), {})
    sintered.refresh_from_db()
    assert sintered.reached == final
    _post(client, reverse("recruitment:entry_scores", args=[sintered.pk]),
          {"judge": wu.pk, f"c{innovation.pk}": "80", f"c{market.pk}": "85"})
    _post(client, reverse("recruitment:round_close", args=[competition.pk, final.pk]), {})
    sintered.refresh_from_db()
    assert sintered.winner and sintered.landing == Landing.PENDING and sintered.landing_due is not None
    assert sintered.support_tier == "C" and sintered.support_subsidy == Decimal("50")


def test_a_round_with_a_taken_number_and_a_zero_weight_are_refused(world):
    client, competition = _set_up(world)
    taken = client.post(reverse("recruitment:round_new", args=[competition.pk]), {"seq": 1, "name": "复赛",
                                                                                  "quota": 3})
    assert taken.status_code == 200 and Round.objects.filter(competition=competition).count() == 2
    zero = client.post(reverse("recruitment:criterion_new", args=[competition.pk]), {"name": "团队", "weight": "0"})
    assert zero.status_code == 200 and "权重须大于零" in zero.content.decode()


def test_entries_judges_and_tracks_are_kept_within_their_competition(world):
    client, competition = _set_up(world)
    _post(client, reverse("recruitment:competition_new"),
          {"name": "另一场大赛", "zone": world.zone_a.pk, "year": 2026, "landing_months": 6})
    other = Competition.objects.get(name="另一场大赛")
    foreign_track = Track.objects.get(name="新材料", competition=competition)
    response = client.post(reverse("recruitment:entry_new", args=[other.pk]),
                           {"track": foreign_track.pk, "project": "越界项目", "leader": "某人"})
    assert response.status_code == 200 and not Entry.objects.filter(project="越界项目").exists()


def _snapshot(obj):
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    row = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    for m2m in fresh._meta.many_to_many:
        row[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
    return row


def test_every_setup_form_saved_unchanged_changes_nothing(world):
    client, competition = _set_up(world)
    judge = Judge.objects.get(name="吴研究员")
    assert judge.declared.exists()
    rows = [("recruitment:competition_edit", competition), ("recruitment:track_edit", Track.objects.first()),
            ("recruitment:round_edit", Round.objects.first()),
            ("recruitment:criterion_edit", Criterion.objects.first()),
            ("recruitment:judge_edit", judge), ("recruitment:entry_edit", Entry.objects.first())]
    for name, row in rows:
        url = reverse(name, args=[row.pk])
        before, audits = _snapshot(row), AuditEvent.objects.count()
        page = client.get(url)
        assert page.status_code == 200
        response = client.post(url, form_data(page.content.decode()))
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
        assert _snapshot(row) == before, name
        assert AuditEvent.objects.count() == audits, f"{name}: saving unchanged wrote an audit entry"


def test_an_edit_is_saved_and_audited(world):
    client, competition = _set_up(world)
    track = Track.objects.get(name="新能源")
    page = client.get(reverse("recruitment:track_edit", args=[track.pk])).content.decode()
    data = form_data(page) | {"name": ["新能源与储氢"]}
    _post(client, reverse("recruitment:track_edit", args=[track.pk]), data)
    track.refresh_from_db()
    assert track.name == "新能源与储氢"
    assert AuditEvent.objects.filter(object_type="recruitment.track", object_id=str(track.pk), action="update").exists()


def test_other_zones_staff_cannot_open_the_setup_pages(world):
    from tests.factories import UserFactory

    _, competition = _set_up(world)
    outsider = UserFactory(username="admin_b", role="office_admin", zone=world.zone_b, city=world.zone_b.city)
    client = verified_client(outsider)
    track = Track.objects.first()
    assert client.get(reverse("recruitment:track_edit", args=[track.pk])).status_code == 404
    assert client.get(reverse("recruitment:judge_new", args=[competition.pk])).status_code == 404
    assert client.post(reverse("recruitment:track_edit", args=[track.pk]), {"name": "改名"}).status_code == 404
    track.refresh_from_db()
    assert track.name != "改名"
    assert verified_client(world.enterprise_user).get(
        reverse("recruitment:competition_new")).status_code == 403
