from django.urls import path

from rencai.recruitment.views import competitions, office, public

app_name = "recruitment"

urlpatterns = [
    path("", office.campaign_list, name="campaigns"),
    path("new/", office.campaign_create, name="campaign_new"),
    path("<int:pk>/", office.campaign_detail, name="campaign"),
    path("<int:pk>/events/", office.event_add, name="event_add"),
    path("<int:pk>/posts/", office.post_add, name="post_add"),
    path("<int:pk>/entry/", office.intention_entry, name="entry"),
    path("pipeline/", office.pipeline, name="pipeline"),
    path("intention/<int:pk>/", office.intention_detail, name="intention"),
    path("intention/<int:pk>/move/", office.intention_move, name="move"),
    path("intention/<int:pk>/contract/", office.contract_upload, name="contract_upload"),
    path("intention/<int:pk>/contract/download/", office.contract_download, name="contract"),
    path("funnel/", office.funnel, name="funnel"),
    path("funnel.json", office.funnel_json, name="funnel_json"),
    path("funnel.xlsx", office.funnel_xlsx, name="funnel_xlsx"),
    path("join/<str:token>/", public.join, name="join"),
    path("competitions/", competitions.competition_list, name="competitions"),
    path("competitions/<int:pk>/", competitions.competition_detail, name="competition"),
    path("competitions/<int:pk>/rounds/<int:round_pk>/close/", competitions.round_close, name="round_close"),
]
