"""Bad query parameters get a 400 or a clear message on every list page, never a server error.

Found by an outside test: `?q=%00` gave HTTP 500 on ten list and export pages (PostgreSQL refuses NUL in a
string) and `/matching/thesaurus/?edit=abc` gave 500. The routes come from the access matrix's walk (each GET
route without path parameters), the parameter names from the ListSpec filters of the view's module and the
names its source reads from request.GET, plus q, sort, page and edit; so a new list page is fuzzed too.
"""

from __future__ import annotations

import inspect
import re
import sys
from urllib.parse import urlencode

import pytest
from django.test import Client

from rencai.core.listing import ListSpec
from tests.conftest import World
from tests.test_access_matrix import CHECKED, Route, api_clients, page_clients

COMMON = ("q", "sort", "page", "edit")
VALUES = (
    "\x00",                       # NUL: PostgreSQL refuses it in any string
    "abc",                        # not digits where digits are expected
    "-1",
    "9" * 40,                     # beyond any integer column
    "x" * 5000,                   # very long
    "中文１２😀\u202e",            # unicode: CJK, full-width digits, emoji, a direction override
    "' OR 1=1 --%_\\",
    "2026-13-45",                 # a date that is none
)
GET_NAME = re.compile(r"""request\.(?:GET|query_params)(?:\.get(?:list)?\(|\[)\s*["']([\w-]+)["']""")


def _view_module(route: Route):  # type: ignore[no-untyped-def]
    callback = getattr(route.callback, "view_class", None) or getattr(route.callback, "cls", None) or route.callback
    return sys.modules.get(getattr(callback, "__module__", ""))


def parameter_names(route: Route) -> list[str]:
    """q, sort, page, edit, every ListSpec filter of the view's module and every GET name its source reads."""
    names = list(COMMON)
    module = _view_module(route)
    if module is not None:
        for value in vars(module).values():
            if isinstance(value, ListSpec):
                names += [f.param for f in value.filters]
        try:
            names += GET_NAME.findall(inspect.getsource(module))
        except (OSError, TypeError):
            pass
    return list(dict.fromkeys(names))


def _client_for(route: Route, world: World) -> Client | None:
    clients = api_clients(world) if route.is_api else page_clients(world)
    roles = route.roles or frozenset()
    for user, client in clients.values():
        if user is not None and (user.role in roles or "public" in roles):
            return client
    return None


def _get(client: Client, url: str, params: dict[str, str]) -> str | None:
    """None when the answer is not a server error, else what went wrong."""
    target = f"{url}?{urlencode(params)}"
    try:
        response = client.get(target)
    except Exception as exc:  # noqa: BLE001 - the test client re-raises the view's exception
        return f"GET {target[:160]}: {type(exc).__name__}: {str(exc)[:160]}"
    if response.status_code >= 500:
        return f"GET {target[:160]}: HTTP {response.status_code}"
    return None


FUZZED = [r for r in CHECKED if not r.params]


def test_the_fuzz_covers_list_pages_and_their_filters():
    texts = {r.text for r in FUZZED}
    assert {"talents/", "talents/export/", "matching/thesaurus/"} <= texts
    talent_list = next(r for r in FUZZED if r.text == "talents/")
    assert {"q", "sort", "page"} <= set(parameter_names(talent_list))
    assert len(parameter_names(talent_list)) > len(COMMON)


@pytest.mark.parametrize("route", FUZZED, ids=["/" + r.text for r in FUZZED])
def test_bad_query_parameters_never_give_a_server_error(world, route):
    client = _client_for(route, world)
    if client is None:
        pytest.skip("no persona may open this route")
    url = "/" + route.text.replace("^", "").replace("$", "")
    names = parameter_names(route)
    problems = []
    for value in VALUES:  # every parameter at once with one bad value
        problems.append(_get(client, url, dict.fromkeys(names, value)))
    for name in names:  # then each alone, so one parameter refused first cannot hide another
        for value in ("abc", "\x00"):
            problems.append(_get(client, url, {name: value}))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(dict.fromkeys(problems))
