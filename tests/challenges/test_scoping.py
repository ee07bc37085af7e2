"""The generated scoping checks (tests/test_scoping_generated.py) run on a world with 揭榜挂帅 rows at every step:
visible_to equals the declared paths walked in Python, the API lists equal it, and the detail pages of rows out
of scope answer 404 — for every persona, the panel's experts and the issuer included."""

from __future__ import annotations

import pytest

from rencai.challenges.models import Challenge
from rencai.core.scoping import scoped_models
from tests.challenges.conftest import award, bid, make_challenge, reviewed
from tests.conftest import verified_client
from tests.test_access_matrix import walk_routes
from tests.test_scoping_generated import _all_pages, _api_client, _detail_url, expected_pks, route_model

MODELS = [m for m in scoped_models() if m._meta.app_label == "challenges"]


@pytest.fixture
def full(world, fund):  # noqa: ANN001, ANN201
    r = reviewed(world)
    (a,) = award(world, r, fund)
    open_one = make_challenge(world, title="公开揭榜中的榜单")
    bid(open_one, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    make_challenge(world, title="草稿榜单", publish=False)
    people = dict(world.personas())
    people["enterprise_b"] = world.enterprise_b_user
    people["city_admin"] = world.city_admin
    for n, m in enumerate(r.challenge.panel.all()):
        people[f"panel_{n}"] = m.user
    return people


def test_every_challenges_model_is_scoped():
    names = {m.__name__ for m in MODELS}
    assert {"Challenge", "CoFunder", "Bid", "BidVersion", "TeamMember", "PanelDraw", "PanelMember", "Assignment",
            "Score", "Objection", "Award", "Milestone", "StageGate", "DeclaredConflict"} <= names


def test_visible_to_matches_the_declared_paths_for_every_persona(full):
    wrong = []
    for name, user in full.items():
        for model in MODELS:
            got = set(model._default_manager.visible_to(user).values_list("pk", flat=True))
            want = expected_pks(user, model)
            if got != want:
                wrong.append(f"{name} {model.__name__}: {sorted(got)} != {sorted(want)}")
    assert not wrong, "\n".join(wrong)


def test_the_world_gives_the_parties_something_to_see_and_something_to_miss(full):
    from rencai.challenges.models import Assignment, Bid, Score

    assert Bid.objects.visible_to(full["talent"]).count() == 2  # reviewed + the open one
    assert Bid.objects.visible_to(full["enterprise"]).count() == 2  # after close only, not the open 榜单's
    assert Score.objects.visible_to(full["enterprise"]).count() == Score.objects.count()  # past 公示
    assert not Score.objects.visible_to(full["enterprise_b"]).exists()  # a bidder sees no scores
    assert 0 < Assignment.objects.visible_to(full["panel_0"]).count() < Assignment.objects.count()
    assert not Challenge.objects.visible_to(full["expert"]).exists()


def test_api_lists_return_exactly_the_scoped_set(full):
    from rencai.config.urls import router

    wrong = []
    for prefix, viewset, _ in router.registry:
        if not prefix.startswith("challenge"):
            continue
        model = viewset.queryset.model
        for name, user in full.items():
            client = _api_client(user)
            if user.role not in viewset.allowed_roles:
                assert client.get(f"/api/v1/{prefix}/").status_code == 403
                continue
            got = sorted(item["id"] for item in _all_pages(client, f"/api/v1/{prefix}/"))
            if got != sorted(expected_pks(user, model)):
                wrong.append(f"{name} /api/v1/{prefix}/: {got}")
    assert not wrong, "\n".join(wrong)


def test_detail_pages_answer_404_outside_the_scope(full):
    routes = [(r, m) for r in walk_routes() if not r.is_api and r.text.startswith("challenges/")
              and (m := route_model(r)) is not None and m._meta.app_label == "challenges"]
    assert {m.__name__ for _, m in routes} >= {"Challenge", "Bid", "Award", "Assignment"}
    wrong = []
    for name, user in full.items():
        client = verified_client(user)
        for route, model in routes:
            if user.role not in (route.roles or ()):
                continue
            hidden = sorted(set(model._base_manager.values_list("pk", flat=True)) - expected_pks(user, model))[:2]
            for pk in hidden:
                status = client.get(_detail_url(route, pk)).status_code
                if status not in (404, 405):
                    wrong.append(f"{name} GET {_detail_url(route, pk)} answered {status}")
    assert not wrong, "\n".join(wrong)
