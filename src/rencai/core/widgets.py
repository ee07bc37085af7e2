"""Home-page figures: each app registers what it can tell a user, so core needs no domain imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rencai.core.access import AuthedRequest

# The home page is only for a signed-in user: a widget reads `request.user` as our User.
HomeWidget = Callable[[AuthedRequest], dict[str, Any] | None]
_WIDGETS: list[tuple[int, HomeWidget]] = []


def register_home_widget(widget: HomeWidget, *, order: int = 100) -> None:
    if widget not in [w for _, w in _WIDGETS]:
        _WIDGETS.append((order, widget))


def home_widgets(request: AuthedRequest) -> list[dict[str, Any]]:
    shown = (widget(request) for _, widget in sorted(_WIDGETS, key=lambda item: item[0]))
    return [w for w in shown if w]
