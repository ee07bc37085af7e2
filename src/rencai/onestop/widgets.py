"""What 一站式服务 tells each user on the home page."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.core.models import User
from rencai.core.roles import REGISTER_READERS, Role
from rencai.onestop.models import RequestStatus, ServiceRequest, ServiceTask, TaskStatus


def services_widget(request: HttpRequest) -> dict[str, Any] | None:
    user = cast(User, request.user)
    today = timezone.localdate()
    if user.role == Role.BUREAU:
        tasks = ServiceTask.objects.visible_to(user).filter(status__in=[TaskStatus.OPEN, TaskStatus.WAITING])
        overdue = tasks.filter(status=TaskStatus.OPEN, due_on__lt=today).count()
        return {"title": "待办服务任务", "value": tasks.count(), "url": reverse("onestop:queue"),
                "note": f"已超期 {overdue} 件"}
    if user.role == Role.TALENT:
        mine = ServiceRequest.objects.visible_to(user).filter(
            status__in=[RequestStatus.IN_PROGRESS, RequestStatus.WAITING, RequestStatus.DONE]).count()
        return {"title": "我的服务", "value": mine, "url": reverse("onestop:mine"), "note": "办理中或待评价的申请"}
    if user.role in REGISTER_READERS:
        requests = ServiceRequest.objects.visible_to(user)
        live = requests.filter(status__in=[RequestStatus.IN_PROGRESS, RequestStatus.WAITING])
        return {"title": "一站式服务", "value": live.count(), "url": reverse("onestop:requests"),
                "note": f"办理中；超期 {live.filter(due_on__lt=today).count()} 件"}
    return None
