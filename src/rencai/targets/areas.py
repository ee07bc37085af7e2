"""The newer areas on the dashboard (揭榜挂帅, 一站式服务, 招才引智): their counting sources and live figures.

targets never imports those apps: a source is registered only when its app is installed, and reads its model
through `apps.get_model` when a figure is computed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F

from rencai.core.models import User
from rencai.targets.indicators import Where, counted, rows
from rencai.targets.models import Indicator, Measure
from rencai.targets.registry import Source, register_source, source


def _model(app_label: str, name: str) -> Callable[[], type[models.Model]]:
    return lambda: apps.get_model(app_label, name)


# (app module, dashboard heading, [(figure label, source key, measure)])
AREAS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("rencai.challenges", "揭榜挂帅", [("发布榜单", "challenges.published", Measure.FLOW),
                                   ("立项团队", "challenges.funded", Measure.FLOW),
                                   ("已拨付里程碑", "challenges.milestones_paid", Measure.FLOW),
                                   ("验收解决难题", "challenges.problems_solved", Measure.FLOW)]),
    ("rencai.onestop", "一站式服务", [("服务申请", "onestop.requests", Measure.FLOW),
                                  ("办结", "onestop.done", Measure.FLOW),
                                  ("按期办结", "onestop.done_on_time", Measure.FLOW),
                                  ("发放人才码", "onestop.cards", Measure.FLOW),
                                  ("人才公寓在住", "onestop.apartments", Measure.STOCK),
                                  ("走访专家", "onestop.visits", Measure.FLOW)]),
    ("rencai.recruitment", "招才引智", [("登记意向", "recruitment.intentions", Measure.FLOW),
                                    ("签约", "recruitment.signed", Measure.FLOW),
                                    ("到岗", "recruitment.arrived", Measure.FLOW),
                                    ("区内参保", "recruitment.insured", Measure.FLOW)]),
]


def register_area_sources() -> None:
    """Called from TargetsConfig.ready: a source for each installed newer area."""
    if apps.is_installed("rencai.challenges"):
        register_source(Source(key="challenges.published", label="揭榜挂帅发布榜单",
                               model=_model("challenges", "Challenge"), zone="zone", date="created_at",
                               base={"status__in": ["published", "closed", "reviewing", "notice", "awarded",
                                                    "accepted"]},
                               columns=(("榜单", "title"), ("状态", "status"), ("截止", "deadline"))))
        register_source(Source(key="challenges.funded", label="揭榜挂帅立项团队", model=_model("challenges", "Award"),
                               zone="challenge__zone", date="awarded_at",
                               base={"status__in": ["active", "stopped", "accepted"]},
                               columns=(("榜单", "challenge__title"), ("负责人", "bid__lead_name"),
                                        ("资助金额", "amount"))))
        register_source(Source(key="challenges.milestones_paid", label="揭榜挂帅已拨付里程碑",
                               model=_model("challenges", "Milestone"), zone="award__challenge__zone",
                               date="payment__at", base={"status": "paid"},
                               columns=(("榜单", "award__challenge__title"), ("里程碑", "title"))))
        register_source(Source(key="challenges.problems_solved", label="揭榜挂帅验收解决难题",
                               model=_model("challenges", "Award"), zone="challenge__zone", date="awarded_at",
                               total="problems_solved", base={"status": "accepted"},
                               columns=(("榜单", "challenge__title"), ("解决难题", "problems_solved"))))
    if apps.is_installed("rencai.onestop"):
        live = ["in_progress", "waiting", "done", "rated"]
        request_cols = (("人才", "talent__name"), ("服务事项", "item__name"), ("受理", "submitted_on"),
                        ("办结", "done_on"))
        register_source(Source(key="onestop.requests", label="一站式服务申请",
                               model=_model("onestop", "ServiceRequest"), zone="talent__zone", date="submitted_on",
                               talent="talent",
                               base={"status__in": live}, columns=request_cols))
        register_source(Source(key="onestop.done", label="一站式服务办结", model=_model("onestop", "ServiceRequest"),
                               zone="talent__zone", date="done_on", talent="talent",
                               base={"status__in": ["done", "rated"]}, columns=request_cols))
        register_source(Source(key="onestop.done_on_time", label="一站式服务按期办结",
                               model=_model("onestop", "ServiceRequest"), zone="talent__zone", date="done_on",
                               talent="talent", base={"status__in": ["done", "rated"], "done_on__lte": F("due_on")},
                               columns=request_cols))
        register_source(Source(key="onestop.cards", label="发放人才码", model=_model("onestop", "TalentCard"),
                               zone="talent__zone", date="issued_on", dedupe="talent_id", talent="talent",
                               columns=(("人才", "talent__name"), ("发放", "issued_on"))))
        register_source(Source(key="onestop.apartments", label="人才公寓在住", model=_model("onestop", "Tenancy"),
                               zone="unit__building__zone", date="starts_on", end="vacated_on",
                               base={"status__in": ["occupied", "vacated"], "starts_on__isnull": False},
                               columns=(("房源", "unit__number"), ("入住", "starts_on"), ("退房", "vacated_on"))))
        register_source(Source(key="onestop.visits", label="走访专家", model=_model("onestop", "ExpertVisit"),
                               zone="talent__zone", date="on", dedupe="talent_id", talent="talent",
                               columns=(("专家", "talent__name"), ("日期", "on"), ("形式", "kind"))))
    if apps.is_installed("rencai.recruitment"):
        cols = (("求职者", "candidate__name"), ("岗位", "post__title"), ("阶段", "stage"))
        for key, label, date in (("intentions", "招才引智登记意向", "created_at"),
                                 ("signed", "招才引智签约", "signed_on"),
                                 ("arrived", "招才引智到岗", "arrived_on"),
                                 ("insured", "招才引智区内参保", "insured_on")):
            register_source(Source(key=f"recruitment.{key}", label=label, model=_model("recruitment", "Intention"),
                                   zone="post__enterprise__zone", date=date, dedupe="candidate_id",
                                   base={} if key == "intentions" else {f"{date}__isnull": False},
                                   masked=frozenset({"candidate__name"}), columns=cols))


def _figure(user: User, key: str, measure: str, year: int, on: datetime.date, where: Where) -> int:
    ind = Indicator(code=key, name=key, source=key, measure=measure, filters={})
    base = source(key).model()._default_manager.visible_to(user)  # type: ignore[attr-defined]
    return counted(ind, rows(ind, year, where, upto=on, base=base))


def area_figures(user: User, year: int, on: datetime.date) -> list[dict[str, Any]]:
    """[{"name": "揭榜挂帅", "figures": [(label, value), …]}, …] for the installed areas, scoped to the user."""
    from rencai.targets.selectors import city_of, zone_of

    city = city_of(user)
    if city is None:
        return []
    where = Where(city, zone=zone_of(user))
    out = []
    for module, name, figures in AREAS:
        if not apps.is_installed(module):
            continue
        values = {key: _figure(user, key, measure, year, on, where) for _label, key, measure in figures}
        pairs: list[tuple[str, Any]] = [(label, values[key]) for label, key, _m in figures]
        if module == "rencai.onestop":
            done = values["onestop.done"]
            pairs.insert(3, ("按期办结率%", round(values["onestop.done_on_time"] * 100 / done) if done else None))
        out.append({"name": name, "figures": pairs})
    return out
