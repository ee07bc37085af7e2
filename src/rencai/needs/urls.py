from django.urls import path

from rencai.needs.views import campaigns, catalog, needs, stats

app_name = "needs"
urlpatterns = [
    path("", needs.need_list, name="list"),
    path("export/", needs.need_export, name="export"),
    path("new/", needs.need_create_view, name="create"),
    path("mine/", needs.my_needs, name="mine"),
    path("stats/", stats.stats_page, name="stats"),
    path("stats.json", stats.stats_json, name="stats_json"),
    path("stats.xlsx", stats.stats_xlsx, name="stats_xlsx"),
    path("queue/", needs.review_queue, name="queue"),
    path("<int:pk>/", needs.need_detail, name="detail"),
    path("<int:pk>/edit/", needs.need_edit, name="edit"),
    path("<int:pk>/discipline/", needs.need_discipline, name="discipline"),
    path("<int:pk>/move/", needs.need_move, name="move"),
    path("<int:pk>/filled/", needs.need_filled, name="filled"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/visits/", campaigns.visit_add, name="visit_add"),
    path("catalog/", catalog.catalog_draft, name="catalog"),
    path("catalog/adjust/", catalog.catalog_adjust_view, name="catalog_adjust"),
    path("catalog/publish/", catalog.catalog_publish_view, name="catalog_publish"),
    path("catalog/line/", catalog.catalog_line_needs, name="catalog_line"),
    path("catalog/draft.xlsx", catalog.draft_xlsx, name="catalog_xlsx"),
    path("catalog/editions/", catalog.edition_list, name="editions"),
    path("catalog/editions/compare/", catalog.edition_compare, name="edition_compare"),
    path("catalog/editions/<int:pk>/", catalog.edition_detail, name="edition"),
    path("catalog/editions/<int:pk>/xlsx/", catalog.edition_xlsx, name="edition_xlsx"),
    path("catalog/editions/<int:pk>/pdf/", catalog.edition_pdf, name="edition_pdf"),
]
