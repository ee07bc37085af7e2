"""Pairings over the API: staff read their zone's; an enterprise or talent reads and answers only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from rencai.core.api import AuthedAPIRequest
from rencai.core.audit import audit_record
from rencai.core.roles import REGISTER_READERS, Role
from rencai.matching.models import Answer, Pairing
from rencai.matching.services import pairing_answer

if TYPE_CHECKING:
    from rencai.core.models import User

PARTIES = frozenset({Role.ENTERPRISE, Role.TALENT})


class PairingSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    enterprise_name = serializers.CharField(source="need.enterprise.name", read_only=True)
    talent_name = serializers.CharField(source="talent.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "round",
            "need",
            "need_title",
            "enterprise_name",
            "talent",
            "talent_name",
            "role",
            "score",
            "reasons",
            "status",
            "status_label",
            "enterprise_answer",
            "enterprise_reason",
            "talent_answer",
            "talent_reason",
            "declined_by",
            "rating",
            "agreement_id",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Answer.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    """配对. Reads by staff and the parties; only the parties answer (accept or decline with a reason)."""

    queryset = Pairing.objects.all()
    serializer_class = PairingSerializer
    allowed_roles = REGISTER_READERS | PARTIES
    write_roles = PARTIES
    request: AuthedAPIRequest

    def get_queryset(self) -> QuerySet[Pairing]:
        return Pairing.objects.visible_to(self.request.user).select_related("need__enterprise", "talent")

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        user = cast("User", request.user)  # DeclaredRolePermission (in super()) has let only a signed-in user by
        if request.method not in SAFE_METHODS and user.role not in self.write_roles:
            audit_record(
                action="denied",
                request=request._request,
                user=user,
                allowed=False,
                detail={"reason": "api write"},
            )
            self.permission_denied(request, message="您的角色只能读取，不能修改")

    @action(detail=True, methods=["post"])
    def answer(self, request: AuthedAPIRequest, pk: str | None = None) -> Response:
        pairing = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pairing = pairing_answer(
                pairing=pairing,
                user=request.user,
                answer=data.validated_data["answer"],
                reason=data.validated_data["reason"],
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        return Response(PairingSerializer(pairing).data)
