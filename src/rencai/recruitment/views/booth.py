"""An event's booth on a phone (look a candidate up, record one on the spot) and its printable QR poster."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rencai.core.access import AuthedRequest, allow
from rencai.core.listing import clean_text
from rencai.core.masking import mask_phone
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404
from rencai.recruitment import selectors, services
from rencai.recruitment.forms import CONSENT_TEXT, IntentionForm
from rencai.recruitment.models import Event, Source

BOOTH_ROLES = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.ENTERPRISE)


def _event(request: AuthedRequest, pk: int) -> Event:
    """The event if the user may see it: office staff of its zone, or a person named as its booth staff."""
    return get_visible_or_404(request.user, Event.objects.select_related("campaign"), pk=pk)


def join_url(request: HttpRequest, event: Event) -> str:
    """The public form's address as printed: RENCAI_SITE_URL when set (behind a proxy), else this request's host."""
    path = reverse("recruitment:join", args=[event.public_token])
    base = getattr(settings, "RENCAI_SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def qr_png(text: str) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=12, border=4)
    code.add_data(text)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


@allow(*BOOTH_ROLES)
def booth_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "recruitment/booth_list.html", {"events": selectors.booths_for(request.user)[:100]})


@allow(*BOOTH_ROLES)
def booth(request: AuthedRequest, pk: int) -> HttpResponse:
    """The booth page: find a candidate who registered at this event, or record one the staff meet."""
    event = _event(request, pk)
    q = clean_text(request.GET.get("q", ""), 50)
    posts = selectors.booth_posts(request.user, event)
    form = IntentionForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            intention = services.intention_capture(event=event, source=Source.STAFF, by=request.user,
                                                   request=request, **form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for field, problems in errors.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("已登记：%(name)s → %(post)s") % {"name": intention.candidate.name,
                                                                        "post": intention.post.title})
            query = urlencode({"q": intention.candidate.name})
            return redirect(f"{reverse('recruitment:booth', args=[event.pk])}?{query}")
    rows = selectors.booth_lookup(request.user, event, q)
    found = [(i, mask_phone(i.candidate.phone) if i.candidate.phone else "") for i in rows[:30]]
    context = {"event": event, "q": q, "found": found, "total": rows.count(), "form": form,
               "consent_text": CONSENT_TEXT, "has_posts": posts.exists()}
    return render(request, "recruitment/booth.html", context)


@allow(*BOOTH_ROLES)
def event_qr(request: AuthedRequest, pk: int) -> HttpResponse:
    """The PNG of the event's public form, for posters and table cards."""
    event = _event(request, pk)
    response = HttpResponse(qr_png(join_url(request, event)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="event-{event.pk}-qr.png"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@allow(*BOOTH_ROLES)
def event_poster(request: AuthedRequest, pk: int) -> HttpResponse:
    """A page to print (A4) for the booth: the QR code, what it is for, and the address to type."""
    event = _event(request, pk)
    return render(request, "recruitment/poster.html", {"event": event, "url": join_url(request, event)})
