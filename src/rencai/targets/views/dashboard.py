"""The leaders' dashboard (驾驶舱), its JSON, its .xlsx and the monthly report (.docx, PDF, official-letter layout)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import attachment_header, xlsx_response
from rencai.core.officialdoc import OfficialLetter, docx_bytes, pdf_bytes
from rencai.core.roles import STAFF
from rencai.targets.areas import area_figures
from rencai.targets.report import monthly_letter
from rencai.targets.selectors import dashboard_picture, progress_rows, when


def _when(request: AuthedRequest) -> tuple[int, datetime.date]:
    return when(request.GET.get("year"))


@allow(*STAFF)
def dashboard(request: AuthedRequest) -> HttpResponse:
    year, on = _when(request)
    rows = progress_rows(request.user, year, on)
    return render(request, "targets/dashboard.html", {"rows": rows, "year": year, "on": on,
                                                      "areas": area_figures(request.user, year, on),
                                                      "years": range(on.year - 2, timezone.localdate().year + 1)})


@allow(*STAFF)
def dashboard_json(request: AuthedRequest) -> JsonResponse:
    year, on = _when(request)
    return JsonResponse(dashboard_picture(request.user, year, on), json_dumps_params={"ensure_ascii": False})


def _sheets(p: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    return [
        ("目标进度", ["指标", "目标", "实绩", "完成率%", "序时状态", "年末预测", "预测下限", "预测上限", "达标概率%"],
         [[r["name"], r["target"], r["actual"], r["percent"], r["rag"], r["expected"], r["low"], r["high"],
           r["chance"]] for r in p["progress"]]),
        ("人才库按层次", ["层次", "人数"], [list(x) for x in p["pool_by_tier"]]),
        ("人才库按学科", ["学科", "人数"], [list(x) for x in p["pool_by_field"]]),
        ("人才库按旗区", ["旗区/园区", "人数"], [list(x) for x in p["pool_by_zone"]]),
        ("资金", ["层级", "预算", "已承诺", "已支付", "结余"],
         [[f["name"], f["budget"], f["committed"], f["paid"], f["left"]] for f in p["fund"]]),
        ("服务成果", ["类型", "数量"], [list(x) for x in p["outcomes"]]),
        ("博士后", ["项目", "人数"], [list(x) for x in p["postdocs"]]),
        ("揭榜挂帅·一站式服务·招才引智", ["领域", "项目", "数值"],
         [[a["name"], label, value] for a in p["areas"] for label, value in a["figures"]]),
    ]


@allow(*STAFF)
def dashboard_xlsx(request: AuthedRequest) -> HttpResponse:
    year, on = _when(request)
    picture = dashboard_picture(request.user, year, on)
    audit_record(action="export", request=request, object_type="targets.dashboard", object_repr=f"导出{year}年驾驶舱")
    return xlsx_response(f"驾驶舱{year}", _sheets(picture))


def _report(request: AuthedRequest) -> OfficialLetter:
    year, on = when(request.GET.get("year"), request.GET.get("month"))
    return monthly_letter(request.user, year, on, request=request)


def _report_name(letter: OfficialLetter, ext: str) -> str:
    return f"{letter.title}.{ext}"


@allow(*STAFF)
def report_docx(request: AuthedRequest) -> HttpResponse:
    letter = _report(request)
    body = docx_bytes(letter)
    audit_record(action="export", request=request, object_type="targets.report",
                 object_repr=f"月度报告 docx {letter.number}")
    resp = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = attachment_header(_report_name(letter, "docx"))
    return resp


@allow(*STAFF)
def report_pdf(request: AuthedRequest) -> HttpResponse:
    letter = _report(request)
    body = pdf_bytes(letter)
    audit_record(action="export", request=request, object_type="targets.report",
                 object_repr=f"月度报告 PDF {letter.number}")
    resp = HttpResponse(body, content_type="application/pdf")
    resp["Content-Disposition"] = attachment_header(_report_name(letter, "pdf"))
    return resp
