"""Match rounds in the app: staff run a round, review candidates side by side, pin or exclude, re-plan."""

from __future__ import annotations

from rencai.matching.models import Conflict, MatchRound, Pairing, RoundCandidate, RoundStatus, ThesaurusTerm
from rencai.matching.services import round_create, round_pin, round_run
from rencai.needs.models import Need, Status
from tests.conftest import World, verified_client
from tests.factories import TalentFactory


def make_need(enterprise: object, title: str, description: str, *, status: str = Status.PUBLISHED,
              headcount: int = 1) -> Need:
    return Need.objects.create(enterprise=enterprise, title=title, description=description, status=status,
                               headcount=headcount, field_text="稀土永磁材料")


def magnet_round(world: World, *needs: Need) -> MatchRound:
    default = ("烧结钕铁硼晶界扩散工艺优化", "提高稀土永磁材料矫顽力，降低重稀土用量")
    needs = needs or (make_need(world.enterprise, *default),)
    match_round = round_create(name="第一批", zone=world.zone_a, by=world.admin, needs=needs, top=5, min_score=0.1)
    return round_run(round_id=match_round.pk)


def test_running_a_round_lists_candidates_with_reasons_for_every_candidate(world):
    TalentFactory(zone=world.zone_a, name="孙乳业", research_directions="乳制品发酵工艺", discipline="食品科学与工程",
                  discipline_code="0832")
    match_round = magnet_round(world)
    candidates = list(RoundCandidate.objects.filter(round=match_round))
    assert match_round.status == RoundStatus.RUN
    assert {c.talent.name for c in candidates} >= {"王建国", "赵志强"}
    assert all(c.reasons for c in candidates)
    assert candidates[0].talent.name != "孙乳业"
    assert Pairing.objects.filter(round=match_round).count() == 1


def test_talents_of_other_zones_and_pending_needs_are_left_out(world):
    pending = make_need(world.enterprise, "待审核的需求", "稀土永磁材料", status=Status.PENDING)
    published = make_need(world.enterprise, "稀土永磁材料研发", "晶界扩散")
    match_round = magnet_round(world, pending, published)
    assert set(match_round.needs.all()) == {published}
    assert not RoundCandidate.objects.filter(round=match_round, talent=world.talent_b).exists()
    assert not RoundCandidate.objects.filter(round=match_round, need=pending).exists()


def test_rerunning_a_round_gives_the_same_rows(world):
    match_round = magnet_round(world)
    first = list(RoundCandidate.objects.filter(round=match_round).values_list("need", "talent", "rank", "score"))
    round_run(round_id=match_round.pk)
    again = list(RoundCandidate.objects.filter(round=match_round).values_list("need", "talent", "rank", "score"))
    assert first == again
    assert Pairing.objects.filter(round=match_round).count() == 1


def test_pinned_pair_is_planned_and_excluded_pair_is_not(world):
    match_round = magnet_round(world)
    need = match_round.needs.get()
    planned = Pairing.objects.get(round=match_round).talent
    other = world.colleague if planned == world.talent else world.talent
    round_pin(round=match_round, need=need, talent=other, kind="pin", by=world.admin)
    round_run(round_id=match_round.pk)
    assert list(Pairing.objects.filter(round=match_round).values_list("talent", flat=True)) == [other.pk]
    round_pin(round=match_round, need=need, talent=other, kind="exclude", by=world.admin, reason="已在外地")
    round_run(round_id=match_round.pk)
    assert not Pairing.objects.filter(round=match_round, talent=other).exists()
    assert Pairing.objects.filter(round=match_round, talent=planned).exists()


def test_declared_conflict_keeps_the_talent_away_from_that_enterprise(world):
    Conflict.objects.create(talent=world.talent, enterprise=world.enterprise, reason="亲属任职", created_by=world.admin)
    match_round = magnet_round(world)
    assert not Pairing.objects.filter(round=match_round, talent=world.talent).exists()
    candidate = RoundCandidate.objects.get(round=match_round, talent=world.talent)
    assert any("利益冲突" in r for r in candidate.reasons)


def test_staff_review_need_and_candidates_side_by_side_and_pin_from_the_page(world):
    match_round = magnet_round(world)
    need = match_round.needs.get()
    client = verified_client(world.admin)
    page = client.get(f"/matching/rounds/{match_round.pk}/").content.decode()
    assert need.title in page and "王建国" in page and "赵志强" in page and "固定配对" in page
    planned = Pairing.objects.get(round=match_round).talent
    other = world.colleague if planned == world.talent else world.talent
    client.post(f"/matching/rounds/{match_round.pk}/pin/", {"need": need.pk, "talent": other.pk, "kind": "pin"})
    assert list(Pairing.objects.filter(round=match_round).values_list("talent", flat=True)) == [other.pk]


def test_staff_of_another_zone_cannot_open_the_round(world):
    from tests.factories import UserFactory

    match_round = magnet_round(world)
    outsider = UserFactory(username="admin_b", role="office_admin", zone=world.zone_b, city=world.zone_b.city)
    assert verified_client(outsider).get(f"/matching/rounds/{match_round.pk}/").status_code == 404


def test_office_thesaurus_entry_teaches_a_local_word(world):
    need = make_need(world.enterprise, "磁钢XQ处理", "XQ处理后性能不稳定")
    need.field_text = ""
    need.save()
    talent = TalentFactory(zone=world.zone_a, name="钱工", research_directions="表面渗镝", discipline="",
                           discipline_code="", major="")
    match_round = round_create(name="词表", zone=world.zone_a, by=world.admin, needs=[need], top=5, min_score=0.0)
    round_run(round_id=match_round.pk)
    before = RoundCandidate.objects.filter(round=match_round, talent=talent).first()
    client = verified_client(world.city_admin)  # the thesaurus is city-wide: city-level staff only
    client.post("/matching/thesaurus/", {"concept": "表面渗镝", "synonyms": "XQ处理、渗镝", "note": "本地说法"})
    assert ThesaurusTerm.objects.filter(concept="表面渗镝").exists()
    round_run(round_id=match_round.pk)
    after = RoundCandidate.objects.get(round=match_round, talent=talent)
    assert after.score > (before.score if before else 0.0)


def test_staff_create_a_round_from_the_form_and_it_runs(world):
    first = make_need(world.enterprise, "稀土永磁材料研发", "晶界扩散")
    second = make_need(world.enterprise, "烧结钕铁硼磁体", "矫顽力提升")
    client = verified_client(world.admin)
    form = {"name": "表单批次", "zone": world.zone_a.pk, "needs": [first.pk, second.pk], "top": 5, "min_score": 0.1,
            "lead": 1, "service": 2}
    response = client.post("/matching/new/", form)
    match_round = MatchRound.objects.get(name="表单批次")
    assert response.status_code == 302 and match_round.status == RoundStatus.RUN
    assert set(RoundCandidate.objects.filter(round=match_round).values_list("need", flat=True)) == {first.pk, second.pk}


def test_a_round_needs_a_campaign_or_needs(world):
    client = verified_client(world.admin)
    page = client.post("/matching/new/", {"name": "空批次", "zone": world.zone_a.pk, "top": 5, "min_score": 0.1,
                                          "lead": 1, "service": 2}).content.decode()
    assert "请选择摸底活动或至少一项已发布的需求" in page and not MatchRound.objects.exists()


def test_office_declares_a_conflict_on_the_page_and_the_next_run_respects_it(world):
    client = verified_client(world.admin)
    client.post("/matching/conflicts/", {"talent": world.talent.pk, "enterprise": world.enterprise.pk,
                                         "reason": "曾在该企业任职"})
    assert Conflict.objects.filter(talent=world.talent, enterprise=world.enterprise).exists()
    match_round = magnet_round(world)
    assert not Pairing.objects.filter(round=match_round, talent=world.talent).exists()


def test_finance_cannot_declare_conflicts_or_edit_the_thesaurus(world):
    client = verified_client(world.finance)
    assert client.post("/matching/conflicts/", {"talent": world.talent.pk, "enterprise": world.enterprise.pk,
                                                "reason": "x"}).status_code == 403
    assert client.post("/matching/thesaurus/", {"concept": "磁材"}).status_code == 403
    assert not Conflict.objects.exists() and not ThesaurusTerm.objects.exists()


def test_office_edits_a_thesaurus_entry(world):
    term = ThesaurusTerm.objects.create(concept="表面渗镝", synonyms="渗镝")
    client = verified_client(world.city_admin)
    assert "修改词条「表面渗镝」" in client.get(f"/matching/thesaurus/?edit={term.pk}").content.decode()
    client.post(f"/matching/thesaurus/?edit={term.pk}", {"concept": "表面渗镝", "synonyms": "渗镝、XQ处理"})
    term.refresh_from_db()
    assert term.synonym_list() == ["渗镝", "XQ处理"]


def test_a_campaign_round_takes_the_campaigns_open_needs(world):
    from datetime import date

    from rencai.needs.models import Campaign

    campaign = Campaign.objects.create(city=world.zone_a.city, zone=world.zone_a, name="秋季摸底",
                                       starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 1), created_by=world.admin)
    open_need = make_need(world.enterprise, "稀土永磁材料研发", "晶界扩散")
    closed = make_need(world.enterprise, "已关闭的需求", "稀土永磁材料", status=Status.CLOSED)
    Need.objects.filter(pk__in=[open_need.pk, closed.pk]).update(campaign=campaign)
    make_need(world.enterprise, "不在活动中的需求", "稀土永磁材料")
    match_round = round_create(name="活动批次", zone=world.zone_a, by=world.admin, campaign=campaign, min_score=0.1)
    round_run(round_id=match_round.pk)
    assert set(RoundCandidate.objects.filter(round=match_round).values_list("need", flat=True)) == {open_need.pk}
