"""Who sees what, generated from the models' `scope` declarations: no app writes its own scoping test.

(a) every model of the rencai apps declares a scope, or is in the commented allow-list below;
(b) for every scoped model and every persona, `visible_to(user)` is exactly the set found by walking the
    declared attribute paths on each row in Python;
(c) every API list endpoint returns exactly that set;
(d) every page or API detail route whose pk names a row answers 404 for rows outside the persona's scope;
(e) no list, detail or export page a persona can open names a row of a scoped model they may not see
    (this is what caught defect 5: a liaison saw another university's postdoc on a station page).

The world is built once per module with tests/factories.py: a city with two zones, two enterprises, two
universities, a station with partners from both universities and a postdoc from each, needs, campaigns
(one city-wide), catalogs (one city-wide), agreements, entitlements, rounds, pairings, funds and the rest.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from rencai.core.models import User
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import SELF, Scope, resolve_field, scope_of, scoped_models
from rencai.funds.services import fund_open
from tests import factories as f
from tests.conftest import verified_client
from tests.test_access_matrix import Route, walk_routes

# --- (a) models that need no scope, each with the reason ---------------------------------------------------
UNSCOPED = {
    # system tables
    "core.User": "accounts; each user's own data is reached through the scoped rows that name them",
    "core.AuditEvent": "the append-only audit log, read only by office admins on the audit page",
    "core.StateChange": "lifecycle history, read through history_for(obj) of an object already fetched in scope",
    "core.NoticePreference": "each user's delivery choices, read and written only for request.user",
    "core.TokenUse": "API token metadata, read and written only for request.user's own token",
    "core.SearchDocument": "the list search's index: never listed or served; a search yields ids that the "
                           "searched model's own scope then filters (core.listing.filtered)",
    # reference data the whole city shares
    "core.City": "reference data: the cities of the installation",
    "core.Zone": "reference data: the zones (choices are narrowed by User.visible_zones())",
    "core.CalendarDay": "reference data: the working-day calendar (holidays, make-up days)",
    "core.OfficeProfile": "reference data: how a city's office signs its letters",
    "core.DocumentSeries": "reference data: a city's document-number counters, used by services only",
    "talents.Tag": "reference data: tag names",
    "talents.TierRule": "reference data: the published tier criteria",
    "policies.Policy": "reference data: published policies, shown by role on the policy pages",
    "policies.PolicyVersion": "reference data: the published wording of a policy",
    "postdoc.PostdocSettings": "reference data: the office's deadline defaults",
    "matching.ThesaurusTerm": "reference data: the domain thesaurus",
    "matching.LearnedWeights": "reference data: the matching weights in use",
    "matching.ProfileEmbedding": "a profile's vector for the matching engine: never listed or served; the ranker "
                                 "reads it only for talents the round's own scope selected",
}

# Where a URL segment before <pk> does not name its model (app label, segment) → model.
SEGMENT_MODELS = {
    ("core", "job"): "core.ImportJob",
    ("engagements", "engagements"): "engagements.Agreement",
    ("engagements", "visits"): "engagements.ServiceVisit",
    ("policies", "mine"): "policies.Entitlement",
    ("matching", "rounds"): "matching.MatchRound",
}
# Pages not scanned for names: the audit log is installation-wide by design (office admins only), and pages
# that change the session.
UNSCANNED = ("audit", "logout", "login", "otp", "language", "schema",
             "letters.zip")  # the world's letters have file names but no files: the zip would fail to read them


# --- the world ---------------------------------------------------------------------------------------------


@dataclass
class GWorld:
    personas: dict[str, User]


def _build() -> GWorld:
    city = f.CityFactory(name="包头市")
    za = f.ZoneFactory(city=city, name="甲园区", code="g-zone-a")
    zb = f.ZoneFactory(city=city, name="乙园区", code="g-zone-b")
    bureau = f.BureauFactory(city=city, name="包头市人社局", code="g-hr")
    u1 = f.InstitutionFactory(name="北方甲大学")
    u2 = f.InstitutionFactory(name="南方乙大学")
    p = {
        "office_admin": f.UserFactory(username="g_admin_a", role=Role.OFFICE_ADMIN, zone=za, city=city),
        "city_admin": f.UserFactory(username="g_admin_city", role=Role.OFFICE_ADMIN, city=city),
        "reviewer": f.UserFactory(username="g_reviewer_a", role=Role.REVIEWER, zone=za, city=city),
        "finance": f.UserFactory(username="g_finance_a", role=Role.FINANCE, zone=za, city=city),
        "enterprise": f.UserFactory(username="g_ent_a", role=Role.ENTERPRISE),
        "enterprise_b": f.UserFactory(username="g_ent_b", role=Role.ENTERPRISE),
        "talent": f.UserFactory(username="g_talent_a", role=Role.TALENT),
        "liaison": f.UserFactory(username="g_liaison_u1", role=Role.LIAISON),
        "bureau": f.UserFactory(username="g_bureau", role=Role.BUREAU, city=city, bureau=bureau),
        "expert": f.UserFactory(username="g_expert", role=Role.EXPERT),
        "partner": f.UserFactory(username="g_partner", role=Role.PARTNER),
        "evaluator": f.UserFactory(username="g_evaluator", role=Role.EVALUATOR),
    }
    admin = p["office_admin"]
    ea = f.EnterpriseFactory(zone=za, name="甲园稀土永磁公司")
    eb = f.EnterpriseFactory(zone=zb, name="乙园乳业公司")
    ea.members.add(p["enterprise"])
    eb.members.add(p["enterprise_b"])
    u1.liaisons.add(p["liaison"])
    ta1 = f.TalentFactory(zone=za, name="甲园博士甲大", institution=u1, user=p["talent"])
    ta2 = f.TalentFactory(zone=za, name="甲园博士乙大", institution=u2)
    tb1 = f.TalentFactory(zone=zb, name="乙园博士甲大", institution=u1)
    tb2 = f.TalentFactory(zone=zb, name="乙园博士乙大", institution=u2)
    for t, mark in ((ta1, "甲一"), (ta2, "甲二"), (tb1, "乙一"), (tb2, "乙二")):
        f.EducationFactory(talent=t, school=f"学校{mark}")
        f.EmploymentFactory(talent=t, employer=f"单位{mark}")
        f.AchievementFactory(talent=t, title=f"专利成果{mark}")
    for e, mark in ((ea, "甲"), (eb, "乙")):
        f.EnterpriseContactFactory(enterprise=e, name=f"联系人{mark}园")
        f.InnovationIndicatorFactory(enterprise=e)
        f.PlatformFactory(enterprise=e, name=f"重点实验室{mark}园")
    na = f.NeedFactory(enterprise=ea, title="甲园磁材需求")
    nb = f.NeedFactory(enterprise=eb, title="乙园乳品需求")
    ca = f.CampaignFactory(zone=za, city=city, name="甲园问需活动", created_by=admin)
    cc = f.CampaignFactory(zone=None, city=city, name="全市问需活动", created_by=p["city_admin"])
    cb = f.CampaignFactory(zone=zb, city=city, name="乙园问需活动", created_by=p["city_admin"])
    cc.enterprises.add(ea, eb)
    f.VisitFactory(campaign=ca, enterprise=ea, recorded_by=admin)
    f.VisitFactory(campaign=cb, enterprise=eb, recorded_by=p["city_admin"])
    f.VisitFactory(campaign=cc, enterprise=eb, recorded_by=p["city_admin"])
    for zone, title in ((None, "全市紧缺目录"), (za, "甲园紧缺目录"), (zb, "乙园紧缺目录")):
        edition = f.CatalogEditionFactory(city=city, zone=zone, title=title, published_by=p["city_admin"])
        f.CatalogLineFactory(edition=edition)
        f.CatalogAdjustmentFactory(city=city, zone=zone, updated_by=p["city_admin"])
    pa = f.ProgrammeFactory(zone=za, name="甲园柔性项目")
    pb = f.ProgrammeFactory(zone=zb, name="乙园柔性项目")
    for talent, enterprise, institution, programme, mark in ((ta1, ea, u1, pa, "甲"), (tb2, eb, u2, pb, "乙")):
        agreement = f.AgreementFactory(talent=talent, enterprise=enterprise, institution=institution,
                                       programme=programme, created_by=admin)
        f.ServiceProjectFactory(agreement=agreement, title=f"服务项目{mark}园")
        f.ServiceVisitFactory(agreement=agreement, logged_by=p["talent"])
        f.OutcomeFactory(agreement=agreement, title=f"服务成果{mark}园", recorded_by=admin)
        assessment = f.AssessmentFactory(agreement=agreement, grade="优秀")
        f.LetterFactory(assessment=assessment, sent_by=admin)
    # the station of defect 5: partners from both universities, a postdoc from each
    sa = f.StationFactory(enterprise=ea, name="甲园博士后工作站")
    pa1 = f.PartnerFactory(station=sa, institution=u1, discipline_code="0805")
    pa2 = f.PartnerFactory(station=sa, institution=u2, discipline_code="0703")
    f.PartnerFactory(station=sa, institution=u1, discipline_code="0801")  # two partners of one university
    sb = f.StationFactory(enterprise=eb, name="乙园博士后工作站")
    pb1 = f.PartnerFactory(station=sb, institution=u1, discipline_code="0832")
    for talent, station, partner in ((ta1, sa, pa1), (ta2, sa, pa2), (tb1, sb, pb1)):
        postdoc = f.PostdocFactory(talent=talent, station=station, partner=partner, topic=f"{talent.name}课题")
        f.MilestoneFactory(postdoc=postdoc)
        f.AssistanceFactory(station=station, postdoc=postdoc, content=f"{talent.name}开题指导")
        grant = f.EntitlementFactory(talent=talent, zone=station.enterprise.zone, source=postdoc.source,
                                     created_by=admin)
        f.InstalmentFactory(entitlement=grant)
    f.AssistanceFactory(station=sa, content="甲园工作站建站指导")
    for station in (sa, sb):
        f.EntitlementFactory(policy_code="postdoc_station_setup", enterprise=station.enterprise,
                             zone=station.enterprise.zone, source=station.source, amount=Decimal("100000.00"),
                             created_by=admin)
    for talent, enterprise in ((ta1, None), (None, eb)):
        code = "postdoc_living_subsidy" if talent else "postdoc_station_setup"
        application = f.ApplicationFactory(policy_code=code, talent=talent, enterprise=enterprise,
                                           applicant=p["talent"] if talent else p["enterprise_b"])
        f.ApplicationAttachmentFactory(application=application)
    ra = f.MatchRoundFactory(zone=za, name="甲园匹配批次", created_by=admin)
    rb = f.MatchRoundFactory(zone=zb, name="乙园匹配批次", created_by=p["city_admin"])
    f.RoundCandidateFactory(round=ra, need=na, talent=ta1)
    f.RoundCandidateFactory(round=ra, need=na, talent=ta2)
    f.RoundPinFactory(round=ra, need=na, talent=ta1, by=admin)
    f.PairingFactory(round=ra, need=na, talent=ta1, status="published")
    f.PairingFactory(round=ra, need=na, talent=ta2, status="proposed")  # not yet shown to the parties
    f.PairingFactory(round=rb, need=nb, talent=tb1, status="published")
    f.ConflictFactory(talent=ta2, enterprise=ea, created_by=admin)
    f.ConflictFactory(talent=tb2, enterprise=eb, created_by=p["city_admin"])
    fund_open(year=2025, level="district", zone=za, budget=Decimal("10000000"), by=admin, name="甲园人才资金")
    fund_open(year=2025, level="district", zone=zb, budget=Decimal("8000000"), by=p["city_admin"],
              name="乙园人才资金")
    f.PaymentBatchFactory(zone=za, title="甲园支付批次", by=p["finance"])
    f.PaymentBatchFactory(zone=zb, title="乙园支付批次", by=p["city_admin"])
    f.ImportJobFactory(zone=za, created_by=admin, filename="甲园人才导入.xlsx")
    f.ImportJobFactory(zone=zb, created_by=p["city_admin"], filename="乙园人才导入.xlsx")
    return GWorld(personas=p)


@pytest.fixture(scope="module")
def gworld(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)


PERSONAS = ["office_admin", "city_admin", "reviewer", "finance", "enterprise", "enterprise_b", "talent", "liaison",
            "bureau", "expert", "partner", "evaluator"]


# --- the expected set, from the declarations, in Python -----------------------------------------------------


def path_values(obj: models.Model, path: str) -> list[Any]:
    """The objects at the end of `path` from `obj`, following to-many relations row by row."""
    if path == SELF:
        return [obj]
    current: list[Any] = [obj]
    for part in path.split("__"):
        found: list[Any] = []
        for item in current:
            field = resolve_field(type(item), part)
            if field.many_to_many or field.one_to_many:
                accessor = field.get_accessor_name() if field.auto_created and not field.concrete else part
                found.extend(getattr(item, accessor).all())
            else:
                try:
                    value = getattr(item, part)
                except ObjectDoesNotExist:
                    value = None
                if value is not None:
                    found.append(value)
        current = found
    return current


def _parties_see(model: type[models.Model], scope: Scope, row: models.Model) -> bool:
    return scope.parties_see is None or model._base_manager.filter(pk=row.pk).filter(scope.parties_see).exists()


def may_see(user: User, model: type[models.Model], row: models.Model) -> bool:
    scope = scope_of(model)
    if user.role in scope.shared_with:
        return True
    staff = user.role in STAFF
    city_id = user.city_id or (user.zone.city_id if user.zone_id else None)
    if staff:
        zones = path_values(row, scope.zone) if scope.zone else []
        if scope.zone and any((z.pk == user.zone_id) if user.zone_id else (z.city_id == city_id) for z in zones):
            return True
        if scope.city and not zones and any(c.pk == city_id for c in path_values(row, scope.city)):
            return True
    else:
        party = False
        if user.role == Role.ENTERPRISE and scope.enterprise:
            party = any(e.members.filter(pk=user.pk).exists() for e in path_values(row, scope.enterprise))
        elif user.role == Role.LIAISON and scope.institution:
            party = any(i.liaisons.filter(pk=user.pk).exists() for i in path_values(row, scope.institution))
        elif user.role == Role.BUREAU and scope.bureau:
            party = any(b.pk == user.bureau_id for b in path_values(row, scope.bureau))
        if party and _parties_see(model, scope, row):
            return True
    if scope.person and any(u.pk == user.pk for u in path_values(row, scope.person)):
        return staff or _parties_see(model, scope, row)
    return False


def expected_pks(user: User, model: type[models.Model]) -> set[Any]:
    return {row.pk for row in model._base_manager.all() if may_see(user, model, row)}


def _rencai_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("rencai.")]


# --- (a) ---------------------------------------------------------------------------------------------------


def test_every_model_declares_a_scope_or_is_allow_listed():
    missing = [m._meta.label for m in _rencai_models()
               if not isinstance(getattr(m, "scope", None), Scope) and m._meta.label not in UNSCOPED]
    assert not missing, ("models holding zone, enterprise, institution or personal data must declare "
                         "`scope = Scope(...)` (or be added to UNSCOPED with the reason): " + ", ".join(missing))


def test_the_allow_list_names_only_existing_unscoped_models():
    labels = {m._meta.label: m for m in _rencai_models()}
    stale = [label for label in UNSCOPED if label not in labels or hasattr(labels[label], "scope")]
    assert not stale, f"UNSCOPED lists models that are gone or now scoped: {stale}"


def test_every_declared_path_leads_to_the_right_kind_of_row():
    from rencai.core.models import Bureau, City, Zone
    from rencai.orgs.models import Enterprise, Institution

    targets = {"zone": Zone, "city": City, "enterprise": Enterprise, "institution": Institution, "person": User,
               "bureau": Bureau}
    from rencai.core.scoping import walk_path

    wrong = []
    for model in scoped_models():
        for kind, path in scope_of(model).paths().items():
            arrives = model if path == SELF else walk_path(model, path)[0]
            if arrives is not targets[kind]:
                wrong.append(f"{model._meta.label}.scope.{kind}={path!r} leads to {arrives.__name__}")
    assert not wrong, "\n".join(wrong)


# --- (b) ---------------------------------------------------------------------------------------------------


def test_the_world_gives_each_persona_something_to_see_and_something_to_miss(gworld, db):
    for name in ("office_admin", "city_admin", "reviewer", "finance", "enterprise", "talent", "liaison"):
        user = gworld.personas[name]
        seen = sum(len(expected_pks(user, m)) for m in scoped_models())
        total = sum(m._base_manager.count() for m in scoped_models())
        assert 0 < seen < total, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_to_matches_the_declared_paths(gworld, db, persona):
    user = gworld.personas[persona]
    wrong = []
    for model in scoped_models():
        got = set(model._default_manager.visible_to(user).values_list("pk", flat=True))
        listed = list(model._default_manager.visible_to(user).values_list("pk", flat=True))
        want = expected_pks(user, model)
        if got != want or len(listed) != len(got):
            wrong.append(f"{model._meta.label}: visible_to gives {sorted(listed)}, the declaration {sorted(want)}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_unauthenticated_users_see_nothing(gworld, db):
    from django.contrib.auth.models import AnonymousUser

    for model in scoped_models():
        assert not model._default_manager.visible_to(AnonymousUser()).exists(), model._meta.label
        assert not model._default_manager.visible_to(None).exists(), model._meta.label


# --- (c) ---------------------------------------------------------------------------------------------------


def _api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def _api_viewsets() -> list[tuple[str, Any]]:
    from rencai.config.urls import router

    return [(prefix, viewset) for prefix, viewset, _ in router.registry]


def _viewset_model(viewset: Any) -> type[models.Model]:
    queryset = getattr(viewset, "queryset", None)
    return queryset.model if queryset is not None else viewset.serializer_class.Meta.model


def _all_pages(client: Client, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        items += body["results"] if isinstance(body, dict) else body
        url = body.get("next") if isinstance(body, dict) else None
    return items


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_list_returns_exactly_the_scoped_set(gworld, db, persona):
    user = gworld.personas[persona]
    client = _api_client(user)
    wrong = []
    for prefix, viewset in _api_viewsets():
        url = f"/api/v1/{prefix}/"
        if user.role not in getattr(viewset, "allowed_roles", frozenset()):
            if client.get(url).status_code != 403:
                wrong.append(f"{url}: not declared for {user.role}, but not refused")
            continue
        model = _viewset_model(viewset)
        if not isinstance(getattr(model, "scope", None), Scope):
            continue  # reference data (UNSCOPED): not a scoping question
        got = [item["id"] for item in _all_pages(client, url)]
        want = expected_pks(user, model)
        if sorted(got) != sorted(want):
            wrong.append(f"{url}: API gives {sorted(got)}, the declaration of {model._meta.label} {sorted(want)}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


# --- (d) ---------------------------------------------------------------------------------------------------


def _app_of(route: Route) -> str:
    return route.callback.__module__.split(".")[1]


def route_model(route: Route) -> type[models.Model] | None:
    """The scoped model a page route's <pk> names: from the URL segment before it, within the view's app."""
    if route.is_api or route.params != {"pk"}:
        return None
    parts = route.text.split("/")
    index = next(i for i, part in enumerate(parts) if "<" in part and "pk>" in part)
    segment = parts[index - 1] if index else ""
    app = _app_of(route)
    label = SEGMENT_MODELS.get((app, segment))
    if label:
        return apps.get_model(label)
    singular = segment[:-3] + "y" if segment.endswith("ies") else segment.removesuffix("s")
    candidates = [m for m in scoped_models() if m._meta.model_name == singular]
    local = [m for m in candidates if m._meta.app_label == app]
    found = (local or candidates or [None])[0]
    return found


def _detail_url(route: Route, pk: Any) -> str:
    return "/" + re.sub(r"<(?:int:)?pk>", str(pk), route.text)


PAGE_ROUTES = [r for r in walk_routes() if not r.is_api]
DETAIL_ROUTES = [(r, m) for r in PAGE_ROUTES if (m := route_model(r)) is not None]


def test_the_detail_routes_cover_the_main_registers():
    covered = {m._meta.label for _, m in DETAIL_ROUTES}
    assert {"talents.Talent", "orgs.Enterprise", "needs.Need", "postdoc.Station", "postdoc.Postdoc",
            "engagements.Agreement", "policies.Entitlement", "matching.MatchRound", "funds.Fund"} <= covered


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_routes_answer_404_outside_the_scope(gworld, db, persona):
    user = gworld.personas[persona]
    page, api = verified_client(user), _api_client(user)
    wrong = []
    for route, model in DETAIL_ROUTES:
        if user.role not in (route.roles or ()):
            continue
        hidden = sorted(set(model._base_manager.values_list("pk", flat=True)) - expected_pks(user, model))[:3]
        for pk in hidden:
            url = _detail_url(route, pk)
            status = page.get(url).status_code
            if status not in (404, 405):  # 405: a POST-only route, refused before any fetch
                wrong.append(f"GET {url} ({model._meta.label} out of scope) answered {status}")
    for prefix, viewset in _api_viewsets():
        if user.role not in getattr(viewset, "allowed_roles", frozenset()):
            continue
        model = _viewset_model(viewset)
        if not isinstance(getattr(model, "scope", None), Scope):
            continue
        for pk in sorted(set(model._base_manager.values_list("pk", flat=True)) - expected_pks(user, model))[:3]:
            status = api.get(f"/api/v1/{prefix}/{pk}/").status_code
            if status != 404:
                wrong.append(f"GET /api/v1/{prefix}/{pk}/ answered {status}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


# --- (e) ---------------------------------------------------------------------------------------------------


def _label_field(model: type[models.Model]) -> str | None:
    for name in ("name", "title"):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001, S112 - the model has no such field
            continue
        if isinstance(field, models.CharField):
            return name
    return None


def _allowed_rows(user: User) -> set[tuple[str, Any]]:
    """Rows the user may see, and the parents they name (a visible postdoc names its station and talent)."""
    allowed: set[tuple[str, Any]] = set()
    todo = [(m, row) for m in scoped_models() for row in m._default_manager.visible_to(user)]
    while todo:
        model, row = todo.pop()
        key = (model._meta.label, row.pk)
        if key in allowed:
            continue
        allowed.add(key)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.many_to_one or field.one_to_one:
                parent = getattr(row, field.name, None)
                if parent is not None and isinstance(getattr(type(parent), "scope", None), Scope):
                    todo.append((type(parent), parent))
    return allowed


def _forbidden_labels(user: User) -> dict[str, str]:
    allowed = _allowed_rows(user)
    forbidden = {}
    for model in scoped_models():
        field = _label_field(model)
        if field is None:
            continue
        for row in model._base_manager.all():
            label = getattr(row, field)
            if (model._meta.label, row.pk) not in allowed and label and len(label) >= 4:
                forbidden[label] = f"{model._meta.label}#{row.pk}"
    return forbidden


def _text(response: Any) -> str:
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                        else response.content), read_only=True)
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    if kind.startswith(("text/", "application/json")):
        return response.content.decode()
    return ""


def _pages_for(user: User) -> list[str]:
    urls = [("/" + r.text) for r in PAGE_ROUTES
            if not r.params and user.role in (r.roles or ()) and not any(w in r.text for w in UNSCANNED)]
    for route, model in DETAIL_ROUTES:
        if user.role in (route.roles or ()) and not any(w in route.text for w in UNSCANNED):
            urls += [_detail_url(route, pk) for pk in sorted(expected_pks(user, model))]
    return urls


def test_the_world_names_are_distinct(gworld, db):
    labels = [getattr(row, field) for m in scoped_models() if (field := _label_field(m))
              for row in m._base_manager.all() if len(getattr(row, field) or "") >= 4]
    clashes = [(a, b) for a in labels for b in labels if a != b and a in b]
    assert not clashes, f"a name inside another makes the leak scan ambiguous: {clashes}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_never_name_a_row_the_persona_may_not_see(gworld, db, persona):
    user = gworld.personas[persona]
    client = verified_client(user)
    forbidden = _forbidden_labels(user)
    leaks = []
    for url in _pages_for(user):
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = _text(response)
        leaks += [f"{url} shows {label!r} ({row})" for label, row in forbidden.items() if label in text]
    assert not leaks, f"{persona}:\n" + "\n".join(leaks)
