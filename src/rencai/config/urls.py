from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from rencai.challenges.api import register_api as challenges_api
from rencai.core.access import PUBLIC
from rencai.engagements.api import AgreementViewSet
from rencai.funds.api import FundViewSet, PaymentBatchViewSet
from rencai.matching.api import PairingViewSet
from rencai.needs.api import NeedViewSet
from rencai.onestop.api import register_api as onestop_api
from rencai.orgs.api import EnterpriseViewSet, InstitutionViewSet
from rencai.policies.api import ApplicationViewSet, EntitlementViewSet, PolicyViewSet
from rencai.postdoc.api import PostdocViewSet, StationViewSet
from rencai.recruitment.api import register_api as recruitment_api
from rencai.talents.api import TalentViewSet
from rencai.targets.api import register_api as targets_api


class SchemaView(SpectacularAPIView):
    allowed_roles = frozenset({PUBLIC})  # the schema describes the API; it holds no data


class ApiRouter(DefaultRouter):
    include_root_view = False


router = ApiRouter()
router.register("talents", TalentViewSet, basename="api-talent")
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register("institutions", InstitutionViewSet, basename="api-institution")
router.register("needs", NeedViewSet, basename="api-need")
router.register("agreements", AgreementViewSet, basename="api-agreement")
router.register("pairings", PairingViewSet, basename="api-pairing")
router.register("postdoc-stations", StationViewSet, basename="api-postdoc-station")
router.register("postdocs", PostdocViewSet, basename="api-postdoc")
router.register("policies", PolicyViewSet, basename="api-policy")
router.register("entitlements", EntitlementViewSet, basename="api-entitlement")
router.register("applications", ApplicationViewSet, basename="api-application")
router.register("funds", FundViewSet, basename="api-fund")
router.register("payment-batches", PaymentBatchViewSet, basename="api-payment-batch")
for register_area_api in (challenges_api, onestop_api, recruitment_api, targets_api):
    register_area_api(router)

urlpatterns = [
    path("", include("rencai.core.urls")),
    path("talents/", include("rencai.talents.urls")),
    path("orgs/", include("rencai.orgs.urls")),
    path("needs/", include("rencai.needs.urls")),
    path("funds/", include("rencai.funds.urls")),
    path("policies/", include("rencai.policies.urls")),
    path("postdoc/", include("rencai.postdoc.urls")),
    path("engagements/", include("rencai.engagements.urls")),
    path("matching/", include("rencai.matching.urls")),
    path("challenges/", include("rencai.challenges.urls")),
    path("services/", include("rencai.onestop.urls")),
    path("recruitment/", include("rencai.recruitment.urls")),
    path("targets/", include("rencai.targets.urls")),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/v1/", include(router.urls)),
]
