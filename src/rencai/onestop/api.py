"""HTTP API of this area; config.urls calls register_api(router) once.

- /api/v1/onestop/catalog/: the service catalog (read).
- /api/v1/onestop/requests/: service requests with their bureau tasks, scoped (read).
- /api/v1/onestop/cards/: the cards in scope; POST cards/verify/ {"token": "..."} verifies a 人才码 (partners and
  office staff). The public key itself is served at /services/card/public-key/ for offline verification.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.roles import REGISTER_READERS, Role
from rencai.onestop import cardtoken
from rencai.onestop.models import ServiceItem, ServiceRequest, ServiceTask, TalentCard


def _user(request: Request) -> User:
    """The signed-in user (DeclaredRolePermission has let only a declared role through)."""
    return cast(User, request.user)


class ItemSerializer(serializers.ModelSerializer):
    bureaus: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "description", "tiers", "talent_types", "bureaus", "documents",
                  "time_limit_days", "task_limit_days", "without_application", "card_quota", "active"]


class TaskSerializer(serializers.ModelSerializer):
    bureau = serializers.CharField(source="bureau.name", read_only=True)

    class Meta:
        model = ServiceTask
        fields = ["id", "bureau", "status", "started_on", "due_on", "paused_on", "done_on", "escalated_on"]


class RequestSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    talent_name = serializers.CharField(source="talent.name", read_only=True)
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = ["id", "item", "talent", "talent_name", "status", "submitted_on", "due_on", "paused_on", "done_on",
                  "escalated_on", "rating", "rating_tags", "tasks"]

    def get_tasks(self, obj: ServiceRequest) -> list[dict[str, Any]]:
        tasks = ServiceTask.objects.visible_to(_user(self.context["request"])).filter(request=obj)
        return list(TaskSerializer(tasks.select_related("bureau"), many=True).data)


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """服务目录."""

    queryset = ServiceItem.objects.all()
    serializer_class = ItemSerializer
    allowed_roles = REGISTER_READERS | {Role.TALENT, Role.BUREAU, Role.PARTNER}

    def get_queryset(self) -> QuerySet[ServiceItem]:
        return ServiceItem.objects.visible_to(_user(self.request)).prefetch_related("bureaus")


class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """服务申请: office staff by zone, a bureau those with its tasks, a talent their own."""

    queryset = ServiceRequest.objects.all()
    serializer_class = RequestSerializer
    allowed_roles = REGISTER_READERS | {Role.TALENT, Role.BUREAU}

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.visible_to(_user(self.request)).select_related("item", "talent").distinct()


class VerifySerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2000)


class CardSerializer(serializers.ModelSerializer):
    masked_name = serializers.SerializerMethodField()
    tier = serializers.CharField(source="talent.tier", read_only=True)

    class Meta:
        model = TalentCard
        fields = ["id", "number", "status", "issued_on", "expires_on", "masked_name", "tier"]

    def get_masked_name(self, obj: TalentCard) -> str:
        from rencai.onestop.services import masked_name

        return masked_name(obj.talent.name)


class CardViewSet(viewsets.ReadOnlyModelViewSet):
    """人才码: the cards in scope (office staff by zone, a talent their own); POST verify/ checks a code (a talent
    may check their own code too: the answer is the masked claims the code already carries)."""

    queryset = TalentCard.objects.all()
    serializer_class = CardSerializer
    allowed_roles = REGISTER_READERS | {Role.PARTNER, Role.TALENT}

    def get_queryset(self) -> QuerySet[TalentCard]:
        return TalentCard.objects.visible_to(_user(self.request)).select_related("talent")

    @action(detail=False, methods=["post"], serializer_class=VerifySerializer)
    def verify(self, request: Request) -> Response:
        """Is this code genuine, unexpired and the card live? The masked claims, or the reason it is refused."""
        from rencai.onestop.services import card_verify

        data = VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            claims = card_verify(data.validated_data["token"])
        except cardtoken.CardRefused as exc:
            audit_record(action="denied", request=request._request, user=_user(request), allowed=False,
                         object_type="onestop.talentcard", detail={"reason": str(exc)})
            return Response({"valid": False, "detail": str(exc)}, status=400)
        claims.pop("card")
        return Response({"valid": True, "claims": claims})


def register_api(router: DefaultRouter) -> None:
    """Register this area's viewsets on the one API router."""
    router.register("onestop/catalog", CatalogViewSet, basename="onestop-catalog")
    router.register("onestop/requests", RequestViewSet, basename="onestop-request")
    router.register("onestop/cards", CardViewSet, basename="onestop-card")
