from django.urls import path

from rencai.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create_view, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/run/", views.round_run_view, name="round_run"),
    path("rounds/<int:pk>/pin/", views.round_pin_view, name="round_pin"),
    path("rounds/<int:pk>/publish/", views.round_publish_view, name="round_publish"),
    path("proposals/", views.my_proposals, name="proposals"),
    path("pairings/<int:pk>/answer/", views.pairing_answer_view, name="pairing_answer"),
    path("pairings/<int:pk>/complete/", views.pairing_complete_view, name="pairing_complete"),
    path("thesaurus/", views.thesaurus_page, name="thesaurus"),
    path("thesaurus/<int:pk>/delete/", views.thesaurus_delete, name="thesaurus_delete"),
    path("conflicts/", views.conflict_page, name="conflicts"),
    path("conflicts/<int:pk>/delete/", views.conflict_delete, name="conflict_delete"),
    path("learning/", views.learning_page, name="learning"),
]
