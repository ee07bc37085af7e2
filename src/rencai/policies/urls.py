from django.urls import path

from rencai.policies.views import applications, entitlements, policies

app_name = "policies"
urlpatterns = [
    path("", policies.policy_list, name="list"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/act/<str:action>/", applications.application_act, name="application_act"),
    path("applications/<int:pk>/mine/<str:action>/", applications.application_applicant_act,
         name="application_applicant_act"),
    path("notice/", applications.notice_list, name="notice"),
    path("attachments/<int:pk>/", applications.attachment_file, name="attachment"),
    path("entitlements/", entitlements.entitlement_list, name="entitlements"),
    path("entitlements/confirm/", entitlements.entitlement_confirm, name="entitlement_confirm"),
    path("entitlements/<int:pk>/", entitlements.entitlement_detail, name="entitlement"),
    path("entitlements/<int:pk>/act/<str:action>/", entitlements.entitlement_act, name="entitlement_act"),
    path("packages/new/", entitlements.package_create_view, name="package_create"),
    path("mine/", entitlements.my_entitlements, name="mine"),
    path("mine/<int:pk>/bank/", entitlements.bank_confirm, name="bank"),
    path("payments/", entitlements.payment_due, name="payment_due"),
    path("payments/batch/", entitlements.batch_create, name="batch_create"),
    path("payments/batch/<int:pk>/", entitlements.batch_detail, name="batch"),
    path("payments/batch/<int:pk>/xlsx/", entitlements.batch_xlsx, name="batch_xlsx"),
    path("payments/batch/<int:pk>/outcome/", entitlements.batch_outcome, name="batch_outcome"),
    path("new/", policies.policy_create_view, name="create"),
    path("<slug:code>/", policies.policy_detail, name="detail"),
    path("<slug:code>/new-version/", policies.version_create, name="version_create"),
    path("<slug:code>/whatif/", policies.whatif, name="whatif"),
    path("<slug:code>/apply/", applications.apply, name="apply"),
]
