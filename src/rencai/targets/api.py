"""HTTP API of 目标考核 (config.urls calls register_api(router) once).

- /api/v1/target-indicators/: the indicators and their counting rules (read).
- /api/v1/targets/: the targets in scope (read); POST {indicator, year, zone?, value} sets one and PATCH {value}
  changes one, through `services.target_set` (locked periods refused, zone staff only their own zone).
- /api/v1/target-progress/?year=: each indicator's target, live actual, 序时进度 and year-end forecast (read).
- /api/v1/target-adjustments/: adjustments in scope; POST {indicator, year, zone?, delta, reason} proposes one,
  POST {id}/move/ {move: approve|reject, reason} decides it (a reason always, a second person, no locked period).
- /api/v1/target-periods/: the city's periods; POST move/ {year, move: lock|reopen, reason} (city-level office
  admins; reopening needs a reason).

Reads are `visible_to(user)`; every write goes through services, so the API refuses what the pages refuse, with the
same Chinese reasons (400)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from rencai.core.api import RoleScopedViewSet
from rencai.core.models import City, User, Zone
from rencai.core.roles import STAFF
from rencai.targets import services
from rencai.targets.models import Adjustment, Indicator, Period, Target
from rencai.targets.registry import source
from rencai.targets.selectors import city_of, progress_rows, when
from rencai.targets.services import ADJUSTMENT_LIFE, PERIOD_LIFE, WRITERS

YEARS = range(2000, 2101)


def _refused(*messages: Any) -> ApiValidationError:
    """A 400 shaped as the schema documents it (an object, as a serializer's errors), not a bare list."""
    return ApiValidationError({"non_field_errors": [str(m) for m in messages]})


def _user(request: Request) -> User:
    return cast(User, request.user)


def _city(user: User) -> City:
    city = city_of(user)
    if city is None:
        raise _refused(_("尚未设置城市，不能登记考核数据"))
    return city


def _service(call: Any, **kwargs: Any) -> Any:
    """A service call whose Chinese refusal becomes a 400 with the same words."""
    try:
        return call(**kwargs)
    except ValidationError as exc:
        raise _refused(*exc.messages) from exc


class _YearField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": _("须填写年度"), "invalid": _("年度须为整数"),
                                             "min_value": _("年度超出范围"), "max_value": _("年度超出范围")})
        super().__init__(min_value=YEARS.start, max_value=YEARS.stop - 1, **kwargs)


class _ScopedRelated(serializers.PrimaryKeyRelatedField):
    """A related row the requesting user may see (indicators) or a zone of their city they may write to."""

    def get_queryset(self) -> QuerySet[Any]:
        user = _user(self.context["request"])
        if self.queryset is not None and self.queryset.model is Zone:
            return user.visible_zones()
        return Indicator.objects.visible_to(user)


RELATED_MESSAGES: dict[str, dict[str, Any]] = {
    "indicator": {"required": _("须选择指标"), "null": _("须选择指标"),
                  "does_not_exist": _("指标不存在或不在您的管辖范围内"), "incorrect_type": _("指标须为编号")},
    "zone": {"does_not_exist": _("旗区/园区不存在或不在您的管辖范围内"), "incorrect_type": _("旗区/园区须为编号")},
}


def _related(model: type[models.Model], name: str, **kwargs: Any) -> _ScopedRelated:
    return _ScopedRelated(queryset=model._default_manager.all(), error_messages=RELATED_MESSAGES[name], **kwargs)


# --- indicators ---------------------------------------------------------------------------------------------

class TargetIndicatorSerializer(serializers.ModelSerializer):
    source_label = serializers.SerializerMethodField()
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)
    accumulation_label = serializers.CharField(source="get_accumulation_display", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit", "source", "source_label", "measure", "measure_label",
                  "accumulation", "accumulation_label", "base_year", "filters", "rule", "order"]

    def get_source_label(self, obj: Indicator) -> str:
        try:
            return source(obj.source).label
        except KeyError:
            return ""


class IndicatorViewSet(RoleScopedViewSet):
    """考核指标 and their counting rules (口径); actual values are never stored — see target-progress."""

    queryset = Indicator.objects.all()
    serializer_class = TargetIndicatorSerializer
    allowed_roles = STAFF
    http_method_names = ["get", "head", "options"]


# --- targets ------------------------------------------------------------------------------------------------

class TargetSerializer(serializers.ModelSerializer):
    indicator = _related(Indicator, "indicator")
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    year = _YearField()
    zone = _related(Zone, "zone", required=False, allow_null=True)
    value = serializers.IntegerField(error_messages={"required": _("须填写目标值"), "invalid": _("目标值须为整数")})
    level = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = ["id", "indicator", "indicator_code", "year", "city", "zone", "bureau", "level", "value", "set_by"]
        read_only_fields = ["city", "bureau", "set_by"]
        validators: list[Any] = []  # one target per level: services update the existing one instead of refusing


class TargetViewSet(RoleScopedViewSet):
    """年度目标 at the city's, a zone's or a bureau's level; writes through services.target_set."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    allowed_roles = STAFF
    write_roles = WRITERS

    def get_queryset(self) -> QuerySet[Target]:
        return Target.objects.visible_to(_user(self.request)).select_related("indicator")

    def perform_create(self, serializer: Any) -> None:
        data, user = serializer.validated_data, _user(self.request)
        serializer.instance = _service(services.target_set, indicator=data["indicator"], year=data["year"],
                                       city=_city(user), zone=data.get("zone"), value=data["value"], by=user,
                                       request=self.request._request)

    def perform_update(self, serializer: Any) -> None:
        target: Target = serializer.instance
        data, user = serializer.validated_data, _user(self.request)
        if any(k in data and data[k] != getattr(target, k) for k in ("indicator", "year", "zone")):
            raise _refused(_("只能修改目标值；其他指标、年度或旗区的目标请另行设置"))
        serializer.instance = _service(services.target_set, indicator=target.indicator, year=target.year,
                                       city=target.city, zone=target.zone, bureau=target.bureau,
                                       value=data.get("value", target.value), by=user, request=self.request._request)


# --- progress -----------------------------------------------------------------------------------------------

class TargetForecastSerializer(serializers.Serializer):
    expected = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()
    chance_percent = serializers.IntegerField(allow_null=True)


class TargetProgressSerializer(serializers.Serializer):
    """One indicator's progress: nothing here is stored, all is computed from the registers when asked."""

    id = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    target = serializers.IntegerField(allow_null=True)
    actual = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    rag = serializers.CharField(help_text="green / amber / red; empty without a target")
    rag_label = serializers.CharField()
    forecast = TargetForecastSerializer()
    series = serializers.ListField(child=serializers.IntegerField(), help_text="cumulative value at each month end")


YEAR_PARAM = OpenApiParameter("year", int, description="年度（默认本年；往年按12月31日计算）")


class ProgressViewSet(RoleScopedViewSet):
    """序时进度: each indicator the user may see, with the target at the user's level, the live actual, the
    red/amber/green state and the year-end forecast with its 80% interval and the chance of reaching the target."""

    queryset = Indicator.objects.all()
    serializer_class = TargetProgressSerializer
    allowed_roles = STAFF
    http_method_names = ["get", "head", "options"]

    def _rows(self, indicators: list[Indicator]) -> list[dict[str, Any]]:
        year, on = when(self.request.query_params.get("year"))
        return progress_rows(_user(self.request), year, on, indicators=indicators)

    @extend_schema(parameters=[YEAR_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        indicators = list(page if page is not None else self.get_queryset())
        data = TargetProgressSerializer(self._rows(indicators), many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(parameters=[YEAR_PARAM])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(TargetProgressSerializer(self._rows([self.get_object()])[0]).data)


# --- adjustments --------------------------------------------------------------------------------------------

class TargetAdjustmentSerializer(serializers.ModelSerializer):
    indicator = _related(Indicator, "indicator")
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    year = _YearField()
    zone = _related(Zone, "zone", required=False, allow_null=True)
    delta = serializers.IntegerField(error_messages={"required": _("须填写调整数"), "invalid": _("调整数须为整数")})
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    moves = serializers.SerializerMethodField(help_text="the moves the requesting user may make now")

    class Meta:
        model = Adjustment
        fields = ["id", "indicator", "indicator_code", "year", "city", "zone", "delta", "reason", "status",
                  "status_label", "proposed_by", "decided_by", "created_at", "moves"]
        read_only_fields = ["city", "status", "proposed_by", "decided_by", "created_at"]

    def get_moves(self, obj: Adjustment) -> list[str]:
        return [m.name for m in ADJUSTMENT_LIFE.moves_for(obj, _user(self.context["request"]))]


class TargetMoveSerializer(serializers.Serializer):
    move = serializers.CharField(max_length=30, error_messages={"required": _("须指明操作"),
                                                                "blank": _("须指明操作")})
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TargetPeriodMoveSerializer(TargetMoveSerializer):
    year = _YearField()


class AdjustmentViewSet(RoleScopedViewSet):
    """实绩调整: proposed with a reason, counted only after a second person approves; none in a locked period."""

    queryset = Adjustment.objects.all()
    serializer_class = TargetAdjustmentSerializer
    allowed_roles = STAFF
    write_roles = WRITERS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Adjustment]:
        return Adjustment.objects.visible_to(_user(self.request)).select_related("indicator")

    def perform_create(self, serializer: Any) -> None:
        data, user = serializer.validated_data, _user(self.request)
        zone = data.get("zone") or (user.zone if user.zone_id else None)
        serializer.instance = _service(services.adjustment_propose, indicator=data["indicator"], year=data["year"],
                                       city=_city(user), zone=zone, delta=data["delta"], reason=data["reason"],
                                       by=user, request=self.request._request)

    @extend_schema(request=TargetMoveSerializer, responses=TargetAdjustmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=TargetMoveSerializer)
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Approve or reject (退回 needs a reason); the proposer cannot decide their own adjustment."""
        adjustment = self.get_object()
        form = TargetMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = _service(services.adjustment_decide, adjustment=adjustment, move=form.validated_data["move"],
                        by=_user(request), reason=form.validated_data["reason"], request=request._request)
        return Response(TargetAdjustmentSerializer(done, context=self.get_serializer_context()).data)


# --- periods ------------------------------------------------------------------------------------------------

class TargetPeriodSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    moves = serializers.SerializerMethodField(help_text="the moves the requesting user may make now")

    class Meta:
        model = Period
        fields = ["id", "city", "year", "status", "status_label", "moves"]
        read_only_fields = ["city", "year", "status"]

    def get_moves(self, obj: Period) -> list[str]:
        return [m.name for m in PERIOD_LIFE.moves_for(obj, _user(self.context["request"]))]


class PeriodViewSet(RoleScopedViewSet):
    """考核期: locked at year end (no target or adjustment changes after), reopened only with a reason."""

    queryset = Period.objects.all()
    serializer_class = TargetPeriodSerializer
    allowed_roles = STAFF
    write_roles = WRITERS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.visible_to(_user(self.request)).order_by("-year", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise _refused(_("考核期无需登记：用 move/ 锁定或重新开放某一年度"))

    @extend_schema(request=TargetPeriodMoveSerializer, responses=TargetPeriodSerializer)
    @action(detail=False, methods=["post"], serializer_class=TargetPeriodMoveSerializer)
    def move(self, request: Request) -> Response:
        """Lock or reopen a year of the user's city (city-level office admins; reopening needs a reason)."""
        form = TargetPeriodMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = _user(request)
        period = services.period_for(_city(user), form.validated_data["year"])
        done = _service(services.period_move, period=period, move=form.validated_data["move"], by=user,
                        reason=form.validated_data["reason"], request=request._request)
        return Response(TargetPeriodSerializer(done, context=self.get_serializer_context()).data)


def register_api(router: DefaultRouter) -> None:
    """Register this area's viewsets on the one API router."""
    router.register("target-indicators", IndicatorViewSet, basename="target-indicator")
    router.register("targets", TargetViewSet, basename="target")
    router.register("target-progress", ProgressViewSet, basename="target-progress")
    router.register("target-adjustments", AdjustmentViewSet, basename="target-adjustment")
    router.register("target-periods", PeriodViewSet, basename="target-period")
