from django.urls import path

from rencai.orgs import views

app_name = "orgs"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/add/<str:part>/", views.enterprise_add_part, name="enterprise_add_part"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/export/", views.institution_export, name="institution_export"),
    path("institutions/new/", views.institution_edit, name="institution_create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
]
