"""The postdoc picture as ECharts (fed by a JSON endpoint) and as an .xlsx workbook."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from rencai.core.access import AuthedRequest, allow
from rencai.core.roles import REGISTER_READERS
from rencai.core.stats import picture_json, picture_xlsx
from rencai.postdoc.models import Postdoc, Station
from rencai.postdoc.selectors import postdoc_picture

SHEETS = [("stations_by_kind", "按类型", "类型"), ("stations_by_zone", "工作站按旗区", "旗区/园区"),
          ("stations_by_industry", "工作站按行业", "行业"), ("stations_by_university", "工作站按合作高校", "高校"),
          ("postdocs_by_zone", "博士后按旗区", "旗区/园区"), ("postdocs_by_industry", "博士后按行业", "行业"),
          ("postdocs_by_university", "博士后按合作高校", "高校"),
          ("postdocs_by_stage", "博士后按状态", "状态"), ("completion", "按期出站", "出站情况"),
          ("retention", "留区情况", "去向")]


def _picture(request: AuthedRequest) -> dict[str, Any]:
    return postdoc_picture(Station.objects.visible_to(request.user), Postdoc.objects.visible_to(request.user))


@allow(*REGISTER_READERS)
def stats_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "postdoc/stats.html", {"picture": _picture(request)})


@allow(*REGISTER_READERS)
def stats_json(request: AuthedRequest) -> JsonResponse:
    return picture_json(_picture(request))


@allow(*REGISTER_READERS)
def stats_xlsx(request: AuthedRequest) -> HttpResponse:
    picture = _picture(request)
    summary = [["在运行工作站", picture["stations"]], ["创新实践基地", picture["bases"]],
               ["在站博士后", picture["in_station"]], ["期满出站", picture["completed"]],
               ["按期出站率(%)", picture["on_time_percent"]], ["出站留区率(%)", picture["retention_percent"]]]
    return picture_xlsx(request, picture=picture, sheets=SHEETS, title="博士后工作站统计",
                        object_type="postdoc.postdoc", first=[("概况", ["指标", "数值"], summary)])
