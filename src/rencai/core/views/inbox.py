"""The one inbox page every role has: notices newest first, opening one marks it read, channels per kind."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.inbox import (
    CHANNELS,
    INBOX,
    kind_label,
    notice_open,
    notice_preferences_save,
    notices_mark_all_read,
    preferences_for,
    unread_count,
)
from rencai.core.notice_models import Notice
from rencai.core.roles import EVERYONE

PAGE_SIZE = 50


@allow(*EVERYONE)
def inbox(request: AuthedRequest) -> HttpResponse:
    notices = Notice.objects.visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind:
        notices = notices.filter(kind=kind)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.kind_label = kind_label(notice.kind)
    mine = Notice.objects.visible_to(request.user)
    kinds_present = [(k, kind_label(k)) for k in mine.order_by().values_list("kind", flat=True).distinct()]
    extra_channels = [(key, label) for key, label in CHANNELS.items() if key != INBOX]
    return render(request, "core/inbox.html", {
        "page": page,
        "kind": kind,
        "kinds_present": sorted(kinds_present, key=lambda pair: pair[1]),
        "unread": unread_count(request.user),
        "preferences": preferences_for(request.user),
        "extra_channels": extra_channels,
        "state_query": f"kind={kind}" if kind else "",
    })


@allow(*EVERYONE)
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open a notice: it becomes read and the reader goes on to the record it is about (or back to the inbox)."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    notice_open(notice=notice, by=request.user)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("core:inbox")


@allow(*EVERYONE)
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    changed = notices_mark_all_read(by=request.user, kinds=[kind] if kind else None)
    messages.success(request, f"已将 {changed} 条消息标为已读")
    return redirect(reverse("core:inbox") + (f"?{urlencode({'kind': kind})}" if kind else ""))


@allow(*EVERYONE)
@require_POST
def preferences(request: AuthedRequest) -> HttpResponse:
    # An unticked box is absent from the form: a kind missing here means "the inbox only".
    choices = {name.removeprefix("channels-"): request.POST.getlist(name) for name in request.POST
               if name.startswith("channels-")}
    changed = notice_preferences_save(by=request.user, choices=choices, request=request)
    messages.success(request, f"接收方式已保存（{changed} 类有变化）" if changed else "接收方式没有变化")
    return redirect("core:inbox")
