"""HTTP API of 揭榜挂帅 (read-only, scoped): 榜单, bids and results (awards with their milestones)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from rencai.challenges.models import Award, Bid, Challenge, Milestone
from rencai.challenges.views import READERS
from rencai.core.api import RoleScopedViewSet
from rencai.core.roles import STAFF, Role


class ChallengeSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    issuer = serializers.CharField(source="issuer_name", read_only=True)

    class Meta:
        model = Challenge
        fields = ["id", "zone", "title", "issuer_kind", "issuer", "problem", "kpis", "acceptance_criteria", "cap",
                  "deadline", "eligibility", "mode", "race_teams", "blind", "status", "status_label",
                  "notice_start", "notice_until", "need", "catalog_line", "created_at"]


class BidSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = ["id", "challenge", "code", "lead_name", "unit", "status", "status_label", "version", "created_at"]

    def get_version(self, bid: Bid) -> int | None:
        latest = bid.versions.order_by("-number").values_list("number", flat=True).first()
        return latest


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "seq", "title", "due", "deliverable", "percent", "amount", "public_amount", "status"]


class AwardSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    lead_name = serializers.CharField(source="bid.lead_name", read_only=True)

    class Meta:
        model = Award
        fields = ["id", "challenge", "bid", "lead_name", "amount", "task_book_number", "status", "stage",
                  "kpi_results", "patents", "products", "problems_solved", "milestones"]


class _ReadOnly(RoleScopedViewSet):
    http_method_names = ["get", "head", "options"]
    write_roles = frozenset()


class ChallengeViewSet(_ReadOnly):
    """榜单 in the user's scope (published ones are also on the public page)."""

    queryset = Challenge.objects.all()
    serializer_class = ChallengeSerializer
    allowed_roles = READERS

    def get_queryset(self) -> QuerySet[Challenge]:
        return Challenge.objects.visible_to(self.request.user).select_related("issuer_enterprise", "issuer_bureau")


class BidViewSet(_ReadOnly):
    """Bids: staff of the zone, the bidder's own, the issuer's after close."""

    queryset = Bid.objects.all()
    serializer_class = BidSerializer
    allowed_roles = STAFF | frozenset({Role.ENTERPRISE, Role.TALENT})

    def get_queryset(self) -> QuerySet[Bid]:
        return Bid.objects.visible_to(self.request.user).prefetch_related("versions")


class AwardViewSet(_ReadOnly):
    """Results: awards with their milestones."""

    queryset = Award.objects.all()
    serializer_class = AwardSerializer
    allowed_roles = STAFF | frozenset({Role.ENTERPRISE, Role.TALENT, Role.BUREAU})

    def get_queryset(self) -> QuerySet[Award]:
        return Award.objects.visible_to(self.request.user).select_related("bid").prefetch_related("milestones")


def register_api(router: DefaultRouter) -> None:
    """Register this area's viewsets on the one API router."""
    router.register("challenges", ChallengeViewSet, basename="challenge")
    router.register("challenge-bids", BidViewSet, basename="challenge-bid")
    router.register("challenge-awards", AwardViewSet, basename="challenge-award")
