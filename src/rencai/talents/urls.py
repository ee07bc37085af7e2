from django.urls import path

from rencai.talents import registration, views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list, name="list"),
    path("export/", views.talent_export, name="export"),
    path("mine/", views.talent_mine, name="mine"),
    path("new/", views.talent_edit, name="create"),
    path("<int:pk>/", views.talent_detail, name="detail"),
    path("<int:pk>/edit/", views.talent_edit, name="edit"),
    path("<int:pk>/form/", registration.registration_form, name="registration_form"),
    path("<int:pk>/form.pdf", registration.registration_pdf, name="registration_pdf"),
    path("<int:pk>/add/<str:part>/", views.talent_add_part, name="add_part"),
    path("tiers/", views.tier_rules, name="tier_rules"),
    path("tiers/new/", views.tier_rule_edit, name="tier_rule_create"),
    path("tiers/<int:pk>/", views.tier_rule_edit, name="tier_rule_edit"),
    path("tiers/reclassify/", views.tier_reclassify, name="tier_reclassify"),
]
