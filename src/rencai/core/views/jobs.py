"""The office admin's view of scheduled work: each job, its last run and findings, its next slot, run now."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.roles import Role
from rencai.core.schedule import get_job, job_overview, job_run_now, recent_runs


@allow(Role.OFFICE_ADMIN)
def job_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/jobs.html", {"rows": job_overview(), "recent": recent_runs()})


@allow(Role.OFFICE_ADMIN)
@require_POST
def job_run(request: AuthedRequest, name: str) -> HttpResponse:
    try:
        job = get_job(name)
    except LookupError:
        raise Http404 from None
    try:
        run = job_run_now(name=name, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if run.status == run.Status.DONE:
            messages.success(request, f"「{job.label}」已运行：{job.summary_text(run.summary) or '没有新发现'}")
        elif run.status == run.Status.FAILED:
            messages.error(request, f"「{job.label}」运行失败：{run.error.strip().splitlines()[0]}")
        else:
            messages.success(request, f"「{job.label}」已交给后台任务进程运行，稍后刷新本页查看结果")
    return redirect("core:job_list")
