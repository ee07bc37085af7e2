from django.urls import path

from rencai.postdoc.views import postdocs, stations, stats

app_name = "postdoc"
urlpatterns = [
    path("", stations.station_list, name="stations"),
    path("stations/export/", stations.station_export, name="station_export"),
    path("stations/new/", stations.station_create_view, name="station_create"),
    path("stations/<int:pk>/", stations.station_detail, name="station"),
    path("stations/<int:pk>/move/", stations.station_move, name="station_move"),
    path("stations/<int:pk>/assist/", stations.station_assist, name="station_assist"),
    path("stations/<int:pk>/partners/", stations.station_partner, name="station_partner"),
    path("stations/<int:pk>/enter/", stations.station_enter, name="station_enter"),
    path("postdocs/", postdocs.postdoc_list, name="postdocs"),
    path("postdocs/export/", postdocs.postdoc_export, name="postdoc_export"),
    path("postdocs/<int:pk>/", postdocs.postdoc_detail, name="postdoc"),
    path("postdocs/<int:pk>/record/", postdocs.postdoc_record, name="postdoc_record"),
    path("postdocs/<int:pk>/documents/<int:milestone_id>/", postdocs.milestone_document, name="milestone_document"),
    path("overdue/", postdocs.overdue_list, name="overdue"),
    path("reminders/", postdocs.my_reminders, name="reminders"),
    path("settings/", postdocs.settings_view, name="settings"),
    path("stats/", stats.stats_page, name="stats"),
    path("stats.json", stats.stats_json, name="stats_json"),
    path("stats.xlsx", stats.stats_xlsx, name="stats_xlsx"),
]
