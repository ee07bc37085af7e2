"""Buttons another area offers on a record's page (a 揭榜 list from a need, a service request from a visit), so the
page's own app need not know the area that offers them: areas register from `AppConfig.ready`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordAction:
    label: str | Promise
    url: str
    note: str | Promise = ""
    method: str = "post"  # "post": a button in a form with the CSRF token; "get": a link


Offer = Callable[[HttpRequest, Model], RecordAction | None]
_OFFERS: dict[str, list[Offer]] = {}


def register_record_action(model_label: str, offer: Offer) -> None:
    """`offer(request, obj)` returns the button for this user and record, or None when it does not apply."""
    offers = _OFFERS.setdefault(model_label.lower(), [])
    if offer not in offers:
        offers.append(offer)


def record_actions(request: HttpRequest, obj: Model) -> list[RecordAction]:
    offers = _OFFERS.get(obj._meta.label_lower, [])
    return [action for action in (offer(request, obj) for offer in offers) if action is not None]
