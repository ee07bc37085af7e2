from django.urls import path

from rencai.core.views import auth, imports, pages

app_name = "core"
urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.RencaiLoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("otp/enrol/", auth.otp_enrol, name="otp_enrol"),
    path("otp/verify/", auth.otp_verify, name="otp_verify"),
    path("language/", auth.language, name="language"),
    path("audit/", pages.audit_list, name="audit_list"),
    path("audit/export/", pages.audit_export, name="audit_export"),
    path("reveal/<str:model>/<int:pk>/<str:field>/", pages.reveal, name="reveal"),
    path("account/token/", pages.api_token, name="api_token"),
    path("access/", pages.access_overview, name="access_overview"),
    path("import/<str:kind>/", imports.import_start, name="import_start"),
    path("import/job/<int:pk>/", imports.import_job, name="import_job"),
    path("import/job/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
]
