"""HTTP API of this area; config.urls calls register_api(router) once."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from rencai.core.api import MaskedField
from rencai.core.listing import plain_int
from rencai.core.roles import Role
from rencai.recruitment import selectors
from rencai.recruitment.models import Campaign, Intention

READERS = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER, Role.ENTERPRISE})


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "city", "zone", "starts_on", "ends_on", "target_hires", "stages"]


class IntentionSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.name", read_only=True)
    phone_masked = MaskedField(field="phone", through="candidate")  # the candidate's phone, masked
    campaign = serializers.IntegerField(source="post.campaign_id", read_only=True)
    enterprise = serializers.IntegerField(source="post.enterprise_id", read_only=True)
    post_title = serializers.CharField(source="post.title", read_only=True)
    university = serializers.CharField(source="event.university", read_only=True, default="")
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Intention
        fields = ["id", "candidate_name", "phone_masked", "campaign", "enterprise", "post", "post_title", "event",
                  "university", "source", "stage", "stage_label", "lost_reason", "signed_on", "arrived_on",
                  "insured_on", "created_at"]



class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """招才活动 in scope; GET funnel/ gives the campaign's funnel (scoped to what the caller may see)."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    allowed_roles = READERS

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaigns_for(self.request.user)  # type: ignore[arg-type]

    @action(detail=True, methods=["get"])
    def funnel(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        picture = selectors.funnel_picture(selectors.intentions_for(request.user,  # type: ignore[arg-type]
                                                                    post__campaign=campaign))
        return Response(picture)


class IntentionViewSet(viewsets.ReadOnlyModelViewSet):
    """求职意向: office staff by zone, an enterprise user only those for its own posts."""

    queryset = Intention.objects.all()
    serializer_class = IntentionSerializer
    allowed_roles = READERS

    def get_queryset(self) -> QuerySet[Intention]:
        chosen = plain_int(self.request.query_params.get("campaign"))
        stage = self.request.query_params.get("stage")
        return selectors.intentions_for(self.request.user, post__campaign=chosen,  # type: ignore[arg-type]
                                        stage=stage)


def register_api(router: DefaultRouter) -> None:
    """Register this area's viewsets on the one API router."""
    router.register("recruitment/campaigns", CampaignViewSet, basename="recruitment-campaign")
    router.register("recruitment/intentions", IntentionViewSet, basename="recruitment-intention")
