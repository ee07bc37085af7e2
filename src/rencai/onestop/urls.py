from django.urls import path

from rencai.onestop.views import card, more, requests

app_name = "onestop"

urlpatterns = [
    path("", requests.catalog, name="catalog"),
    path("items/new/", requests.item_edit, name="item_new"),
    path("items/<int:pk>/edit/", requests.item_edit, name="item_edit"),
    path("items/<int:item_pk>/ask/", requests.request_new, name="request_new"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/rate/", requests.request_rate, name="request_rate"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("tasks/", requests.queue, name="queue"),
    path("tasks/<int:pk>/", requests.task_detail, name="task_detail"),
    path("tasks/<int:pk>/supplied/", requests.task_supplied, name="task_supplied"),
    path("tasks/<int:pk>/<str:action>/", requests.task_act, name="task_act"),
    path("cases/", requests.case_list, name="cases"),
    path("cases/<int:pk>/", requests.case_detail, name="case_detail"),
    path("cases/<int:pk>/<str:move>/", requests.case_act, name="case_act"),
    path("mine/", card.mine, name="mine"),
    path("mine/code/", card.card_code, name="card_code"),
    path("mine/apartment/", card.wait_join, name="wait_join"),
    path("card/public-key/", card.public_key, name="public_key"),
    path("partner/", card.partner, name="partner"),
    path("partner/redeem/", card.partner_redeem, name="partner_redeem"),
    path("cards/", card.cards, name="cards"),
    path("cards/issue/", card.card_issue, name="card_issue"),
    path("cards/<int:talent_pk>/<str:action>/", card.card_act, name="card_act"),
    path("family/", card.family, name="family"),
    path("family/add/", card.family_add, name="family_add_any"),
    path("family/<int:talent_pk>/add/", card.family_add, name="family_add"),
    path("apartments/", more.apartments, name="apartments"),
    path("apartments/wait/<int:entry_pk>/offer/", more.apartment_offer, name="apartment_offer"),
    path("apartments/tenancy/<int:pk>/<str:action>/", more.tenancy_act, name="tenancy_act"),
    path("visits/", more.visits, name="visits"),
    path("stats/", more.stats, name="stats"),
    path("stats.json", more.stats_json, name="stats_json"),
    path("stats.xlsx", more.stats_xlsx, name="stats_xlsx"),
]
