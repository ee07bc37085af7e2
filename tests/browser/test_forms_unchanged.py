"""Every edit form of the site, opened in Chinese and saved unchanged, changes nothing in the database.

The edit forms are found by walking the URL resolver (routes named *edit*, *_form*, *adjust*, *settings*),
so a form added later fails here until it has a case below. Each case builds a row with every field
filled (dates, personal data, many-to-many), a person who may edit it opens the page in a real Chromium
with the zh-CN locale, presses the form's own save button without touching anything (a required reason
that is not part of the row is the only thing typed), and every concrete field of the row, many-to-many
included, must be what it was. This is how defect 1 of issue 10 was found: zh-hans dates (2027/04/10)
were rejected by <input type="date">, which showed blank and erased the date on save (or gave HTTP 500).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from rencai.core.models import User
from rencai.core.roles import STAFF
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.conftest import World
from tests.factories import make_credit_code

pytestmark = pytest.mark.browser

EDIT_ROUTE = re.compile(r"(^|_)(edit|form|adjust|settings|preferences)($|_)")
# Pages that edit a row without a route of their own (the page's form fills from ?edit=<pk>).
EXTRA_EDIT_ROUTES = {"matching:thesaurus"}
# Routes the pattern finds that are not "open a stored row, save it again": each says why.
NOT_ROW_FORMS = {
    "needs:catalog_adjust": "一行目录草稿的增减（htmx 行内提交，每次都是一条新的调整记录），不是保存已有记录的表单",
    "funds:adjust": "预算调整是一笔资金变动（每次提交记一笔账），不是修改一条记录",
    "challenges:award_form": "立项决定是一次性的操作（选定中标方、金额和各期资金并预留资金），不是保存已有记录的表单",
    "talents:registration_form": "可打印的人才登记表页面（附查看敏感信息的表单，须填写理由），不是编辑表单",
}


def edit_routes() -> list[str]:
    """Routes named like an edit form, and every route with a pk whose view also serves a route without one
    (one view for "new" and "edit": core:manage_zone beside core:manage_zone_new)."""
    names: set[str] = set()
    by_view: dict[Any, list[tuple[str, bool]]] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}{entry.name}"
                if EDIT_ROUTE.search(entry.name):
                    names.add(name)
                by_view.setdefault(entry.callback, []).append((name, "pk" in entry.pattern.converters))

    walk(get_resolver().url_patterns, "")
    for routes in by_view.values():
        if any(not has_pk for _, has_pk in routes):
            names |= {name for name, has_pk in routes if has_pk}
    return sorted(names | EXTRA_EDIT_ROUTES)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Every concrete field of the row as stored (auto_now stamps aside), and each many-to-many as pks."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    row = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
           if not getattr(f, "auto_now", False)}
    for m2m in fresh._meta.many_to_many:
        row[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
    return row


@dataclass
class Case:
    """A row, the person who edits it, the page holding the form and the path the form posts to."""

    row: models.Model
    user: User
    page: str
    target: str
    fill: dict[str, str] = field(default_factory=dict)  # required inputs that are not part of the row
    watch: Callable[[], Any] | None = None  # stored state beyond the row (e.g. one person's preference rows)


# ---- one builder per edit form: rows with every field the form shows filled in ---------------------------

def _talent(w: World) -> Case:
    from rencai.talents.models import Tag, TierRule
    from rencai.talents.services import talent_save

    TierRule.objects.create(name="正高级职称", tier="B", priority=10, active=True,
                            conditions=[{"field": "title", "op": "in", "value": ["教授"]}])
    t = w.talent
    t.gender, t.birth_date, t.title, t.education, t.degree = "男", date(1985, 4, 10), "教授", "研究生", "博士"
    t.graduated_from, t.major, t.employer = "北京科技大学", "材料物理与化学", "内蒙古科技大学"
    t.talent_type, t.flexible_mode, t.region = "柔性引进", "周末式", "北京市"
    t.achievements, t.remarks, t.research_directions = "国家发明专利3项", "每月来包两次", "稀土永磁材料；晶界扩散"
    talent_save(talent=t, by=w.admin)
    t.tags.add(Tag.objects.create(name="稀土"), Tag.objects.create(name="新材料"))
    assert (t.tier, t.tier_manual) == ("B", False)
    return Case(t, w.admin, f"/talents/{t.pk}/edit/", f"/talents/{t.pk}/edit/")


def _tier_rule(w: World) -> Case:
    from rencai.talents.models import TierRule

    rule = TierRule.objects.create(
        name="青年博士", tier="D", priority=20, basis="包头市人才分类目录（2026）第四条", active=True,
        conditions=[{"field": "degree", "op": "in", "value": ["博士"]}, {"field": "age", "op": "lte", "value": ["35"]}])
    # tier rules are city-wide: only city-level staff change them (issue 12 item 8)
    return Case(rule, w.city_admin, f"/talents/tiers/{rule.pk}/", f"/talents/tiers/{rule.pk}/")


def _enterprise(w: World) -> Case:
    e = w.enterprise
    e.credit_code, e.industry_code, e.qualifications = make_credit_code(7), "32", ["high_tech", "specialized"]
    e.address, e.established_on, e.employees, e.remarks = "稀土高新区黄河大街8号", date(2009, 4, 10), 320, "重点企业"
    e.save()
    return Case(e, w.admin, f"/orgs/enterprises/{e.pk}/edit/", f"/orgs/enterprises/{e.pk}/edit/")


def _institution(w: World) -> Case:
    i = w.institution
    i.kind, i.province, i.city, i.credit_code, i.address = "university", "内蒙古自治区", "包头市", \
        make_credit_code(8), "昆都仑区阿尔丁大街7号"
    i.save()
    # institutions, postdoc settings and the thesaurus are city-wide: city-level staff edit them (issue 12 item 8)
    return Case(i, w.city_admin, f"/orgs/institutions/{i.pk}/edit/", f"/orgs/institutions/{i.pk}/edit/")


def _need(w: World) -> Case:
    from rencai.needs.models import Need

    n = Need.objects.create(
        enterprise=w.enterprise, kind="人才引进", title="稀土永磁电机研发工程师", description="负责永磁同步电机设计",
        field_text="电机", discipline_code="0808", industry_code="38", expected_talent="电气工程博士", level="博士",
        headcount=2, urgency="紧急", budget=Decimal("80.00"), contact_name="刘经理", contact_phone="13994229735",
        deadline=date(2027, 4, 10), created_by=w.admin)
    return Case(n, w.admin, f"/needs/{n.pk}/edit/", f"/needs/{n.pk}/edit/")


def _campaign(w: World) -> Case:
    from rencai.needs.models import Campaign

    c = Campaign.objects.create(city=w.zone_a.city, zone=w.zone_a, name="2027年春季入企问需",
                                starts_on=date(2027, 4, 10), ends_on=date(2027, 5, 31),
                                bureaus=["科技局", "工信局"], created_by=w.admin)
    c.enterprises.add(w.enterprise)
    return Case(c, w.admin, f"/needs/campaigns/{c.pk}/edit/", f"/needs/campaigns/{c.pk}/edit/")


def _agreement(w: World) -> Case:
    from tests.engagements.conftest import make_agreement

    a = make_agreement(w, ends_on=date(2027, 4, 10), visits_per_month=2, days_per_visit=3, days_per_year=30)
    return Case(a, w.admin, f"/engagements/{a.pk}/", f"/engagements/{a.pk}/adjust/",
                fill={"reason": "核对协议条款，未作改动"})


def _postdoc_settings(w: World) -> Case:
    from rencai.postdoc.models import PostdocSettings

    s = PostdocSettings.current()
    s.proposal_months, s.midterm_months, s.exit_months, s.reminder_days = 4, 13, 25, [30, 7, 1]
    s.save()
    return Case(s, w.city_admin, "/postdoc/settings/", "/postdoc/settings/")


def _thesaurus(w: World) -> Case:
    from rencai.matching.models import ThesaurusTerm

    term = ThesaurusTerm.objects.create(concept="稀土永磁", synonyms="钕铁硼、永磁材料", broader="稀土功能材料",
                                        note="2027年词表", updated_by=w.city_admin)
    return Case(term, w.city_admin, f"/matching/thesaurus/?edit={term.pk}", "/matching/thesaurus/")


def _zone(w: World) -> Case:  # zones and bureaus are city-wide: the city's admin edits them
    return Case(w.zone_a, w.city_admin, f"/manage/zones/{w.zone_a.pk}/", f"/manage/zones/{w.zone_a.pk}/")


def _bureau(w: World) -> Case:
    from rencai.core.models import Bureau

    b = Bureau.objects.create(city=w.zone_a.city, name="包头市人力资源和社会保障局", code="rsj")
    return Case(b, w.city_admin, f"/manage/bureaus/{b.pk}/", f"/manage/bureaus/{b.pk}/")


def _inbox_preferences(w: World) -> Case:
    from rencai.core.inbox import preferences_for
    from rencai.core.notice_models import NoticePreference

    kinds = [kind.key for kind, _ in preferences_for(w.admin)]
    assert kinds, "no notice kind is registered"
    NoticePreference.objects.create(user=w.admin, kind=kinds[0], channels=["inbox", "email"])

    def watch() -> list[tuple[str, list[str]]]:
        return sorted(NoticePreference.objects.filter(user=w.admin).values_list("kind", "channels"))
    return Case(w.admin, w.admin, "/inbox/", "/inbox/preferences/", watch=watch)


def _challenge(w: World) -> Case:  # content can change only before publishing: a draft 榜单 with co-funders
    from tests.challenges.conftest import make_challenge

    c = make_challenge(w, publish=False)
    c.eligibility, c.defence_weight, c.notice_days = "在包头注册或与包头企业联合申报的团队", 30, 5
    c.save()

    def watch() -> list[tuple[str, str, Decimal]]:
        return sorted(c.cofunders.values_list("name", "kind", "share"))
    return Case(c, w.admin, f"/challenges/{c.pk}/edit/", f"/challenges/{c.pk}/edit/", watch=watch)


def _service_item(w: World) -> Case:
    from tests.onestop.builders import bureau, item

    row = item(w.zone_a.city, bureaus=[bureau(w.zone_a.city, "rsj", "包头市人力资源和社会保障局"), w.bureau],
               description="引进人才子女在包头入学", tiers=["A", "B"], talent_types=["全职引进", "柔性引进"],
               without_application=True, card_quota=4)
    return Case(row, w.admin, f"/services/items/{row.pk}/edit/", f"/services/items/{row.pk}/edit/")


def _recruit_competition(w: World) -> dict[str, Any]:
    from rencai.recruitment import services
    from rencai.recruitment.models import Competition, Criterion, Entry, Judge, Round, Track

    c = Competition(name="2026年稀土高新区创新创业大赛", zone=w.zone_a, year=2026, landing_months=6)
    services.competition_save(competition=c, by=w.admin)
    track = Track(competition=c, name="新材料")
    rnd = Round(competition=c, seq=1, name="初赛", quota=3)
    crit = Criterion(competition=c, name="技术创新性", weight=Decimal("0.60"))
    for part in (track, rnd, crit):
        services.competition_part_save(obj=part, by=w.admin)
    entry = Entry(track=track, project="高矫顽力烧结钕铁硼", leader="刘洋", unit="包头稀土研究院", members="张三、李四",
                  support_tier="C", support_subsidy=Decimal("50"), support_space=200,
                  credit_code=make_credit_code(9))
    services.entry_save(entry=entry, by=w.admin)
    judge = Judge(competition=c, name="吴研究员", unit="中科院宁波材料所", user=w.expert)
    services.judge_save(judge=judge, declared=[entry], by=w.admin)
    return {"competition": c, "track": track, "round": rnd, "criterion": crit, "entry": entry, "judge": judge}


def _recruit_case(kind: str, url: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        row = _recruit_competition(w)[kind]
        path = f"/recruitment/{url.format(pk=row.pk)}"
        return Case(row, w.admin, path, path)
    return build


def _recruit_campaign_rows(w: World) -> dict[str, Any]:
    from rencai.recruitment import services

    campaign = services.campaign_create(by=w.admin, name="名校引才专项行动", zone=w.zone_a, city=w.zone_a.city,
                                        starts_on=date(2026, 3, 1), ends_on=date(2099, 8, 31), target_hires=100,
                                        stages=["captured", "contacted", "signed", "arrived", "insured"])
    event = services.event_add(campaign=campaign, by=w.admin, held_on=date(2026, 3, 15), university="清华大学",
                               city_name="北京", title="清华专场")
    post = services.post_add(campaign=campaign, by=w.admin, enterprise=w.enterprise, title="磁材工程师",
                             field_text="新材料", headcount=2)
    services.event_update(event=event, booth_staff=[w.reviewer, w.enterprise_user], by=w.admin)
    return {"campaign": campaign, "event": event, "post": post}


def _recruit_campaign(w: World) -> Case:
    c = _recruit_campaign_rows(w)["campaign"]
    return Case(c, w.admin, f"/recruitment/{c.pk}/edit/", f"/recruitment/{c.pk}/edit/")


def _recruit_event(w: World) -> Case:
    e = _recruit_campaign_rows(w)["event"]
    return Case(e, w.admin, f"/recruitment/events/{e.pk}/edit/", f"/recruitment/events/{e.pk}/edit/")


def _recruit_post(w: World) -> Case:  # the enterprise edits its own post
    p = _recruit_campaign_rows(w)["post"]
    return Case(p, w.enterprise_user, f"/recruitment/posts/{p.pk}/edit/", f"/recruitment/posts/{p.pk}/edit/")


def _apartment_unit(w: World) -> Case:
    from rencai.onestop.models import Building, Unit, UnitStatus

    b = Building.objects.create(zone=w.zone_a, name="稀土高新区人才公寓一期", address="稀土大街8号")
    row = Unit.objects.create(building=b, number="2-0601", layout="一室一厅", area=Decimal("62.35"),
                              rent=Decimal("561.15"), available_on=date(2027, 4, 10), status=UnitStatus.OFFERED)
    return Case(row, w.admin, f"/services/apartments/units/{row.pk}/edit/",
                f"/services/apartments/units/{row.pk}/edit/")


def _apartment_building(w: World) -> Case:
    from rencai.onestop.models import Building

    row = Building.objects.create(zone=w.zone_a, name="稀土高新区人才公寓一期", address="稀土大街8号")
    return Case(row, w.admin, f"/services/apartments/buildings/{row.pk}/edit/",
                f"/services/apartments/buildings/{row.pk}/edit/")


def _visit_cadence(w: World) -> Case:  # city-wide: the city's admin edits it
    from rencai.onestop.models import VisitCadence

    row = VisitCadence.objects.create(city=w.zone_a.city, tier="A", days=60, updated_by=w.city_admin)
    VisitCadence.objects.create(city=w.zone_a.city, tier="D", days=None, updated_by=w.city_admin)

    def watch() -> list[tuple[str, int | None, object]]:
        return sorted(VisitCadence.objects.values_list("tier", "days", "updated_at"))
    return Case(row, w.city_admin, "/services/visits/cadence/", "/services/visits/cadence/", watch=watch)


CASES: dict[str, Callable[[World], Case]] = {
    "core:manage_zone": _zone,
    "core:manage_bureau": _bureau,
    "core:inbox_preferences": _inbox_preferences,
    "talents:edit": _talent,
    "talents:tier_rule_edit": _tier_rule,
    "orgs:enterprise_edit": _enterprise,
    "orgs:institution_edit": _institution,
    "needs:edit": _need,
    "needs:campaign_edit": _campaign,
    "engagements:adjust": _agreement,
    "postdoc:settings": _postdoc_settings,
    "matching:thesaurus": _thesaurus,
    "challenges:edit": _challenge,
    "onestop:item_edit": _service_item,
    "onestop:unit_edit": _apartment_unit,
    "onestop:building_edit": _apartment_building,
    "onestop:cadence_edit": _visit_cadence,
    "recruitment:campaign_edit": _recruit_campaign,
    "recruitment:event_edit": _recruit_event,
    "recruitment:post_edit": _recruit_post,
    "recruitment:competition_edit": _recruit_case("competition", "competitions/{pk}/edit/"),
    "recruitment:track_edit": _recruit_case("track", "tracks/{pk}/edit/"),
    "recruitment:round_edit": _recruit_case("round", "rounds/{pk}/edit/"),
    "recruitment:criterion_edit": _recruit_case("criterion", "criterion/{pk}/edit/"),
    "recruitment:judge_edit": _recruit_case("judge", "judges/{pk}/edit/"),
    "recruitment:entry_edit": _recruit_case("entry", "entries/{pk}/edit/"),
}

FIND_FORM = """(target) => {
  const forms = Array.from(document.querySelectorAll("main form")).filter(
    f => (f.getAttribute("method") || "").toLowerCase() === "post" && new URL(f.action).pathname === target);
  forms.forEach(f => { f.dataset.underTest = "1"; const d = f.closest("details"); if (d) d.open = true; });
  return forms.length;
}"""


@pytest.mark.parametrize("route", edit_routes())
def test_edit_form_saved_unchanged_changes_nothing(web: Web, world: World, route: str):
    from playwright.sync_api import expect

    if route in NOT_ROW_FORMS:
        pytest.skip(NOT_ROW_FORMS[route])
    if route not in CASES:
        pytest.fail(f"{route} looks like an edit form but tests/browser/test_forms_unchanged.py has no case for it: "
                    "add a builder to CASES (or, if it does not save a stored row, to NOT_ROW_FORMS with why)")
    case = CASES[route](world)
    assert resolve(case.target).view_name == route, f"{route}: the case posts to {case.target}"

    page = web.page
    give_password(case.user)
    log_in(page, case.user, give_authenticator(case.user) if case.user.role in STAFF else None)
    before = snapshot(case.row)
    watched = case.watch() if case.watch else None
    response = page.goto(case.page)
    assert response is not None and response.status == 200, f"{route}: cannot open {case.page} ({response.status})"
    found = page.evaluate(FIND_FORM, case.target)
    assert found == 1, f"{route}: expected one form posting to {case.target} on {case.page}, found {found}"
    form = page.locator("form[data-under-test]")

    for name, value in case.fill.items():
        form.locator(f"[name={name}]").fill(value)
    shown_wrong = []  # what the person sees before pressing save
    for date_input in form.locator("input[type=date]").all():
        name = date_input.get_attribute("name") or ""
        stored = before.get(name)
        if isinstance(stored, date) and date_input.input_value() != stored.isoformat():
            shown_wrong.append(f"{name}: stored {stored.isoformat()}, shown {date_input.input_value()!r}")

    with page.expect_navigation() as navigation:
        form.locator("button:not([type=button]), input[type=submit]").first.click()
    landed = navigation.value
    assert landed is not None and landed.request.redirected_from is not None, \
        f"{route}: the unchanged form was not accepted: {_errors_on(page)}"
    expect(page.locator(".msg.error")).to_have_count(0)
    assert web.problems() == []

    after = snapshot(case.row)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {}, f"{route}: saving unchanged changed {changed}"
    if case.watch:
        assert case.watch() == watched, f"{route}: saving unchanged changed {watched} to {case.watch()}"
    assert shown_wrong == [], f"{route}: dates not shown as stored: {shown_wrong}"


def _errors_on(page: Any) -> str:
    return " / ".join(t.strip() for t in page.locator(".error, .msg").all_inner_texts())


def test_every_edit_route_has_a_case_or_a_reason():
    """Fast guard (no browser): the walk finds the known forms, and each one is accounted for."""
    routes = set(edit_routes())
    assert {"talents:edit", "needs:edit", "engagements:adjust", "orgs:enterprise_edit", "core:manage_zone"} <= routes
    missing = routes - set(CASES) - set(NOT_ROW_FORMS)
    assert not missing, f"edit forms without a case: {sorted(missing)}"
