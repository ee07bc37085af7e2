"""City-wide reference data is written only by city-level staff (issue 12 item 8): a zone's admin who tries each
write is refused with a 403 that says why (in Chinese) and leaves an allowed=false audit row; the city's admin
succeeds. The check is one declaration (`rencai.core.access.city_wide`), read by the middleware and the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from rencai.core.models import AuditEvent, User
from rencai.matching.models import LearnedWeights, ThesaurusTerm
from rencai.orgs.models import Institution
from rencai.policies.models import Policy, PolicyVersion
from rencai.postdoc.models import PostdocSettings
from tests.conftest import verified_client

REFUSAL = "只有市级工作人员可以修改"
VERSION = {"clauses": "第二条 博士", "effective_from": "2026-01-01", "amount": "20000", "notice_days": 5,
           "conditions": '[{"label": "博士学位", "expr": "talent.degree == \\"博士\\"", "clause": "第二条"}]',
           "schedule": '[{"after_months": 0, "share": "1"}]', "level_shares": '{"district": "1"}',
           "required_documents": "[]"}


def _refused(response, user: User) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.status_code
    assert REFUSAL in response.content.decode()
    reasons = AuditEvent.objects.filter(user=user, allowed=False).values_list("detail", flat=True)
    assert any(REFUSAL in (detail or {}).get("reason", "") for detail in reasons)


def test_thesaurus(world):
    data = {"concept": "稀土永磁", "synonyms": "钕铁硼\n永磁材料", "broader": "", "note": ""}
    _refused(verified_client(world.admin).post("/matching/thesaurus/", data), world.admin)
    assert not ThesaurusTerm.objects.filter(concept="稀土永磁").exists()
    assert verified_client(world.city_admin).post("/matching/thesaurus/", data).status_code == 302
    term = ThesaurusTerm.objects.get(concept="稀土永磁")
    _refused(verified_client(world.admin).post(f"/matching/thesaurus/{term.pk}/delete/"), world.admin)
    assert ThesaurusTerm.objects.filter(pk=term.pk).exists()
    assert verified_client(world.admin).get("/matching/thesaurus/").status_code == 200  # reading stays open


def test_learned_weights(world):
    before = LearnedWeights.objects.count()
    _refused(verified_client(world.admin).post("/matching/learning/"), world.admin)
    assert LearnedWeights.objects.count() == before
    assert verified_client(world.city_admin).post("/matching/learning/").status_code == 302
    assert LearnedWeights.objects.count() == before + 1


def test_postdoc_settings(world):
    data = {"proposal_months": 4, "midterm_months": 12, "exit_months": 24, "reminder_days_text": "30,7"}
    _refused(verified_client(world.admin).post("/postdoc/settings/", data), world.admin)
    assert PostdocSettings.current().proposal_months == 3
    assert verified_client(world.city_admin).post("/postdoc/settings/", data).status_code == 302
    assert PostdocSettings.current().proposal_months == 4


def test_institutions_by_page(world):
    data = {"name": "内蒙古科技大学稀土学院", "kind": Institution.Kind.UNIVERSITY, "province": "内蒙古", "city": "包头",
            "credit_code": "", "address": ""}
    _refused(verified_client(world.admin).post("/orgs/institutions/new/", data), world.admin)
    assert not Institution.objects.filter(name=data["name"]).exists()
    assert verified_client(world.city_admin).post("/orgs/institutions/new/", data).status_code == 302
    made = Institution.objects.get(name=data["name"])
    _refused(verified_client(world.admin).post(f"/orgs/institutions/{made.pk}/edit/", data | {"city": "呼和浩特"}),
             world.admin)
    made.refresh_from_db()
    assert made.city == "包头"


def _api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def test_institutions_by_api(world):
    body = json.dumps({"name": "包头稀土研究院", "kind": Institution.Kind.INSTITUTE, "province": "内蒙古"})
    response = _api(world.admin).post("/api/v1/institutions/", body, content_type="application/json")
    _refused(response, world.admin)
    assert not Institution.objects.filter(name="包头稀土研究院").exists()
    assert _api(world.admin).get("/api/v1/institutions/").status_code == 200
    response = _api(world.city_admin).post("/api/v1/institutions/", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()


def test_policies(world):
    new = {"code": "phd_bonus", "title": "博士一次性奖励", "doc_number": "", "beneficiary_kind": "talent"}
    _refused(verified_client(world.admin).post("/policies/new/", new), world.admin)
    assert not Policy.objects.filter(code="phd_bonus").exists()
    _refused(verified_client(world.admin).post("/policies/housing_subsidy/new-version/", VERSION), world.admin)
    assert PolicyVersion.objects.filter(policy__code="housing_subsidy").count() == 1
    city = verified_client(world.city_admin)
    assert city.post("/policies/new/", new).status_code == 302
    assert city.post("/policies/housing_subsidy/new-version/", VERSION).status_code == 302
    assert PolicyVersion.objects.filter(policy__code="housing_subsidy").count() == 2


@pytest.mark.parametrize("url", ["/talents/tiers/new/", "/talents/tiers/reclassify/"])
def test_tier_rules(world, url):
    response = verified_client(world.admin).post(url, {"name": "x", "tier": "D", "priority": 1})
    assert response.status_code == 403 and REFUSAL in response.content.decode()
