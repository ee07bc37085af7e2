"""Every route of the site with the roles it declares: the access page and the route-walking test read it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from rencai.core.access import declared_roles, is_api_view


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    callback: Callable[..., Any]
    roles: frozenset[str] | None
    api: bool
    write_roles: frozenset[str] | None


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name or ''}", p.callback


def all_routes() -> list[Route]:
    routes = []
    for pattern, name, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        write = getattr(view_class, "write_roles", None)
        routes.append(Route(pattern=pattern, name=name, callback=callback, roles=declared_roles(callback),
                            api=is_api_view(callback), write_roles=frozenset(write) if write is not None else None))
    return routes
