"""Every route × every role: nothing is reachable unless its view declares who may use it.

The routes come from walking the URL resolver, not from a list, so a page or API endpoint added by a
later app is checked by these tests without anyone remembering to add it here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.resolvers import RoutePattern
from rest_framework.authtoken.models import Token

from rencai.core.access import PUBLIC, allow, declared_roles, is_api_view
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.core.scoping import is_city_level
from tests.conftest import World, verified_client

ANONYMOUS = "anonymous"
# Values for string parameters that lead somewhere real; anything else gets a generic word.
STR_VALUES = {"kind": "talents", "model": "talents.talent", "field": "id_number", "part": "contact"}
GENERIC = {"str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}
SKIPPED_PARAMS = {"format"}  # DRF format-suffix twins of routes that are checked without the suffix
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    parts: tuple[Any, ...]  # the chain of patterns from the root resolver to this leaf
    callback: Callable[..., Any]

    @property
    def text(self) -> str:
        return "".join(str(p) for p in self.parts)

    @property
    def params(self) -> set[str]:
        names: set[str] = set()
        for part in self.parts:
            names |= set(part.converters) if isinstance(part, RoutePattern) else set(part.regex.groupindex)
        return names

    @property
    def roles(self) -> frozenset[str] | None:
        return declared_roles(self.callback)

    @property
    def is_api(self) -> bool:
        return is_api_view(self.callback)


def walk_routes(resolver: URLResolver | None = None) -> list[Route]:
    return list(_walk((resolver or get_resolver()).url_patterns, ()))


def _walk(patterns: list[Any], chain: tuple[Any, ...]) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, chain + (entry.pattern,))
        elif isinstance(entry, URLPattern):
            yield Route(chain + (entry.pattern,), entry.callback)


def undeclared(routes: list[Route]) -> list[str]:
    return [r.text for r in routes if r.roles is None]


# --- building a concrete URL for a route ------------------------------------------------------------------


def _model_for(segment: str) -> type[models.Model] | None:
    if "." in segment:
        try:
            return apps.get_model(segment)
        except (LookupError, ValueError):
            return None
    singular = segment[:-3] + "y" if segment.endswith("ies") else segment.removesuffix("s")
    names = {m._meta.model_name: m for m in apps.get_models()}
    if singular in names:
        return names[singular]
    loose = [m for n, m in names.items() if singular and (n.startswith(singular) or n.endswith(singular))]
    return loose[0] if loose else None


def _object_pk(segment: str, world: World) -> str:
    """The pk of the world's object the URL segment names (first of its kind in the world), else 1."""
    model = _model_for(segment)
    if model is None:
        return "1"
    for value in vars(world).values():
        if isinstance(value, model):
            return str(value.pk)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "1"


def _value(name: str, converter: str, built: str, world: World) -> str:
    if converter == "int" or name == "pk" or name.endswith("_id"):
        segment = next((s for s in reversed(built.split("/")) if s), "")
        return _object_pk(segment, world)
    return STR_VALUES.get(name, GENERIC.get(converter, "x"))


def _fill_route(text: str, built: str, world: World) -> str:
    out = ""
    for literal, converter, name in re.findall(r"([^<]*)(?:<(?:(\w+):)?(\w+)>)?", text):
        out += literal
        if name:
            out += _value(name, converter or "str", built + out, world)
    return out


def _fill_regex(text: str, built: str, world: World) -> str:
    text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, i = "", 0
    while i < len(text):
        match = re.match(r"\(\?P<(\w+)>", text[i:])
        if match:
            depth, j = 1, i + match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            out += _value(match[1], "str", built + out, world)
            i = j
        elif text[i] == "\\":
            out += text[i + 1]
            i += 2
        else:
            out += text[i]
            i += 1
    if re.search(r"[\[\](){}*+?|]", out):
        raise AssertionError(f"cannot build a URL for {text!r}: teach tests/test_access_matrix.py its syntax")
    return out


def build_url(route: Route, world: World) -> str:
    built = "/"
    for part in route.parts:
        fill = _fill_route if isinstance(part, RoutePattern) else _fill_regex
        built += fill(str(part._route) if isinstance(part, RoutePattern) else part._regex, built, world)
    match = resolve(built)
    assert match.func is route.callback, f"{built} resolves to another view than {route.text}"
    return built


# --- personas ---------------------------------------------------------------------------------------------


def page_clients(world: World) -> dict[str, tuple[User | None, Client]]:
    clients: dict[str, tuple[User | None, Client]] = {ANONYMOUS: (None, Client())}
    for role, user in world.personas().items():
        clients[role] = (user, verified_client(user))
    return clients


def api_clients(world: World) -> dict[str, tuple[User | None, Client]]:
    clients: dict[str, tuple[User | None, Client]] = {ANONYMOUS: (None, Client())}
    for role, user in world.personas().items():
        key = Token.objects.get_or_create(user=user)[0].key
        clients[role] = (user, Client(HTTP_AUTHORIZATION=f"Token {key}"))
    return clients


def _may(user: User | None, roles: frozenset[str]) -> bool:
    return PUBLIC in roles or (user is not None and user.role in roles)


def _refused(response: HttpResponse, *, anonymous: bool, api: bool) -> bool:
    if response.status_code == 403:
        return True
    if anonymous and api:
        return response.status_code == 401
    return anonymous and response.status_code == 302 and response["Location"].startswith("/login/")


def _let_through(response: HttpResponse, route: Route) -> bool:
    """Not stopped by the access layer; the view may still answer 404, 405, 400 or redirect.

    Every persona has passed the second factor, so a redirect to it comes from the access layer unless
    the view is itself one of the second-factor pages (enrolment sends an enrolled user on to verification).
    """
    if response.status_code in (401, 403):
        return False
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    gates = ("/login/",) if getattr(route.callback, "allow_unverified", False) else ("/login/", "/otp/")
    return not location.startswith(gates)


def check_reads(route: Route, url: str, clients: dict[str, tuple[User | None, Client]]) -> list[str]:
    roles = route.roles or frozenset()
    problems = []
    for persona, (user, client) in clients.items():
        response = client.get(url)
        if _may(user, roles):
            if not _let_through(response, route):
                problems.append(f"GET {url} as {persona}: declared, but refused ({response.status_code})")
        elif response.status_code == 200 or not _refused(response, anonymous=user is None, api=route.is_api):
            problems.append(f"GET {url} as {persona}: undeclared role let through ({response.status_code})")
    return problems


def _write_methods(route: Route) -> list[str]:
    if route.is_api:
        actions = getattr(route.callback, "actions", None) or {}
        enabled = getattr(route.callback.cls, "http_method_names", WRITE_METHODS)
        return [m for m in WRITE_METHODS if m in actions and m in enabled]
    return ["post"]


def check_writes(route: Route, url: str, clients: dict[str, tuple[User | None, Client]]) -> list[str]:
    """Writes by roles that may not write are refused; API writers get past the access layer."""
    roles = route.roles or frozenset()
    writers = getattr(getattr(route.callback, "cls", None), "write_roles", None)
    # city-wide reference data (core.access.city_wide): only city-level staff write it (issue 12 item 8)
    city_wide = getattr(getattr(route.callback, "cls", None), "city_wide", None)
    problems = []
    for method in _write_methods(route):
        for persona, (user, client) in clients.items():
            may_write = _may(user, roles) and (writers is None or (user is not None and user.role in writers))
            may_write = may_write and (not city_wide or is_city_level(user))
            if may_write and not route.is_api:
                continue  # a page's own writes are its tests' business; here only refusals matter
            response = getattr(client, method)(url, data={}, content_type="application/json")
            if may_write and not _let_through(response, route):
                problems.append(f"{method.upper()} {url} as {persona}: writer refused ({response.status_code})")
            elif not may_write and not _refused(response, anonymous=user is None, api=route.is_api):
                problems.append(f"{method.upper()} {url} as {persona}: write let through ({response.status_code})")
    return problems


ROUTES = walk_routes()
CHECKED = [r for r in ROUTES if not (r.params & SKIPPED_PARAMS)]


def test_the_walk_finds_pages_and_api_routes():
    texts = [r.text for r in ROUTES]
    assert any(r.is_api for r in ROUTES) and any(not r.is_api for r in ROUTES)
    assert "login/" in texts and any("talents" in t and "(?P<pk>" in t for t in texts)


def test_every_route_declares_who_may_use_it():
    missing = undeclared(ROUTES)
    assert not missing, "routes without declared roles (use @allow(...) or allowed_roles): " + ", ".join(missing)


@pytest.mark.parametrize("route", CHECKED, ids=["/" + r.text for r in CHECKED])
def test_only_declared_roles_reach_the_route(world, route):
    url = build_url(route, world)
    clients = api_clients(world) if route.is_api else page_clients(world)
    problems = check_reads(route, url, clients) + check_writes(route, url, clients)
    assert not problems, "\n".join(problems)


def test_api_read_only_roles_cannot_write(world):
    """Finance reads the registers through the API but may not create in them."""
    _, client = api_clients(world)["finance"]
    response = client.post("/api/v1/talents/", data={"name": "新人", "zone": world.zone_a.pk},
                           content_type="application/json")
    assert response.status_code == 403
    assert not apps.get_model("talents.Talent").objects.filter(name="新人").exists()


def test_public_pages_open_to_everyone(world):
    public = {r.text for r in ROUTES if r.roles is not None and PUBLIC in r.roles}
    assert {"login/", "language/", "api/v1/schema/"} <= public
    assert Client().get("/login/").status_code == 200


# --- a route added without a declaration is caught by the walk and refused at run time ------------------


def _forgotten_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("机密内容")


@allow(Role.OFFICE_ADMIN)
def _admin_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("管理员内容")


# The real site plus one forgotten and one declared view, as a later app might add them.
urlpatterns = [
    path("forgotten/<int:pk>/", _forgotten_view),
    path("admin-only/", _admin_view),
    path("", include("rencai.config.urls")),
]


def test_walk_reports_a_view_that_forgot_to_declare_roles():
    missing = undeclared(walk_routes(get_resolver(__name__)))
    assert "forgotten/<int:pk>/" in missing
    assert "admin-only/" not in missing


@pytest.mark.urls(__name__)
def test_undeclared_view_is_refused_to_every_role(world):
    for persona, (_, client) in page_clients(world).items():
        response = client.get("/forgotten/1/")
        assert response.status_code == 403, persona
        assert "机密内容" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_matrix_check_flags_nothing_for_a_correctly_declared_view(world):
    route = next(r for r in walk_routes(get_resolver(__name__)) if r.text == "admin-only/")
    assert check_reads(route, "/admin-only/", page_clients(world)) == []
