"""Read-only API of stations and postdocs, from the same visible_to() querysets as the pages."""

from __future__ import annotations

from rest_framework import serializers

from rencai.core.api import RoleScopedViewSet
from rencai.core.roles import REGISTER_READERS, Role
from rencai.postdoc.models import Postdoc, Station


class StationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Station
        fields = ["id", "enterprise", "enterprise_name", "kind", "name", "stage", "stage_label", "research_fields",
                  "approved_on", "approval_number", "withdrawn_on", "withdrawn_reason"]
        read_only_fields = fields


class PostdocSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="talent.name", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Postdoc
        fields = ["id", "talent", "name", "station", "partner", "topic", "supervisor", "co_supervisor", "stage",
                  "stage_label", "entered_on", "proposal_due", "midterm_due", "exit_due", "extension_months",
                  "left_on", "stayed_in_zone", "next_deadline"]
        read_only_fields = fields

    def get_next_deadline(self, postdoc: Postdoc) -> dict[str, str] | None:
        found = postdoc.next_deadline()
        return {"milestone": found[0], "due": found[1].isoformat()} if found else None


class StationViewSet(RoleScopedViewSet):
    """博士后工作站与创新实践基地: staff see their zone's, an enterprise its own, a liaison its partners'."""

    queryset = Station.objects.all()
    serializer_class = StationSerializer
    allowed_roles = REGISTER_READERS | {Role.ENTERPRISE, Role.LIAISON}
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Station.objects.visible_to(self.request.user).select_related("enterprise")


class PostdocViewSet(RoleScopedViewSet):
    """博士后 with their deadlines; milestones are recorded on the pages, where the rules explain refusals."""

    queryset = Postdoc.objects.all()
    serializer_class = PostdocSerializer
    allowed_roles = REGISTER_READERS | {Role.ENTERPRISE, Role.LIAISON, Role.TALENT}
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Postdoc.objects.visible_to(self.request.user).select_related("talent")
