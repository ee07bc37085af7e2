from django.urls import path

from rencai.core.views import auth, exports, health, imports, manage, pages
from rencai.core.views import inbox as inbox_views
from rencai.core.views import jobs as job_views

app_name = "core"
urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz/", health.healthz, name="healthz"),
    path("manage/", manage.manage_home, name="manage"),
    path("manage/zones/new/", manage.zone_edit, name="manage_zone_new"),
    path("manage/zones/<int:pk>/", manage.zone_edit, name="manage_zone"),
    path("manage/bureaus/new/", manage.bureau_edit, name="manage_bureau_new"),
    path("manage/bureaus/<int:pk>/", manage.bureau_edit, name="manage_bureau"),
    path("manage/users/new/", manage.user_invite, name="manage_invite"),
    path("manage/calendar/", manage.calendar_page, name="manage_calendar"),
    path("manage/office/", manage.office_page, name="manage_office"),
    path("manage/users/<int:pk>/", manage.user_detail, name="manage_user"),
    path("manage/users/<int:pk>/<str:action>/", manage.user_act, name="manage_user_act"),
    path("account/set-password/<uidb64>/<token>/", manage.SetPasswordView.as_view(), name="set_password"),
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
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<slug:name>/run/", job_views.job_run, name="job_run"),
    path("exports/", exports.export_list, name="export_list"),
    path("exports/<int:pk>/", exports.export_job, name="export_job"),
    path("exports/<int:pk>/file/", exports.export_file, name="export_file"),
    path("exports/<int:pk>/retry/", exports.export_retry, name="export_retry"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox_views.notice_detail, name="notice"),
    path("inbox/read-all/", inbox_views.mark_all_read, name="inbox_read_all"),
    path("inbox/preferences/", inbox_views.preferences, name="inbox_preferences"),
    path("import/<str:kind>/", imports.import_start, name="import_start"),
    path("import/job/<int:pk>/", imports.import_job, name="import_job"),
    path("import/job/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/job/<int:pk>/retry/", imports.import_retry, name="import_retry"),
    path("import/job/<int:pk>/refused.xlsx", imports.import_refused, name="import_refused"),
    path("import/<str:kind>/template.xlsx", imports.import_template, name="import_template"),
]
