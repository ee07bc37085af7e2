"""The needs picture: counts by kind, field, status and zone and the monthly trend, as ECharts and .xlsx."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from rencai.core.access import AuthedRequest, allow
from rencai.core.stats import picture_json, picture_xlsx
from rencai.needs.selectors import needs_picture
from rencai.needs.views.needs import NEED_READERS, NEED_SPEC, _needs

SHEETS = [("by_kind", "按类型", "需求类型"), ("by_status", "按状态", "状态"), ("by_field", "按学科", "一级学科"),
          ("by_zone", "按旗区", "旗区/园区"), ("by_month", "按月份", "月份")]


@allow(*NEED_READERS)
def stats_page(request: AuthedRequest) -> HttpResponse:
    queryset, state = _needs(request)
    return render(request, "needs/stats.html", {"state": state, "spec": NEED_SPEC, "picture": needs_picture(queryset),
                                                "query": state.query()})


@allow(*NEED_READERS)
def stats_json(request: AuthedRequest) -> JsonResponse:
    queryset, _ = _needs(request)
    return picture_json(needs_picture(queryset))


@allow(*NEED_READERS)
def stats_xlsx(request: AuthedRequest) -> HttpResponse:
    queryset, state = _needs(request)
    picture = needs_picture(queryset)
    posts = picture["assistant_posts"]
    return picture_xlsx(request, picture=picture, sheets=SHEETS, title="企业需求统计", object_type="needs.need",
                        count_header="需求数", filters=state.selected | {"q": state.q},
                        last=[("科研助理岗位", ["已发布岗位", "已到岗"], [[posts["posted"], posts["filled"]]])])
