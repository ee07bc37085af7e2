"""The leaders' dashboard (驾驶舱), its JSON, its .xlsx and the monthly report (.docx, PDF)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import attachment_header, xlsx_response
from rencai.core.roles import STAFF
from rencai.targets.areas import area_figures
from rencai.targets.selectors import dashboard_picture, progress_rows


def _when(request: AuthedRequest) -> tuple[int, datetime.date]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = max(2000, min(year, today.year))
    return year, today if year == today.year else datetime.date(year, 12, 31)


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


def _report_context(request: AuthedRequest) -> dict[str, Any]:
    year, on = _when(request)
    return {"picture": dashboard_picture(request.user, year, on), "year": year, "on": on,
            "rows": progress_rows(request.user, year, on)}


@allow(*STAFF)
def report_docx(request: AuthedRequest) -> HttpResponse:
    from docx import Document

    ctx = _report_context(request)
    p = ctx["picture"]
    doc = Document()
    doc.add_heading(f"人才工作月度报告（{ctx['on']:%Y年%m月}）", level=1)
    doc.add_paragraph(f"数据截至{ctx['on']:%Y年%m月%d日}，由平台按指标口径从登记记录实时计算。")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ["指标", "目标", "实绩", "完成率", "序时状态", "年末预测（达标概率）"],
                          strict=True):
        cell.text = text
    for r in ctx["rows"]:
        cells = table.add_row().cells
        fc = r["forecast"]
        values = [r["indicator"].name, str(r["target"] or "—"), str(r["actual"]),
                  f"{r['percent']}%" if r["percent"] is not None else "—", r["rag_label"] or "—",
                  f"{fc.expected}（{fc.low}–{fc.high}；{fc.chance_percent}%）" if r["target"] else "—"]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    doc.add_heading("人才库", level=2)
    doc.add_paragraph(f"在库人才 {p['pool_total']} 人；按层次：" + "，".join(f"{a} {b}" for a, b in p["pool_by_tier"]))
    doc.add_heading("资金", level=2)
    for f in p["fund"]:
        doc.add_paragraph(f"{f['name']}级：预算 {f['budget']:,.0f} 元，已承诺 {f['committed']:,.0f} 元，"
                          f"已支付 {f['paid']:,.0f} 元，结余 {f['left']:,.0f} 元")
    doc.add_heading("服务成果", level=2)
    doc.add_paragraph("，".join(f"{a} {b}" for a, b in p["outcomes"]) or "本年暂无")
    buf = io.BytesIO()
    doc.save(buf)
    audit_record(action="export", request=request, object_type="targets.report", object_repr="月度报告 docx")
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = attachment_header(f"人才工作月度报告{ctx['on']:%Y%m}.docx")
    return resp


@allow(*STAFF)
def report_pdf(request: AuthedRequest) -> HttpResponse:
    from weasyprint import HTML

    ctx = _report_context(request)
    html = render_to_string("targets/report.html", ctx, request=request)
    pdf = HTML(string=html).write_pdf()
    audit_record(action="export", request=request, object_type="targets.report", object_repr="月度报告 PDF")
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = attachment_header(f"人才工作月度报告{ctx['on']:%Y%m}.pdf")
    return resp
