"""The candidate's QR form: no log-in, on a phone, throttled; nothing is stored without consent (PIPL)."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rencai.core.access import PUBLIC, allow
from rencai.core.audit import client_ip
from rencai.recruitment import services
from rencai.recruitment.forms import CONSENT_TEXT, IntentionForm
from rencai.recruitment.models import Event, Post, Source

LIMIT = 20  # submissions per address per event in WINDOW seconds
WINDOW = 600


def _client_address(request: HttpRequest) -> str:
    # core has no request rate limiter (log-in throttling is django-axes plus an audit-log count), so this
    # small cache counter stays; the address is read the way the audit log reads it.
    return client_ip(request) or "unknown"


def _throttled(request: HttpRequest, event: Event) -> bool:
    key = f"recruit-join:{event.public_token}:{_client_address(request)}"
    count = cache.get(key, 0)
    if count >= LIMIT:
        return True
    cache.set(key, count + 1, WINDOW)
    return False


@allow(PUBLIC)
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        event = Event.objects.select_related("campaign").get(public_token=token)
    except (Event.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("登记码无效或已过期")) from None
    posts = Post.objects.filter(campaign=event.campaign).select_related("enterprise")
    form = IntentionForm(request.POST or None, posts=posts)
    context = {"event": event, "form": form, "consent_text": CONSENT_TEXT}
    if request.method == "POST":
        if _throttled(request, event):
            return render(request, "recruitment/join.html", context | {"throttled": True}, status=429)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                intention = services.intention_capture(event=event, source=Source.QR, by=None, request=request, **data)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                for field, messages in errors.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return render(request, "recruitment/join_done.html", {"event": event, "intention": intention})
    return render(request, "recruitment/join.html", context)
